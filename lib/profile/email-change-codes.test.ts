import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Db, migrateDb, openDb } from "@/db/client";
import { emailChanges, type OutboxMessage, outbox } from "@/db/schema";
import { sendDueEmails } from "@/lib/email/outbox-sender";
import { MAILBOX_TRANSPORT } from "@/lib/email/send-email";
import { sweepExpiredRequests } from "@/lib/requests/sweep-expired-requests";
import { cancelEmailChange } from "./cancel-email-change";
import { confirmEmailChange } from "./confirm-email-change";
import { EMAIL_CHANGE_TTL_MS } from "./email-change-rules";
import { requestEmailChange } from "./request-email-change";
import { at, createAccount, T0 } from "./testing/profile-fixtures";

let db: Db;

beforeEach(() => {
  db = openDb(":memory:");
  migrateDb(db);
});
afterEach(() => {
  db.$client.close();
});

/** Starts a change to `newEmail`; returns the outbox row of its e-mail and the code it carries. */
function startChange(accountId: number, newEmail: string, now = T0): { mailId: number; code: string } {
  expect(requestEmailChange(db, { accountId, newEmail, now })).toMatchObject({ ok: true });
  const mail = db.select().from(outbox).where(eq(outbox.toAddress, newEmail)).orderBy(outbox.id).all().at(-1);
  if (!mail || typeof mail.props.code !== "string") throw new Error("no e-mail-change e-mail");
  return { mailId: mail.id, code: mail.props.code };
}

function mail(id: number): OutboxMessage {
  const row = db.select().from(outbox).where(eq(outbox.id, id)).get();
  if (!row) throw new Error(`no outbox row ${id}`);
  return row;
}

function expectNowhere(code: string): void {
  const everything = JSON.stringify(db.select().from(outbox).all());
  expect(everything).not.toContain(code);
  expect(everything).not.toContain(encodeURIComponent(code));
}

describe("an e-mail change's code leaves the outbox when the change ends", () => {
  it("is stored with the change it belongs to, and stays in the mailbox until the change is confirmed", async () => {
    const paula = createAccount(db);
    const { mailId, code } = startChange(paula.id, "paula.new@example.test");
    const change = db.select().from(emailChanges).where(eq(emailChanges.accountId, paula.id)).get();
    expect(mail(mailId).secretRef).toBe(`email-change:${change?.id}`);

    await sendDueEmails(db, { now: T0, transport: MAILBOX_TRANSPORT });
    expect(mail(mailId)).toMatchObject({ status: "sent" });
    expect(mail(mailId).props.code).toBe(code);

    expect(confirmEmailChange(db, { accountId: paula.id, token: code, now: at(60_000) })).toMatchObject({
      ok: true,
    });
    expect(mail(mailId)).toMatchObject({ status: "sent" });
    expect(mail(mailId).props.code).toBeNull();
    expectNowhere(code);
  });

  it("cancelled before its e-mail went out: the code is erased and the e-mail never sent", async () => {
    const paula = createAccount(db);
    const { mailId, code } = startChange(paula.id, "paula.new@example.test");
    expect(cancelEmailChange(db, { accountId: paula.id })).toEqual({ isCancelled: true });
    expect(mail(mailId)).toMatchObject({
      status: "failed",
      lastError: "superseded: the e-mail change ended",
    });
    expectNowhere(code);
    expect(await sendDueEmails(db, { now: T0, transport: MAILBOX_TRANSPORT })).toMatchObject({ claimed: 0 });
  });

  it("replaced by a newer change: the older code is erased, the newer one kept", () => {
    const paula = createAccount(db);
    const first = startChange(paula.id, "paula.first@example.test");
    const second = startChange(paula.id, "paula.second@example.test", at(60_000));
    expect(mail(first.mailId)).toMatchObject({ status: "failed" });
    expectNowhere(first.code);
    expect(mail(second.mailId).props.code).toBe(second.code);
  });

  it("expired unconfirmed: the sweep erases the code, once", async () => {
    const paula = createAccount(db);
    const { mailId, code } = startChange(paula.id, "paula.new@example.test");
    await sendDueEmails(db, { now: T0, transport: MAILBOX_TRANSPORT });

    sweepExpiredRequests(db, at(EMAIL_CHANGE_TTL_MS - 1));
    expect(mail(mailId).props.code).toBe(code);

    sweepExpiredRequests(db, at(EMAIL_CHANGE_TTL_MS));
    expect(mail(mailId)).toMatchObject({ status: "sent" });
    expectNowhere(code);
    const after = JSON.stringify(db.select().from(outbox).all());
    sweepExpiredRequests(db, at(2 * EMAIL_CHANGE_TTL_MS));
    expect(JSON.stringify(db.select().from(outbox).all())).toBe(after);
  });
});
