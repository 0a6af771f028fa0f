import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Db } from "@/db/client";
import { accounts, type OutboxMessage, outbox } from "@/db/schema";
import { openTestDb } from "@/db/testing";
import { enqueueEmail } from "./enqueue-email";
import { eraseCodes } from "./erase-codes";
import { sendDueEmails } from "./outbox-sender";
import { MAILBOX_TRANSPORT } from "./send-email";
import { changeRequestProps, requestEndedProps } from "./testing/email-fixtures";
import { type FakeResend, startFakeResend } from "./testing/fake-resend-server";

const T0 = new Date("2026-01-01T10:00:00.000Z");
const CODE_A = "CodeA_abcdefghijklmnopqrstuvwxyz0123456789AB";
const CODE_B = "CodeB_abcdefghijklmnopqrstuvwxyz0123456789AB";

let db: Db;
let anna: number;
let dawid: number;

beforeEach(async () => {
  db = await openTestDb();
  const insert = async (customerId: string, email: string) => {
    const [inserted] = await db.transaction(async (tx) =>
      tx
        .insert(accounts)
        .values({ customerId, name: customerId, email, passwordHash: "x" })
        .returning({ id: accounts.id }),
    );
    if (!inserted) throw new Error(`no account ${customerId}`);
    return inserted.id;
  };
  anna = await insert("aa100001-ovh", "anna@example.test");
  dawid = await insert("dd400004-ovh", "dawid@example.test");
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await db.close();
});

async function enqueueCode(
  toAccountId: number,
  code: string,
  secretRef: string | null = "request:17",
): Promise<number> {
  const { id } = await db.transaction((tx) =>
    enqueueEmail(tx, {
      to: `${toAccountId}@example.test`,
      toAccountId,
      language: "en",
      template: "change-request",
      props: changeRequestProps({ code }),
      secretRef,
      now: T0,
    }),
  );
  return id;
}

function erase(input: Parameters<typeof eraseCodes>[1]) {
  return db.transaction((tx) => eraseCodes(tx, input));
}

async function row(id: number): Promise<OutboxMessage> {
  const [found] = await db.read.select().from(outbox).where(eq(outbox.id, id));
  if (!found) throw new Error(`no outbox row ${id}`);
  return found;
}

describe("eraseCodes", () => {
  it("stores the secret reference it is given", async () => {
    expect((await row(await enqueueCode(anna, CODE_A))).secretRef).toBe("request:17");
    expect((await row(await enqueueCode(anna, CODE_A, null))).secretRef).toBeNull();
  });

  it("erases the code of every e-mail of the reference and cancels those not yet sent", async () => {
    const sent = await enqueueCode(anna, CODE_A);
    await sendDueEmails(db, { now: T0, transport: MAILBOX_TRANSPORT });
    // The mailbox keeps the code while the request is pending: there the row is the message.
    expect(await row(sent)).toMatchObject({ status: "sent" });
    expect((await row(sent)).props.code).toBe(CODE_A);
    const unsent = await enqueueCode(dawid, CODE_B);
    const otherRequest = await enqueueCode(dawid, CODE_B, "request:18");
    const { id: notice } = await db.transaction((tx) =>
      enqueueEmail(tx, {
        to: "anna@example.test",
        language: "en",
        template: "request-ended",
        props: requestEndedProps(),
        now: T0,
      }),
    );

    expect(await erase({ secretRef: "request:17", reason: "the request ended" })).toEqual({
      erased: 2,
      cancelled: 1,
    });

    expect(await row(sent)).toMatchObject({ status: "sent", lastError: null });
    expect(await row(unsent)).toMatchObject({ status: "failed", lastError: "superseded: the request ended" });
    for (const id of [sent, unsent]) {
      expect((await row(id)).props.code).toBeNull();
      expect(JSON.stringify(await row(id))).not.toContain(CODE_A);
      expect(JSON.stringify(await row(id))).not.toContain(CODE_B);
      // What remains still names the request.
      expect((await row(id)).props.requestId).toBe(17);
    }
    expect(await row(otherRequest)).toMatchObject({ status: "pending" });
    expect((await row(otherRequest)).props.code).toBe(CODE_B);
    expect((await row(notice)).status).toBe("pending");

    // A cancelled e-mail is never sent.
    expect(await sendDueEmails(db, { now: T0, transport: MAILBOX_TRANSPORT })).toMatchObject({ sent: 2 });
    expect((await row(unsent)).status).toBe("failed");
    // Twice is harmless.
    expect(await erase({ secretRef: "request:17", reason: "again" })).toEqual({ erased: 0, cancelled: 0 });
  });

  it("with `toAccountId`, erases only that recipient's codes", async () => {
    const annas = await enqueueCode(anna, CODE_A);
    const dawids = await enqueueCode(dawid, CODE_B);
    await erase({ secretRef: "request:17", toAccountId: dawid, reason: "a new code was sent" });
    expect((await row(annas)).props.code).toBe(CODE_A);
    expect(await row(dawids)).toMatchObject({
      status: "failed",
      lastError: "superseded: a new code was sent",
    });
    expect((await row(dawids)).props.code).toBeNull();
  });

  it("an e-mail erased while it is being sent keeps its erasure: the sender's result is not recorded", async () => {
    const resend: FakeResend = await startFakeResend();
    try {
      vi.stubEnv("RESEND_API_KEY", "re_test_key");
      vi.stubEnv("RESEND_BASE_URL", resend.baseUrl);
      const id = await enqueueCode(anna, CODE_A);
      resend.reply({ kind: "hold" });
      const sending = sendDueEmails(db, { now: T0 });
      await vi.waitFor(() => expect(resend.received).toHaveLength(1));
      await erase({ secretRef: "request:17", reason: "the request ended" });
      resend.release();
      expect(await sending).toMatchObject({ sent: 0, lost: 1 });
      expect(await row(id)).toMatchObject({ status: "failed", lastError: "superseded: the request ended" });
      expect((await row(id)).props.code).toBeNull();
    } finally {
      await resend.close();
    }
  });
});
