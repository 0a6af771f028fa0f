import { asc, eq } from "drizzle-orm";
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import type { Db } from "@/db/client";
import { webhookDeliveries, webhookDeliveryAttempts, webhookEvents } from "@/db/schema";
import { openTestDb } from "@/db/testing";
import { stubAuthSecret } from "@/lib/api/auth/testing/api-auth-fixtures";
import type { WebhookDeliveryStatus } from "@/lib/provider/vocabulary";
import { pruneWebhookEvents, WEBHOOK_RETENTION_MS } from "./prune-webhook-events";
import { recordWebhookEvent } from "./record-webhook-event";
import { createWebhookEndpoint } from "./webhook-endpoints";

const NOW = new Date("2026-05-04T08:00:00.000Z");
const OLD = new Date(NOW.getTime() - WEBHOOK_RETENTION_MS - 1);
const RECENT = new Date(NOW.getTime() - WEBHOOK_RETENTION_MS + 60_000);

let db: Db;

beforeEach(async () => {
  stubAuthSecret();
  db = await openTestDb();
  for (const url of ["https://a.example.test/h", "https://b.example.test/h"]) {
    const created = await createWebhookEndpoint(db, { url });
    if (!created.ok) throw new Error(created.message);
  }
});

afterEach(async () => {
  vi.unstubAllEnvs();
  await db.close();
});

/** An event whose deliveries (one per endpoint) are in `statuses`, each with one attempt logged. */
async function eventWith(name: string, at: Date, statuses: [WebhookDeliveryStatus, WebhookDeliveryStatus]) {
  await db.transaction(async (tx) => {
    await recordWebhookEvent(tx, { type: "service.removed", data: { name }, at });
    const rows = await tx.select().from(webhookDeliveries).where(eq(webhookDeliveries.status, "pending"));
    const fresh = rows.filter((row) => row.attempts === 0).sort((a, b) => a.id - b.id);
    for (const [index, row] of fresh.entries()) {
      await tx
        .update(webhookDeliveries)
        .set({ status: statuses[index], attempts: 1 })
        .where(eq(webhookDeliveries.id, row.id));
      await tx
        .insert(webhookDeliveryAttempts)
        .values({ deliveryId: row.id, at, statusCode: 200, durationMs: 5 });
    }
  });
}

it("deletes events past the retention whose deliveries are over, with their deliveries and attempts, and keeps the rest", async () => {
  await eventWith("old-delivered", OLD, ["delivered", "delivered"]);
  await eventWith("old-given-up", OLD, ["delivered", "failed"]);
  await eventWith("old-still-pending", OLD, ["delivered", "pending"]);
  await eventWith("recent", RECENT, ["delivered", "delivered"]);

  expect(await pruneWebhookEvents(db, NOW)).toBe(2);

  const left = await db.read.select().from(webhookEvents).orderBy(asc(webhookEvents.id));
  expect(left.map((event) => (event.payload.data as { name: string }).name)).toEqual([
    "old-still-pending",
    "recent",
  ]);
  expect(await db.read.select().from(webhookDeliveries)).toHaveLength(4);
  expect(await db.read.select().from(webhookDeliveryAttempts)).toHaveLength(4);
  expect(await pruneWebhookEvents(db, NOW)).toBe(0);
});
