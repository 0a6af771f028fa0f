import { randomBytes } from "node:crypto";
import { and, isNull } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { webhookDeliveries, webhookEndpoints, webhookEvents } from "@/db/schema";
import type { WebhookEventType } from "@/lib/provider/vocabulary";

/** A stable message id (`webhook-id`), the same on every delivery and retry of the event. */
export function newMessageId(): string {
  return `msg_${randomBytes(16).toString("base64url")}`;
}

/** An event as its writer tells it. */
export type WebhookEventInput = { type: WebhookEventType; data: Record<string, unknown>; at: Date };

/**
 * Writes an event for the provider's endpoints in the transaction of the change it tells of, with
 * one delivery per enabled endpoint that takes its type: committed with the change, or not at
 * all. With no endpoint registered nothing is written.
 */
export async function recordWebhookEvent(tx: Tx, event: WebhookEventInput): Promise<void> {
  await recordWebhookEvents(tx, [event]);
}

/** Events and deliveries in a few multi-row inserts, for rows enough per statement to stay under SQLite's parameter limit. */
const EVENTS_PER_INSERT = 500;

/**
 * {@link recordWebhookEvent} for many events of one transaction (a batch of the bulk import): the
 * endpoints are read once and the rows go in multi-row inserts.
 */
export async function recordWebhookEvents(tx: Tx, events: WebhookEventInput[]): Promise<void> {
  if (events.length === 0) return;
  const endpoints = await tx
    .select({ id: webhookEndpoints.id, eventTypes: webhookEndpoints.eventTypes })
    .from(webhookEndpoints)
    .where(and(isNull(webhookEndpoints.disabledAt)));
  if (endpoints.length === 0) return;
  const takers = (type: WebhookEventType) =>
    endpoints.filter((endpoint) => endpoint.eventTypes === null || endpoint.eventTypes.includes(type));
  const taken = events.filter((event) => takers(event.type).length > 0);
  for (let start = 0; start < taken.length; start += EVENTS_PER_INSERT) {
    const chunk = taken.slice(start, start + EVENTS_PER_INSERT).map((event) => ({
      event,
      messageId: newMessageId(),
    }));
    const stored = await tx
      .insert(webhookEvents)
      .values(
        chunk.map(({ event, messageId }) => ({
          messageId,
          type: event.type,
          payload: { type: event.type, timestamp: event.at.toISOString(), data: event.data },
          occurredAt: event.at,
        })),
      )
      .returning({ id: webhookEvents.id, messageId: webhookEvents.messageId });
    // Matched by message id: the order of a multi-row insert's RETURNING is not promised.
    const idOf = new Map(stored.map((row) => [row.messageId, row.id]));
    await tx.insert(webhookDeliveries).values(
      chunk.flatMap(({ event, messageId }) =>
        takers(event.type).map((endpoint) => ({
          endpointId: endpoint.id,
          eventId: idOf.get(messageId) as number,
          nextAttemptAt: event.at,
        })),
      ),
    );
  }
}
