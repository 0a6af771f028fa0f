import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { emailChanges, type OutboxMessage, outbox } from "@/db/schema";
import { openTestDb } from "@/db/testing";
import { sendDueEmails } from "@/lib/email/outbox-sender";
import { MAILBOX_TRANSPORT } from "@/lib/email/send-email";
import { sweepExpiredRequests } from "@/lib/requests/sweep-expired-requests";
import { cancelEmailChange } from "./cancel-email-change";
import { confirmEmailChange } from "./confirm-email-change";
import { EMAIL_CHANGE_TTL_MS } from "./email-change-rules";
import { requestEmailChange } from "./request-email-change";
import { at, createAccount, T0 } from "./testing/profile-fixtures";

let db: Db;

beforeEach(async () => {
  db = await openTestDb();
});
afterEach(async () => {
  await db.close();
});

/** Starts a change to `newEmail`; returns the outbox row of its e-mail and the code it carries. */
async function startChange(
  accountId: number,
  newEmail: string,
  now = T0,
): Promise<{ mailId: number; code: string }> {
  expect(await requestEmailChange(db, { accountId, newEmail, now })).toMatchObject({ ok: true });
  const mails = await db.read.select().from(outbox).where(eq(outbox.toAddress, newEmail)).orderBy(outbox.id);
  const mail = mails.at(-1);
  if (!mail || typeof mail.props.code !== "string") throw new Error("no e-mail-change e-mail");
  return { mailId: mail.id, code: mail.props.code };
}

async function mail(id: number): Promise<OutboxMessage> {
  const [row] = await db.read.select().from(outbox).where(eq(outbox.id, id));
  if (!row) throw new Error(`no outbox row ${id}`);
  return row;
}

async function expectNowhere(code: string): Promise<void> {
  const everything = JSON.stringify(await db.read.select().from(outbox));
  expect(everything).not.toContain(code);
  expect(everything).not.toContain(encodeURIComponent(code));
}

describe("an e-mail change's code leaves the outbox when the change ends", () => {
  it("is stored with the change it belongs to, and stays in the mailbox until the change is confirmed", async () => {
    const paula = await createAccount(db);
    const { mailId, code } = await startChange(paula.id, "paula.new@example.test");
    const [change] = await db.read.select().from(emailChanges).where(eq(emailChanges.accountId, paula.id));
    expect((await mail(mailId)).secretRef).toBe(`email-change:${change?.id}`);

    await sendDueEmails(db, { now: T0, transport: MAILBOX_TRANSPORT });
    expect(await mail(mailId)).toMatchObject({ status: "sent" });
    expect((await mail(mailId)).props.code).toBe(code);

    expect(await confirmEmailChange(db, { accountId: paula.id, token: code, now: at(60_000) })).toMatchObject(
      {
        ok: true,
      },
    );
    expect(await mail(mailId)).toMatchObject({ status: "sent" });
    expect((await mail(mailId)).props.code).toBeNull();
    await expectNowhere(code);
  });

  it("cancelled before its e-mail went out: the code is erased and the e-mail never sent", async () => {
    const paula = await createAccount(db);
    const { mailId, code } = await startChange(paula.id, "paula.new@example.test");
    expect(await cancelEmailChange(db, { accountId: paula.id })).toEqual({ isCancelled: true });
    expect(await mail(mailId)).toMatchObject({
      status: "failed",
      lastError: "superseded: the e-mail change ended",
    });
    await expectNowhere(code);
    expect(await sendDueEmails(db, { now: T0, transport: MAILBOX_TRANSPORT })).toMatchObject({ claimed: 0 });
  });

  it("replaced by a newer change: the older code is erased, the newer one kept", async () => {
    const paula = await createAccount(db);
    const first = await startChange(paula.id, "paula.first@example.test");
    const second = await startChange(paula.id, "paula.second@example.test", at(60_000));
    expect(await mail(first.mailId)).toMatchObject({ status: "failed" });
    await expectNowhere(first.code);
    expect((await mail(second.mailId)).props.code).toBe(second.code);
  });

  it("expired unconfirmed: the sweep erases the code, once", async () => {
    const paula = await createAccount(db);
    const { mailId, code } = await startChange(paula.id, "paula.new@example.test");
    await sendDueEmails(db, { now: T0, transport: MAILBOX_TRANSPORT });

    await sweepExpiredRequests(db, at(EMAIL_CHANGE_TTL_MS - 1));
    expect((await mail(mailId)).props.code).toBe(code);

    await sweepExpiredRequests(db, at(EMAIL_CHANGE_TTL_MS));
    expect(await mail(mailId)).toMatchObject({ status: "sent" });
    await expectNowhere(code);
    const after = JSON.stringify(await db.read.select().from(outbox));
    await sweepExpiredRequests(db, at(2 * EMAIL_CHANGE_TTL_MS));
    expect(JSON.stringify(await db.read.select().from(outbox))).toBe(after);
  });
});
