/**
 * The words of the provider integration (SPEC.md "Provider integration"): what a provisioning
 * token may do, the events sent to the provider's systems, and how far each delivery got. The
 * database schemas store these values and import them from here.
 */

/** What a provisioning token may do; an operator grants a token one or more of them. */
export const PROVIDER_SCOPES = [
  "accounts:read",
  "accounts:write",
  "services:read",
  "services:write",
  "import",
  "webhooks:manage",
] as const;
export type ProviderScope = (typeof PROVIDER_SCOPES)[number];

/**
 * Events sent to the provider's endpoints: each step of a request's life, and every change of a
 * service's contacts (by a request applied, or by the provider itself).
 */
export const WEBHOOK_EVENT_TYPES = [
  "request.created",
  "request.accepted",
  "request.done",
  "request.refused",
  "request.expired",
  "request.cancelled",
  "service.contacts_changed",
  "service.removed",
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Where one event's delivery to one endpoint is. */
export const WEBHOOK_DELIVERY_STATUSES = ["pending", "sending", "delivered", "failed"] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

/** Why e-mails to an account's address stopped reaching it (Resend's webhooks). */
export const EMAIL_UNDELIVERABLE_KINDS = ["bounced", "complained"] as const;
export type EmailUndeliverableKind = (typeof EMAIL_UNDELIVERABLE_KINDS)[number];
