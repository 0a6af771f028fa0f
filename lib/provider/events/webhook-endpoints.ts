/**
 * The provider's endpoints for signed events: registered by an operator with
 * `npm run webhook-endpoint` or through the provisioning API (scope `webhooks:manage`).
 */
import { and, asc, desc, eq, inArray, lt } from "drizzle-orm";
import type { Db } from "@/db/client";
import {
  type WebhookEndpoint,
  webhookDeliveries,
  webhookDeliveryAttempts,
  webhookEndpoints,
  webhookEvents,
} from "@/db/schema";
import type { WebhookDeliveryStatus, WebhookEventType } from "@/lib/provider/vocabulary";
import { parseWebhookEndpointInput, type WebhookEndpointInputRefusal } from "./parse-webhook-endpoint-input";
import { generateWebhookSecret, sealWebhookSecret } from "./webhook-secret";

export type WebhookEndpointView = {
  id: number;
  url: string;
  description: string;
  /** null: every event type. */
  eventTypes: WebhookEventType[] | null;
  createdAt: Date;
  disabledAt: Date | null;
};

export type CreateWebhookEndpointResult =
  /** `secret` (`whsec_…`) is shown this once; it is stored encrypted. */
  | { ok: true; endpoint: WebhookEndpointView; secret: string }
  /** `invalid_url`, `invalid_description` or `invalid_event_types`, with a message for the operator. */
  | WebhookEndpointInputRefusal;

/** One event's delivery to an endpoint, for its delivery log. */
export type WebhookDeliveryView = {
  id: number;
  messageId: string;
  eventType: WebhookEventType;
  status: WebhookDeliveryStatus;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
  nextAttemptAt: Date;
};

/** Most deliveries one page of the log shows. */
export const MAX_DELIVERY_PAGE = 100;

function view(endpoint: WebhookEndpoint): WebhookEndpointView {
  const { secretEncrypted: _secret, ...shown } = endpoint;
  return shown;
}

/**
 * Registers an endpoint after checking the input (see parseWebhookEndpointInput), with a signing
 * secret generated here and returned this once; only its sealed form is stored. Events written
 * from then on are delivered to it; earlier ones are not.
 */
export async function createWebhookEndpoint(
  db: Db,
  input: { url: string; description?: string; eventTypes?: WebhookEventType[] | null },
): Promise<CreateWebhookEndpointResult> {
  const parsed = parseWebhookEndpointInput(input);
  if (!parsed.ok) return parsed;
  const secret = generateWebhookSecret();
  const endpoint = await db.transaction(async (tx) => {
    // The sealed secret is bound to the row's id, known only once the row exists.
    const [created] = (await tx
      .insert(webhookEndpoints)
      .values({ ...parsed.value, secretEncrypted: "" })
      .returning()) as [WebhookEndpoint];
    const [sealed] = (await tx
      .update(webhookEndpoints)
      .set({ secretEncrypted: sealWebhookSecret(secret, created.id) })
      .where(eq(webhookEndpoints.id, created.id))
      .returning()) as [WebhookEndpoint];
    return sealed;
  });
  return { ok: true, endpoint: view(endpoint), secret };
}

/** Every endpoint, disabled ones included, oldest first. */
export async function listWebhookEndpoints(db: Db): Promise<WebhookEndpointView[]> {
  const rows = await db.read.select().from(webhookEndpoints).orderBy(webhookEndpoints.id);
  return rows.map(view);
}

/** Stops deliveries to an endpoint (those pending end as failed). False when there is no such endpoint. */
export async function disableWebhookEndpoint(db: Db, id: number, now = new Date()): Promise<boolean> {
  if (!Number.isSafeInteger(id)) return false;
  return db.transaction(async (tx) => {
    const [endpoint] = await tx
      .select({ id: webhookEndpoints.id, disabledAt: webhookEndpoints.disabledAt })
      .from(webhookEndpoints)
      .where(eq(webhookEndpoints.id, id));
    if (!endpoint) return false;
    if (endpoint.disabledAt) return true;
    await tx.update(webhookEndpoints).set({ disabledAt: now }).where(eq(webhookEndpoints.id, id));
    // A delivery in flight loses its claim with this: its outcome is not recorded over this one.
    await tx
      .update(webhookDeliveries)
      .set({ status: "failed", lockedUntil: null, lastError: "the endpoint was disabled" })
      .where(
        and(eq(webhookDeliveries.endpointId, id), inArray(webhookDeliveries.status, ["pending", "sending"])),
      );
    return true;
  });
}

/** The endpoint's deliveries, newest first, `before` an id for the next page; null when there is no such endpoint. */
export async function listWebhookDeliveries(
  db: Db,
  endpointId: number,
  page: { before?: number; limit?: number } = {},
): Promise<WebhookDeliveryView[] | null> {
  if (!Number.isSafeInteger(endpointId)) return null;
  const [endpoint] = await db.read
    .select({ id: webhookEndpoints.id })
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.id, endpointId));
  if (!endpoint) return null;
  const limit = Math.min(MAX_DELIVERY_PAGE, Math.max(1, Math.trunc(page.limit ?? 50) || 50));
  const before = Number.isSafeInteger(page.before) ? page.before : undefined;
  return db.read
    .select({
      id: webhookDeliveries.id,
      messageId: webhookEvents.messageId,
      eventType: webhookEvents.type,
      status: webhookDeliveries.status,
      attempts: webhookDeliveries.attempts,
      lastStatusCode: webhookDeliveries.lastStatusCode,
      lastError: webhookDeliveries.lastError,
      createdAt: webhookDeliveries.createdAt,
      deliveredAt: webhookDeliveries.deliveredAt,
      nextAttemptAt: webhookDeliveries.nextAttemptAt,
    })
    .from(webhookDeliveries)
    .innerJoin(webhookEvents, eq(webhookEvents.id, webhookDeliveries.eventId))
    .where(
      and(
        eq(webhookDeliveries.endpointId, endpointId),
        before === undefined ? undefined : lt(webhookDeliveries.id, before),
      ),
    )
    .orderBy(desc(webhookDeliveries.id))
    .limit(limit);
}

/** One attempt of a delivery, for the delivery log. */
export type WebhookDeliveryAttemptView = {
  at: Date;
  /** The endpoint's HTTP status; null when it did not answer. */
  statusCode: number | null;
  error: string | null;
  durationMs: number;
};

/** A delivery's attempts, oldest first; null when the endpoint has no such delivery. */
export async function listWebhookDeliveryAttempts(
  db: Db,
  input: { endpointId: number; deliveryId: number },
): Promise<WebhookDeliveryAttemptView[] | null> {
  if (!Number.isSafeInteger(input.endpointId) || !Number.isSafeInteger(input.deliveryId)) return null;
  const [delivery] = await db.read
    .select({ id: webhookDeliveries.id })
    .from(webhookDeliveries)
    .where(
      and(eq(webhookDeliveries.id, input.deliveryId), eq(webhookDeliveries.endpointId, input.endpointId)),
    );
  if (!delivery) return null;
  return db.read
    .select({
      at: webhookDeliveryAttempts.at,
      statusCode: webhookDeliveryAttempts.statusCode,
      error: webhookDeliveryAttempts.error,
      durationMs: webhookDeliveryAttempts.durationMs,
    })
    .from(webhookDeliveryAttempts)
    .where(eq(webhookDeliveryAttempts.deliveryId, delivery.id))
    .orderBy(asc(webhookDeliveryAttempts.at), asc(webhookDeliveryAttempts.id));
}
