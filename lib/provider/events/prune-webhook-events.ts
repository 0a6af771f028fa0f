import { and, asc, inArray, lt } from "drizzle-orm";
import type { Db } from "@/db/client";
import { webhookDeliveries, webhookDeliveryAttempts, webhookEndpoints, webhookEvents } from "@/db/schema";

/** How long events stay after they happened: the delivery log's memory. */
export const WEBHOOK_RETENTION_MS = 30 * 24 * 3_600_000;
/** Events deleted per transaction, so a backlog never holds the write lock for long. */
const BATCH = 500;

/**
 * Deletes events older than the retention whose deliveries are all over (delivered or given up),
 * with their deliveries and attempts: at most `BATCH` per call, oldest first. Deliveries are
 * found per endpoint (a handful), so each lookup uses the (endpoint, event) index.
 */
export async function pruneWebhookEvents(db: Db, now: Date): Promise<number> {
  return db.transaction(async (tx) => {
    const old = await tx
      .select({ id: webhookEvents.id })
      .from(webhookEvents)
      .where(lt(webhookEvents.occurredAt, new Date(now.getTime() - WEBHOOK_RETENTION_MS)))
      .orderBy(asc(webhookEvents.occurredAt))
      .limit(BATCH);
    if (old.length === 0) return 0;
    const endpointIds = (await tx.select({ id: webhookEndpoints.id }).from(webhookEndpoints)).map(
      (row) => row.id,
    );
    const deliveries = endpointIds.length
      ? await tx
          .select({
            id: webhookDeliveries.id,
            eventId: webhookDeliveries.eventId,
            status: webhookDeliveries.status,
          })
          .from(webhookDeliveries)
          .where(
            and(
              inArray(webhookDeliveries.endpointId, endpointIds),
              inArray(
                webhookDeliveries.eventId,
                old.map((row) => row.id),
              ),
            ),
          )
      : [];
    // An event still on its way somewhere (the worker was stopped for weeks) is kept: never lost.
    const kept = new Set(
      deliveries.filter((d) => d.status === "pending" || d.status === "sending").map((d) => d.eventId),
    );
    const eventIds = old.map((row) => row.id).filter((id) => !kept.has(id));
    const deliveryIds = deliveries.filter((d) => !kept.has(d.eventId)).map((d) => d.id);
    if (deliveryIds.length) {
      await tx
        .delete(webhookDeliveryAttempts)
        .where(inArray(webhookDeliveryAttempts.deliveryId, deliveryIds));
      await tx.delete(webhookDeliveries).where(inArray(webhookDeliveries.id, deliveryIds));
    }
    if (eventIds.length) await tx.delete(webhookEvents).where(inArray(webhookEvents.id, eventIds));
    return eventIds.length;
  });
}
