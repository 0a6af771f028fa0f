import { randomBytes } from "node:crypto";
import { isNull } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { webhookDeliveries, webhookEndpoints, webhookEvents } from "@/db/schema";
import type { WebhookEventType } from "@/lib/provider/vocabulary";

/** A stable message id (`webhook-id`), the same on every delivery and retry of the event. */
export function newMessageId(): string {
  return `msg_${randomBytes(16).toString("base64url")}`;
}

/**
 * Writes an event for the provider's endpoints in the transaction of the change it tells of, with
 * one delivery per enabled endpoint that takes its type: committed with the change, or not at
 * all. With no endpoint registered nothing is written. `data` may be given as a function: it is
 * then only built (and what it reads only read) when some endpoint takes the event, which keeps
 * a step that emits events as cheap as before while no endpoint is registered.
 */
export async function recordWebhookEvent(
  tx: Tx,
  event: {
    type: WebhookEventType;
    data: Record<string, unknown> | (() => Promise<Record<string, unknown>>);
    at: Date;
  },
): Promise<void> {
  const endpoints = (
    await tx
      .select({ id: webhookEndpoints.id, eventTypes: webhookEndpoints.eventTypes })
      .from(webhookEndpoints)
      .where(isNull(webhookEndpoints.disabledAt))
  ).filter((endpoint) => endpoint.eventTypes === null || endpoint.eventTypes.includes(event.type));
  if (endpoints.length === 0) return;
  const data = typeof event.data === "function" ? await event.data() : event.data;
  const [stored] = await tx
    .insert(webhookEvents)
    .values({
      messageId: newMessageId(),
      type: event.type,
      payload: { type: event.type, timestamp: event.at.toISOString(), data },
      occurredAt: event.at,
    })
    .returning({ id: webhookEvents.id });
  await tx.insert(webhookDeliveries).values(
    endpoints.map((endpoint) => ({
      endpointId: endpoint.id,
      eventId: (stored as { id: number }).id,
      nextAttemptAt: event.at,
    })),
  );
}
