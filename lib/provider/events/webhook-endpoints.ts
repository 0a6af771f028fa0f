/**
 * The provider's endpoints for signed events: registered by an operator with
 * `npm run webhook-endpoint` or through the provisioning API (scope `webhooks:manage`).
 *
 * CONTRACT (issue 10): the HTTP door codes against these signatures.
 */
import type { Db } from "@/db/client";
import type { WebhookDeliveryStatus, WebhookEventType } from "@/lib/provider/vocabulary";

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
  | { ok: false; reason: "invalid_url"; message: string };

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

export async function createWebhookEndpoint(
  _db: Db,
  _input: { url: string; description?: string; eventTypes?: WebhookEventType[] | null },
): Promise<CreateWebhookEndpointResult> {
  throw new Error("not implemented");
}

export async function listWebhookEndpoints(_db: Db): Promise<WebhookEndpointView[]> {
  throw new Error("not implemented");
}

/** Stops deliveries to an endpoint (those pending end as failed). False when there is no such endpoint. */
export async function disableWebhookEndpoint(_db: Db, _id: number, _now = new Date()): Promise<boolean> {
  throw new Error("not implemented");
}

/** The endpoint's deliveries, newest first, `before` an id for the next page; null when there is no such endpoint. */
export async function listWebhookDeliveries(
  _db: Db,
  _endpointId: number,
  _page: { before?: number; limit?: number } = {},
): Promise<WebhookDeliveryView[] | null> {
  throw new Error("not implemented");
}
