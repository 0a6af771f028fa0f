import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Db } from "@/db/client";
import { type OutboxMessage, outbox } from "@/db/schema";
import { openTestDb } from "@/db/testing";
import { outboxConcurrency } from "@/lib/config";
import { enqueueEmail } from "./enqueue-email";
import { kickOutboxSender, sendDueEmails, startOutboxSender } from "./outbox-sender";
import type { EmailTransport } from "./send-email";
import { captureLog } from "./testing/capture-log";
import { changeRequestProps } from "./testing/email-fixtures";
import { type FakeResend, startFakeResend } from "./testing/fake-resend-server";

const T0 = new Date("2026-01-01T10:00:00.000Z");

let db: Db;
let resend: FakeResend;

beforeEach(async () => {
  db = await openTestDb();
  resend = await startFakeResend();
  vi.stubEnv("RESEND_API_KEY", "re_test_key");
  vi.stubEnv("RESEND_BASE_URL", resend.baseUrl);
  vi.stubEnv("EMAIL_FROM", "");
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await resend.close();
  await db.close();
});

async function enqueue(count: number): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < count; i++) {
    const { id } = await db.transaction((tx) =>
      enqueueEmail(tx, {
        to: `user${i}@example.test`,
        language: "en",
        template: "change-request",
        props: changeRequestProps(),
        now: T0,
      }),
    );
    ids.push(id);
  }
  return ids;
}

function rows(): Promise<OutboxMessage[]> {
  return db.read.select().from(outbox).orderBy(outbox.id);
}

/**
 * A transport that counts the sends in flight, each held until the test releases it: how many
 * leave together then depends on the sender alone, not on how long a claim takes the database
 * (a PostgreSQL round trip on a busy machine can outlast a send of a few milliseconds).
 */
function heldTransport() {
  const counter = { started: 0, inFlight: 0, maxInFlight: 0, sent: 0 };
  let held: (() => void)[] = [];
  const transport: EmailTransport = {
    name: "resend",
    isDelivering: true,
    async send() {
      counter.started += 1;
      counter.inFlight += 1;
      counter.maxInFlight = Math.max(counter.maxInFlight, counter.inFlight);
      await new Promise<void>((resolve) => held.push(resolve));
      counter.inFlight -= 1;
      counter.sent += 1;
      return { ok: true, providerMessageId: `held-${counter.sent}` };
    },
  };
  /** Lets every send in flight finish. */
  const release = () => {
    const releasing = held;
    held = [];
    for (const resolve of releasing) resolve();
  };
  return { transport, counter, release };
}

/**
 * Waits until `started` sends have left in all and `inFlight` of them are held, then a while
 * longer to see that no more leave.
 */
async function expectHeld(
  counter: { started: number; inFlight: number },
  expected: { started: number; inFlight: number },
): Promise<void> {
  await vi.waitFor(() => expect(counter).toMatchObject(expected), { timeout: 5_000 });
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(counter).toMatchObject(expected);
}

describe("several sends at once", () => {
  it("while one provider call hangs, the other e-mails are sent", async () => {
    const [hanging, ...others] = await enqueue(6);
    resend.reply({ kind: "hold" });
    const run = sendDueEmails(db, { now: T0, concurrency: 4, probeGraceMs: 50 });

    await vi.waitFor(
      async () => expect((await rows()).filter((row) => row.status === "sent")).toHaveLength(5),
      { timeout: 5_000 },
    );
    const all = await rows();
    expect(all.find((row) => row.id === hanging)).toMatchObject({ status: "sending", attempts: 1 });
    expect(others.every((id) => all.find((row) => row.id === id)?.status === "sent")).toBe(true);

    resend.release();
    expect(await run).toMatchObject({ claimed: 6, sent: 6, lost: 0 });
    expect(resend.deliveries.size).toBe(6);
  });

  it("sends no more than `concurrency` at once, each row once", async () => {
    await enqueue(12);
    const { transport, counter, release } = heldTransport();
    const run = sendDueEmails(db, { now: T0, concurrency: 3, transport });
    // The probe, then three at a time until the last two.
    let started = 0;
    for (const inFlight of [1, 3, 3, 3, 2]) {
      started += inFlight;
      await expectHeld(counter, { started, inFlight });
      release();
    }
    expect(await run).toMatchObject({ claimed: 12, sent: 12 });
    expect(counter.maxInFlight).toBe(3);
    expect(counter.sent).toBe(12);
  });

  it("until the provider has taken one e-mail, a run sends one at a time (a refusing provider costs one attempt)", async () => {
    await enqueue(4);
    const { transport, counter, release } = heldTransport();
    const run = sendDueEmails(db, { now: T0, concurrency: 4, transport });
    // One probe, alone for as long as it takes (within PROBE_GRACE_MS), then the three others together.
    await expectHeld(counter, { started: 1, inFlight: 1 });
    release();
    await expectHeld(counter, { started: 4, inFlight: 3 });
    release();
    expect(await run).toMatchObject({ sent: 4 });
    expect(counter.maxInFlight).toBe(3);
  });

  it("two senders running several sends each never send one row twice", async () => {
    await enqueue(20);
    resend.reply(...Array.from({ length: 20 }, () => ({ kind: "deliver" as const, delayMs: 10 })));
    const [a, b] = await Promise.all([
      sendDueEmails(db, { now: T0, concurrency: 4 }),
      sendDueEmails(db, { now: T0, concurrency: 4 }),
    ]);
    expect(a.sent + b.sent).toBe(20);
    expect(a.sent).toBeGreaterThan(0);
    expect(b.sent).toBeGreaterThan(0);
    expect(resend.received).toHaveLength(20);
    expect([...resend.deliveries.values()]).toEqual(Array.from({ length: 20 }, () => 1));
  });

  it("OUTBOX_CONCURRENCY sets how many at once: 4 by default, at most 32", () => {
    expect(outboxConcurrency()).toBe(4);
    vi.stubEnv("OUTBOX_CONCURRENCY", "8");
    expect(outboxConcurrency()).toBe(8);
    vi.stubEnv("OUTBOX_CONCURRENCY", "1000");
    expect(outboxConcurrency()).toBe(32);
    for (const wrong of ["0", "-2", "1.5", "many"]) {
      vi.stubEnv("OUTBOX_CONCURRENCY", wrong);
      expect(outboxConcurrency()).toBe(4);
    }
  });
});

describe("stopping the sender", () => {
  it("takes no new rows, waits for the sends in flight, and logs its start and stop", async () => {
    const { log, lines } = captureLog();
    await enqueue(3);
    resend.reply({ kind: "hold" });
    const stop = startOutboxSender(db, { intervalMs: 60_000, concurrency: 4, log });
    await vi.waitFor(() => expect(resend.received).toHaveLength(1));

    let isStopped = false;
    const stopping = stop().then(() => {
      isStopped = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(isStopped).toBe(false);
    expect(kickOutboxSender()).toBe(false);

    resend.release();
    await stopping;
    // The send in flight was finished and recorded; nothing else was claimed.
    expect((await rows()).map((row) => [row.status, row.attempts])).toEqual([
      ["sent", 1],
      ["pending", 0],
      ["pending", 0],
    ]);
    expect(resend.received).toHaveLength(1);
    expect(lines().map((line) => line.msg)).toEqual(
      expect.arrayContaining(["outbox sender started", "outbox sender stopped"]),
    );
    expect(lines().find((line) => line.msg === "outbox sender started")).toMatchObject({
      transport: "resend",
      concurrency: 4,
    });
  });

  it("waits no longer than its timeout for a send that hangs", async () => {
    const { log, lines } = captureLog();
    await enqueue(1);
    resend.reply({ kind: "hold" });
    const stop = startOutboxSender(db, { intervalMs: 60_000, log });
    await vi.waitFor(() => expect(resend.received).toHaveLength(1));
    const startedAt = Date.now();
    await stop({ timeoutMs: 100 });
    expect(Date.now() - startedAt).toBeLessThan(2_000);
    expect(lines().at(-1)).toMatchObject({ msg: "outbox sender stopped with sends still in flight" });
    // The row stays claimed: after its lock another sender takes it over, with the same key.
    expect((await rows())[0]).toMatchObject({ status: "sending", attempts: 1 });
  });
});
