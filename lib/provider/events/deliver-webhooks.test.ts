import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { asc, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type Db, openDb } from "@/db/client";
import { webhookDeliveries, webhookDeliveryAttempts, webhookEvents } from "@/db/schema";
import { openTestDb } from "@/db/testing";
import { stubAuthSecret } from "@/lib/api/auth/testing/api-auth-fixtures";
import { deliverDueWebhooks, startWebhookDeliverer, WEBHOOK_LEASE_MS } from "./deliver-webhooks";
import { recordWebhookEvent } from "./record-webhook-event";
import { type ReceiverAnswer, startWebhookReceiver, type WebhookReceiver } from "./testing/webhook-receiver";
import {
  createWebhookEndpoint,
  disableWebhookEndpoint,
  listWebhookDeliveries,
  listWebhookDeliveryAttempts,
} from "./webhook-endpoints";
import { WEBHOOK_MAX_ATTEMPTS } from "./webhook-retry-policy";

const T0 = new Date("2026-05-04T08:00:00.000Z");
const HOUR = 3_600_000;

let db: Db;
let receivers: WebhookReceiver[];
let tempDir: string | undefined;

/** A clock the test moves: leases and backoff are measured against it, never waited for. */
function testClock() {
  let now = T0.getTime();
  return { clock: () => new Date(now), advance: (ms: number) => (now += ms) };
}

beforeEach(async () => {
  stubAuthSecret();
  db = await openTestDb();
  receivers = [];
});

afterEach(async () => {
  vi.unstubAllEnvs();
  for (const receiver of receivers) await receiver.close();
  await db.close();
  if (tempDir) fs.rmSync(tempDir, { recursive: true, force: true });
  tempDir = undefined;
});

/** A receiver and the endpoint registered for it. */
async function endpointWithReceiver(answer?: (index: number, path: string) => ReceiverAnswer) {
  let secret = "";
  const receiver = await startWebhookReceiver({ secret: () => secret, answer });
  receivers.push(receiver);
  const created = await createWebhookEndpoint(db, { url: receiver.url });
  if (!created.ok) throw new Error(created.message);
  secret = created.secret;
  return { receiver, endpointId: created.endpoint.id };
}

/** Writes `count` events, each in its own transaction as a change would. */
async function writeEvents(count: number, at = T0): Promise<string[]> {
  for (let i = 0; i < count; i++) {
    await db.transaction((tx) =>
      recordWebhookEvent(tx, {
        type: "service.contacts_changed",
        data: { service: { type: "domain", name: `example-${i}.pl` } },
        at,
      }),
    );
  }
  return (await db.read.select({ id: webhookEvents.messageId }).from(webhookEvents))
    .map((row) => row.id)
    .sort();
}

function deliveries() {
  return db.read.select().from(webhookDeliveries).orderBy(asc(webhookDeliveries.id));
}

function attemptsOf(deliveryId: number) {
  return db.read
    .select()
    .from(webhookDeliveryAttempts)
    .where(eq(webhookDeliveryAttempts.deliveryId, deliveryId))
    .orderBy(asc(webhookDeliveryAttempts.id));
}

describe("delivering to an endpoint that fails for a while", () => {
  it("retries through 500s and timeouts with growing delays, and the receiver, deduplicating by webhook-id, sees every event exactly once", async () => {
    // Three 500s, then two requests taken but never answered (the sender times out and sends
    // again: duplicates), then it answers 204 to everything.
    const { receiver, endpointId } = await endpointWithReceiver((index) =>
      index < 3 ? { status: 500 } : index < 5 ? { hang: true } : { status: 204 },
    );
    const messageIds = await writeEvents(4);
    const { clock, advance } = testClock();

    const first = await deliverDueWebhooks(db, { clock, timeoutMs: 300, random: () => 0 });
    // Once the endpoint failed, the run leaves its other events for the next run.
    expect(first).toMatchObject({ claimed: 1, delivered: 0, retried: 1 });
    const afterFirst = await deliveries();
    expect(afterFirst.map((d) => [d.status, d.attempts, d.nextAttemptAt.getTime() - T0.getTime()])).toEqual([
      ["pending", 1, 30_000],
      ["pending", 0, 0],
      ["pending", 0, 0],
      ["pending", 0, 0],
    ]);

    for (let round = 0; round < 10 && (await deliveries()).some((d) => d.status !== "delivered"); round++) {
      advance(HOUR);
      await deliverDueWebhooks(db, { clock, timeoutMs: 300, random: () => 0 });
    }

    expect((await deliveries()).map((d) => d.status)).toEqual(Array(4).fill("delivered"));
    expect(receiver.rejected).toBe(0);
    // Every attempt arrived signed: three answered 500, two taken but never answered (so sent
    // again: at least once), four answered 204.
    expect(receiver.verified.length).toBe(9);
    expect(receiver.uniqueMessageIds()).toEqual(messageIds);
    // Every event's payload arrives as written.
    for (const event of receiver.verified) {
      expect(event.payload).toMatchObject({
        type: "service.contacts_changed",
        data: { service: { type: "domain" } },
      });
    }

    // The delivery log tells each attempt.
    const [firstDelivery] = await deliveries();
    const log = await attemptsOf((firstDelivery as { id: number }).id);
    expect(log.map((a) => [a.statusCode, a.error])).toEqual([
      [500, "HTTP 500"],
      [null, "request failed: no answer within 300 ms"],
      [204, null],
    ]);
    expect(log[1]?.durationMs).toBeGreaterThanOrEqual(250);
    expect(
      await listWebhookDeliveryAttempts(db, { endpointId, deliveryId: (firstDelivery as { id: number }).id }),
    ).toEqual(log.map(({ at, statusCode, error, durationMs }) => ({ at, statusCode, error, durationMs })));
    // Another endpoint's delivery is not found through this one.
    expect(
      await listWebhookDeliveryAttempts(db, {
        endpointId: endpointId + 1,
        deliveryId: (firstDelivery as { id: number }).id,
      }),
    ).toBeNull();
    const page = await listWebhookDeliveries(db, endpointId);
    expect(page?.map((d) => [d.status, d.lastStatusCode, d.lastError])).toEqual(
      Array(4).fill(["delivered", 204, null]),
    );
  });

  it("a redirect is not followed: it counts as a failure and is tried again later", async () => {
    const { receiver } = await endpointWithReceiver((_index, requestPath) =>
      requestPath === "/hooks" ? { status: 302, location: "/elsewhere" } : { status: 204 },
    );
    await writeEvents(1);
    const { clock } = testClock();

    expect(await deliverDueWebhooks(db, { clock, timeoutMs: 1_000 })).toMatchObject({
      retried: 1,
      delivered: 0,
    });
    expect(receiver.verified.map((event) => event.path)).toEqual(["/hooks"]);
    const [delivery] = await deliveries();
    expect(delivery).toMatchObject({
      status: "pending",
      lastStatusCode: 302,
      lastError: "redirect (HTTP 302) not followed",
    });
  });

  it(`gives up as failed after ${WEBHOOK_MAX_ATTEMPTS} attempts, about a day`, async () => {
    await endpointWithReceiver(() => ({ status: 503 }));
    await writeEvents(1);
    const { clock, advance } = testClock();
    for (let i = 0; i < WEBHOOK_MAX_ATTEMPTS + 3; i++) {
      await deliverDueWebhooks(db, { clock, timeoutMs: 1_000, random: () => 0 });
      advance(HOUR);
    }
    const [delivery] = await deliveries();
    expect(delivery).toMatchObject({ status: "failed", attempts: WEBHOOK_MAX_ATTEMPTS });
    expect(delivery?.lastError).toBe(`gave up after ${WEBHOOK_MAX_ATTEMPTS} attempts: HTTP 503`);
    expect(await attemptsOf((delivery as { id: number }).id)).toHaveLength(WEBHOOK_MAX_ATTEMPTS);
  });

  it("a slow endpoint takes one slot: the others' events are delivered while it hangs", async () => {
    const slow = await endpointWithReceiver(() => ({ hang: true }));
    const fast = await endpointWithReceiver(() => ({ status: 200 }));
    await writeEvents(5);
    const startedAt = Date.now();
    const result = await deliverDueWebhooks(db, { timeoutMs: 3_000, concurrency: 4 });
    expect(result).toMatchObject({ delivered: 5, retried: 1 });
    expect(slow.receiver.verified).toHaveLength(1);
    expect(fast.receiver.verified).toHaveLength(5);
    // All of the fast endpoint's events arrived before the slow one's POST timed out.
    for (const event of fast.receiver.verified) expect(event.receivedAt - startedAt).toBeLessThan(3_000);
  });

  it("a disabled endpoint's pending deliveries end as failed and are never sent", async () => {
    const { receiver, endpointId } = await endpointWithReceiver();
    await writeEvents(2);
    expect(await disableWebhookEndpoint(db, endpointId, T0)).toBe(true);
    expect(await deliverDueWebhooks(db, { clock: testClock().clock })).toMatchObject({ claimed: 0 });
    expect(receiver.requests).toBe(0);
    expect((await deliveries()).map((d) => [d.status, d.lastError])).toEqual(
      Array(2).fill(["failed", "the endpoint was disabled"]),
    );
  });

  it("a delivery that escaped its endpoint's disabling (written at the same moment) is ended, not sent", async () => {
    const { receiver, endpointId } = await endpointWithReceiver();
    await disableWebhookEndpoint(db, endpointId, T0);
    // As recordWebhookEvent writes it when it read the endpoint just before the disabling committed.
    await db.transaction(async (tx) => {
      const [event] = await tx
        .insert(webhookEvents)
        .values({ messageId: "msg_raced", type: "request.done", payload: {}, occurredAt: T0 })
        .returning();
      await tx
        .insert(webhookDeliveries)
        .values({ endpointId, eventId: (event as { id: number }).id, nextAttemptAt: T0 });
    });
    expect(await deliverDueWebhooks(db, { clock: testClock().clock })).toMatchObject({ claimed: 0 });
    expect(receiver.requests).toBe(0);
    expect((await deliveries()).map((d) => [d.status, d.lastError])).toEqual([
      ["failed", "the endpoint was disabled"],
    ]);
  });

  it("an endpoint disabled while a POST is in flight keeps its delivery failed: the late outcome is logged, not recorded over it", async () => {
    const { receiver, endpointId } = await endpointWithReceiver(() => ({ hang: true }));
    await writeEvents(1);
    const { clock } = testClock();
    const running = deliverDueWebhooks(db, { clock, timeoutMs: 1_000 });
    while (receiver.requests === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    await disableWebhookEndpoint(db, endpointId, T0);
    expect(await running).toMatchObject({ claimed: 1, lost: 1, retried: 0 });
    const [delivery] = await deliveries();
    expect(delivery).toMatchObject({ status: "failed", lastError: "the endpoint was disabled" });
    expect(await attemptsOf((delivery as { id: number }).id)).toMatchObject([
      { statusCode: null, error: "request failed: no answer within 1000 ms" },
    ]);
  });
});

describe("several workers", () => {
  it("a delivery claimed by one worker is not taken by another while its lease holds, and is taken once it ran out", async () => {
    const { receiver } = await endpointWithReceiver();
    await writeEvents(1);
    const { clock, advance } = testClock();
    // A worker claimed it and died mid-POST.
    await db.transaction((tx) =>
      tx
        .update(webhookDeliveries)
        .set({ status: "sending", attempts: 1, lockedUntil: new Date(T0.getTime() + WEBHOOK_LEASE_MS) }),
    );
    advance(WEBHOOK_LEASE_MS - 1);
    expect(await deliverDueWebhooks(db, { clock })).toMatchObject({ claimed: 0 });
    expect(receiver.requests).toBe(0);
    advance(1);
    expect(await deliverDueWebhooks(db, { clock })).toMatchObject({ claimed: 1, delivered: 1 });
    expect((await deliveries())[0]).toMatchObject({ status: "delivered", attempts: 2 });
  });

  it("two workers on two connections running at once never both deliver one delivery", async () => {
    if (db.dialect === "sqlite") {
      // Two connections need a file.
      await db.close();
      tempDir = fs.mkdtempSync(path.join(os.tmpdir(), "webhooks-"));
      db = await openTestDb(path.join(tempDir, "app.db"));
    }
    const endpoints = [
      await endpointWithReceiver(() => ({ status: 200 })),
      await endpointWithReceiver(() => ({ status: 200 })),
      await endpointWithReceiver(() => ({ status: 200 })),
    ];
    const messageIds = await writeEvents(12);
    const other = openDb(db.location);
    try {
      const [a, b] = await Promise.all([
        deliverDueWebhooks(db, { concurrency: 3, timeoutMs: 5_000 }),
        deliverDueWebhooks(other, { concurrency: 3, timeoutMs: 5_000 }),
      ]);
      expect((a?.claimed ?? 0) + (b?.claimed ?? 0)).toBe(36);
      // Both took part.
      expect(a?.claimed).toBeGreaterThan(0);
      expect(b?.claimed).toBeGreaterThan(0);
      expect((a?.lost ?? 0) + (b?.lost ?? 0)).toBe(0);
    } finally {
      await other.close();
    }
    for (const { receiver } of endpoints) {
      // Exactly once each, before any deduplication.
      expect(receiver.verified.map((event) => event.messageId).sort()).toEqual(messageIds);
    }
    expect((await deliveries()).every((d) => d.status === "delivered" && d.attempts === 1)).toBe(true);
  });
});

describe("the worker the server starts", () => {
  it("delivers what becomes due while it runs, and nothing once stopped", async () => {
    const { receiver } = await endpointWithReceiver();
    const stop = startWebhookDeliverer(db, { intervalMs: 20 });
    try {
      await writeEvents(1, new Date());
      for (let waited = 0; receiver.verified.length === 0 && waited < 5_000; waited += 20) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(receiver.verified).toHaveLength(1);
    } finally {
      await stop();
    }
    await writeEvents(1, new Date());
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(receiver.requests).toBe(1);
  });
});
