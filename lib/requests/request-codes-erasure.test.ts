import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Db } from "@/db/client";
import { outbox } from "@/db/schema";
import { sendDueEmails } from "@/lib/email/outbox-sender";
import { MAILBOX_TRANSPORT } from "@/lib/email/send-email";
import { answerRequest } from "./answer-request";
import { cancelRequest } from "./cancel-request";
import { resendRequest } from "./resend-request";
import { sweepExpiredRequests } from "./sweep-expired-requests";
import {
  ANNA,
  accountIdOf,
  askOne,
  at,
  BARTOSZ,
  codeFor,
  DAWID,
  DAY,
  HOUR,
  MINUTE,
  mailsOf,
  openTestDb,
  requestRow,
  T0,
} from "./testing/confirming-fixtures";

let db: Db;

beforeEach(async () => {
  vi.stubEnv("REQUEST_EXPIRY_DAYS", "");
  db = await openTestDb();
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await db.close();
});

const idOf = (customerId: string) => accountIdOf(db, customerId);

/** Anna asks to replace Bartosz as technical contact of example.pl by Dawid: Anna and Dawid confirm. */
async function annaReplacesTech(): Promise<{ id: number; codes: string[] }> {
  const id = await askOne(db, ANNA, "example.pl", { tech: DAWID });
  return { id, codes: [await codeFor(db, id, ANNA), await codeFor(db, id, DAWID)] };
}

async function answer(
  customerId: string,
  requestId: number,
  token: string,
  decision: "accepted" | "refused",
) {
  return answerRequest(db, { requestId, actorId: await idOf(customerId), token, decision, now: at(HOUR) });
}

/** The request's code e-mails as `[recipient, status, code, lastError]`, oldest first. */
async function codeMails(requestId: number) {
  return (await mailsOf(db, requestId, "change-request")).map((mail) => [
    mail.toAddress,
    mail.status,
    mail.props.code,
    mail.lastError,
  ]);
}

async function expectNowhere(codes: string[]): Promise<void> {
  const everything = JSON.stringify(await db.read.select().from(outbox));
  for (const code of codes) {
    expect(everything).not.toContain(code);
    expect(everything).not.toContain(encodeURIComponent(code));
  }
}

describe("a request's codes leave the outbox when it ends", () => {
  it("cancelled before its e-mails went out: the codes are erased and those e-mails are never sent", async () => {
    const { id, codes } = await annaReplacesTech();
    expect((await mailsOf(db, id, "change-request")).map((mail) => mail.secretRef)).toEqual([
      `request:${id}`,
      `request:${id}`,
    ]);

    expect(await cancelRequest(db, { requestId: id, actorId: await idOf(ANNA), now: at(MINUTE) })).toEqual({
      ok: true,
    });

    const superseded = "superseded: the request ended";
    expect(await codeMails(id)).toEqual([
      ["anna@example.test", "failed", null, superseded],
      ["dawid@example.test", "failed", null, superseded],
    ]);
    await expectNowhere(codes);
    // Only the notices of the end go out.
    const run = await sendDueEmails(db, { now: at(MINUTE), transport: MAILBOX_TRANSPORT });
    expect(run.sent).toBe((await mailsOf(db, id, "request-ended")).length);
    expect((await codeMails(id)).map(([, status]) => status)).toEqual(["failed", "failed"]);
  });

  it("in demo mode the mailbox shows the codes while the request is pending, and no longer once it is done", async () => {
    const { id, codes } = await annaReplacesTech();
    await sendDueEmails(db, { now: T0, transport: MAILBOX_TRANSPORT });
    expect(await codeMails(id)).toEqual([
      ["anna@example.test", "sent", codes[0], null],
      ["dawid@example.test", "sent", codes[1], null],
    ]);

    expect(await answer(ANNA, id, codes[0] ?? "", "accepted")).toMatchObject({
      ok: true,
      outcome: "waiting",
    });
    expect((await codeMails(id)).map(([, , code]) => code)).toEqual(codes);
    expect(await answer(DAWID, id, codes[1] ?? "", "accepted")).toEqual({ ok: true, outcome: "done" });

    expect(await codeMails(id)).toEqual([
      ["anna@example.test", "sent", null, null],
      ["dawid@example.test", "sent", null, null],
    ]);
    await expectNowhere(codes);
  });

  it("refused: the codes are erased", async () => {
    const { id, codes } = await annaReplacesTech();
    await sendDueEmails(db, { now: T0, transport: MAILBOX_TRANSPORT });
    expect(await answer(DAWID, id, codes[1] ?? "", "refused")).toEqual({ ok: true, outcome: "refused" });
    expect((await requestRow(db, id)).state).toBe("refused");
    expect((await codeMails(id)).map(([, , code]) => code)).toEqual([null, null]);
    await expectNowhere(codes);
  });

  it("expired: the sweep erases the codes", async () => {
    const { id, codes } = await annaReplacesTech();
    await sendDueEmails(db, { now: T0, transport: MAILBOX_TRANSPORT });
    expect(await sweepExpiredRequests(db, at(14 * DAY))).toEqual([id]);
    expect((await codeMails(id)).map(([, , code]) => code)).toEqual([null, null]);
    await expectNowhere(codes);
  });
});

describe("a resend", () => {
  it("erases the previous codes of the confirmers it sends new ones to, and cancels their unsent e-mails", async () => {
    const { id, codes } = await annaReplacesTech();
    // Anna has answered: only Dawid is sent a new code.
    expect(await answer(ANNA, id, codes[0] ?? "", "accepted")).toMatchObject({ outcome: "waiting" });

    expect(
      await resendRequest(db, { requestId: id, actorId: await idOf(ANNA), now: at(2 * HOUR) }),
    ).toMatchObject({
      ok: true,
      recipients: [{ customerId: DAWID }],
    });

    const newCode = await codeFor(db, id, DAWID);
    expect(newCode).not.toBe(codes[1]);
    expect(await codeMails(id)).toEqual([
      ["anna@example.test", "pending", codes[0], null],
      ["dawid@example.test", "failed", null, "superseded: a new code was sent"],
      ["dawid@example.test", "pending", newCode, null],
    ]);
    await expectNowhere([codes[1] ?? ""]);
    // Bartosz, the old contact, confirms nothing and was never sent a code.
    const bartosz = await idOf(BARTOSZ);
    expect((await mailsOf(db, id, "change-request")).some((mail) => mail.toAccountId === bartosz)).toBe(
      false,
    );
  });
});
