import { describe, expect, it } from "vitest";
import { accounts, inboundWebhookMessages, sessions, throttleAttempts } from "@/db/schema";
import { openTestDb } from "@/db/testing";
import { startSession } from "@/lib/auth/sessions";
import { runHousekeeping } from "./housekeeping";

const NOW = new Date("2026-11-25T10:00:00.000Z");
const DAY = 24 * 60 * 60_000;

describe("housekeeping", () => {
  it("deletes expired sessions and day-old attempts, and keeps the rest", async () => {
    const db = await openTestDb();
    const [account] = await db.transaction((tx) =>
      tx
        .insert(accounts)
        .values({ customerId: "aa100001-ovh", name: "Anna", email: "anna@example.test", passwordHash: "x" })
        .returning({ id: accounts.id }),
    );
    if (!account) throw new Error("no account");
    const accountId = account.id;
    await startSession(db, { accountId, now: new Date(NOW.getTime() - 31 * DAY) });
    await startSession(db, { accountId, now: NOW });
    await db.transaction(async (tx) => {
      await tx.insert(throttleAttempts).values([
        { scope: "sign-in", key: "client:192.0.2.1", at: new Date(NOW.getTime() - DAY - 1) },
        { scope: "sign-in", key: "client:192.0.2.1", at: new Date(NOW.getTime() - 60_000) },
      ]);
      await tx.insert(inboundWebhookMessages).values([
        {
          messageId: "msg_old",
          source: "resend",
          type: "email.bounced",
          receivedAt: new Date(NOW.getTime() - 8 * DAY),
        },
        {
          messageId: "msg_new",
          source: "resend",
          type: "email.bounced",
          receivedAt: new Date(NOW.getTime() - 2 * DAY),
        },
      ]);
    });
    expect(await runHousekeeping(db, NOW)).toEqual({
      sessions: 1,
      throttleAttempts: 1,
      apiSignatures: 0,
      apiUndecidedKeys: 0,
      webhookEvents: 0,
      inboundWebhooks: 1,
    });
    expect(await db.read.select().from(sessions)).toHaveLength(1);
    expect(await db.read.select().from(throttleAttempts)).toHaveLength(1);
    // A message Resend may still retry keeps its id, so the retry is still taken once.
    expect(
      await db.read.select({ id: inboundWebhookMessages.messageId }).from(inboundWebhookMessages),
    ).toEqual([{ id: "msg_new" }]);
  });
});
