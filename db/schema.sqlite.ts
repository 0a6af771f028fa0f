import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import {
  API_CREDENTIAL_STATES,
  type ApiAccessRule,
  type ApiCredentialState,
} from "../lib/api/auth/vocabulary";
import {
  type ContactType,
  DECISIONS,
  type Decision,
  REQUEST_STATES,
  type RequestState,
  SERVICE_TYPES,
  type ServiceType,
} from "../lib/contact-change/vocabulary";
import { LANGUAGES, type Language } from "../lib/i18n/languages";
import {
  EMAIL_UNDELIVERABLE_KINDS,
  type EmailUndeliverableKind,
  type ProviderScope,
  WEBHOOK_DELIVERY_STATUSES,
  WEBHOOK_EVENT_TYPES,
  type WebhookDeliveryStatus,
  type WebhookEventType,
} from "../lib/provider/vocabulary";
import { OUTBOX_STATUSES, type OutboxStatus } from "./outbox-statuses";

export type {
  ApiAccessRule,
  ApiCredentialState,
  ContactType,
  Decision,
  EmailUndeliverableKind,
  Language,
  OutboxStatus,
  ProviderScope,
  RequestState,
  ServiceType,
  WebhookDeliveryStatus,
  WebhookEventType,
};

const createdAt = () =>
  integer("created_at", { mode: "timestamp_ms" }).notNull().default(sql`(unixepoch('subsec') * 1000)`);

export const accounts = sqliteTable("accounts", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  /** NIC handle, stored in lower case, e.g. `aa123456-ovh`. */
  customerId: text("customer_id").notNull().unique(),
  name: text("name").notNull(),
  /** Stored in lower case; also a sign-in identifier. */
  email: text("email").notNull().unique(),
  language: text("language", { enum: LANGUAGES }).notNull().default("en"),
  /**
   * Whether the customer picked `language` (profile, header); until then it follows the browser
   * they last signed in from, so e-mails are in the language they read the panel in.
   */
  isLanguageChosen: integer("is_language_chosen", { mode: "boolean" }).notNull().default(false),
  passwordHash: text("password_hash").notNull(),
  /**
   * Set by the provider's billing system (provisioning API): the account is behind with its
   * payments, as it is with an unpaid invoice past its due date.
   */
  behindWithPayments: integer("behind_with_payments", { mode: "boolean" }).notNull().default(false),
  /** E-mails to `email` bounced or were reported as spam (Resend's webhooks); a new address clears it. */
  emailUndeliverable: text("email_undeliverable", { enum: EMAIL_UNDELIVERABLE_KINDS }),
  emailUndeliverableAt: integer("email_undeliverable_at", { mode: "timestamp_ms" }),
  createdAt: createdAt(),
});
export type Account = typeof accounts.$inferSelect;
export type NewAccount = typeof accounts.$inferInsert;

/** A new e-mail address waiting for its owner to confirm it with the token sent there. */
export const emailChanges = sqliteTable(
  "email_changes",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    accountId: integer("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    newEmail: text("new_email").notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    attempts: integer("attempts").notNull().default(0),
    createdAt: createdAt(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    usedAt: integer("used_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("email_changes_account_idx").on(t.accountId)],
);
export type EmailChange = typeof emailChanges.$inferSelect;

/** Invoices: an unpaid one past its due date puts the account behind with its payments. */
export const invoices = sqliteTable(
  "invoices",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    accountId: integer("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    reference: text("reference").notNull().unique(),
    amountCents: integer("amount_cents").notNull(),
    dueAt: integer("due_at", { mode: "timestamp_ms" }).notNull(),
    paidAt: integer("paid_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("invoices_unpaid_idx").on(t.accountId, t.dueAt).where(sql`paid_at IS NULL`)],
);
export type Invoice = typeof invoices.$inferSelect;

/**
 * A service and its three contacts. The (contact, name) indexes let My contacts
 * merge three index-ordered scans instead of sorting all of an account's services.
 */
export const services = sqliteTable(
  "services",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    name: text("name").notNull(),
    type: text("type", { enum: SERVICE_TYPES }).notNull(),
    adminId: integer("admin_id")
      .notNull()
      .references(() => accounts.id),
    techId: integer("tech_id")
      .notNull()
      .references(() => accounts.id),
    billingId: integer("billing_id")
      .notNull()
      .references(() => accounts.id),
    createdAt: createdAt(),
    /**
     * When the provider removed the service (provisioning API). A removed service is no one's:
     * it is kept only so its requests' history stays whole; a PUT of the same type and name
     * brings it back.
     */
    removedAt: integer("removed_at", { mode: "timestamp_ms" }),
  },
  (t) => [
    /** How the provider names a service (`/domain/example.pl`), as OVH's API does. */
    uniqueIndex("services_type_name_uq").on(t.type, t.name),
    index("services_admin_name_idx").on(t.adminId, t.name),
    index("services_tech_name_idx").on(t.techId, t.name),
    index("services_billing_name_idx").on(t.billingId, t.name),
  ],
);
export type Service = typeof services.$inferSelect;
export type NewService = typeof services.$inferInsert;

/**
 * A bulk hand-over: the requests one submission made on many services (`change_requests.batch_id`).
 * Each confirmer gets one e-mail and one code for all of them (`batch_confirmations`).
 */
export const requestBatches = sqliteTable(
  "request_batches",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    requestedById: integer("requested_by_id")
      .notNull()
      .references(() => accounts.id),
    createdAt: createdAt(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    /** When "Resend request" last sent this batch's codes again. */
    lastResentAt: integer("last_resent_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("request_batches_requested_by_idx").on(t.requestedById)],
);
export type RequestBatch = typeof requestBatches.$inferSelect;

/**
 * A confirmer's one code for a batch: it answers every request of the batch that waits for them
 * (their rows in `confirmations` carry a code no one was given). Wrong codes count here, so a
 * guesser gets five tries per batch, not five per request.
 */
export const batchConfirmations = sqliteTable(
  "batch_confirmations",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    batchId: integer("batch_id")
      .notNull()
      .references(() => requestBatches.id, { onDelete: "cascade" }),
    accountId: integer("account_id")
      .notNull()
      .references(() => accounts.id),
    tokenHash: text("token_hash").notNull().unique(),
    /** Wrong codes entered since the code was issued; 5 locks it until a resend. */
    failedAttempts: integer("failed_attempts").notNull().default(0),
    tokenIssuedAt: integer("token_issued_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [
    uniqueIndex("batch_confirmations_batch_account_uq").on(t.batchId, t.accountId),
    index("batch_confirmations_account_idx").on(t.accountId),
  ],
);
export type BatchConfirmation = typeof batchConfirmations.$inferSelect;

/**
 * A contact change request: one old account replaced by one new account for one or
 * more contact types of a service. The `changes*` flags carry the contact types so that
 * partial unique indexes can forbid a second pending request per service and type.
 * My requests reads each party's requests newest first from a (party, id) index, and a state's
 * from a (party, state, id) index, so a page costs a page however many requests an account has.
 */
export const changeRequests = sqliteTable(
  "change_requests",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    serviceId: integer("service_id")
      .notNull()
      .references(() => services.id),
    /**
     * The service's administrator now (not when the request was made), who sees the request in
     * My requests: written with the request, then kept equal to `services.admin_id` by a trigger
     * (migration 0004) whoever changes the administrator.
     */
    serviceAdminId: integer("service_admin_id")
      .notNull()
      .references(() => accounts.id),
    requestedById: integer("requested_by_id")
      .notNull()
      .references(() => accounts.id),
    oldContactId: integer("old_contact_id")
      .notNull()
      .references(() => accounts.id),
    newContactId: integer("new_contact_id")
      .notNull()
      .references(() => accounts.id),
    changesAdmin: integer("changes_admin", { mode: "boolean" }).notNull().default(false),
    changesTech: integer("changes_tech", { mode: "boolean" }).notNull().default(false),
    changesBilling: integer("changes_billing", { mode: "boolean" }).notNull().default(false),
    state: text("state", { enum: REQUEST_STATES }).notNull().default("pending"),
    /** Why a request ended cancelled (a reason code). */
    endReason: text("end_reason"),
    createdAt: createdAt(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    endedAt: integer("ended_at", { mode: "timestamp_ms" }),
    lastResentAt: integer("last_resent_at", { mode: "timestamp_ms" }),
    /** The bulk hand-over this request is part of, if any. */
    batchId: integer("batch_id").references(() => requestBatches.id),
  },
  (t) => [
    index("change_requests_batch_idx").on(t.batchId, t.id),
    /** Whether a batch still has pending requests, without walking the ones that ended. */
    index("change_requests_batch_state_idx").on(t.batchId, t.state),
    uniqueIndex("change_requests_pending_admin_uq")
      .on(t.serviceId)
      .where(sql`state = 'pending' AND changes_admin = 1`),
    uniqueIndex("change_requests_pending_tech_uq")
      .on(t.serviceId)
      .where(sql`state = 'pending' AND changes_tech = 1`),
    uniqueIndex("change_requests_pending_billing_uq")
      .on(t.serviceId)
      .where(sql`state = 'pending' AND changes_billing = 1`),
    index("change_requests_service_idx").on(t.serviceId, t.createdAt),
    index("change_requests_requested_by_idx").on(t.requestedById, t.id),
    index("change_requests_old_contact_idx").on(t.oldContactId, t.id),
    index("change_requests_new_contact_idx").on(t.newContactId, t.id),
    index("change_requests_service_admin_idx").on(t.serviceAdminId, t.id),
    index("change_requests_requested_by_state_idx").on(t.requestedById, t.state, t.id),
    index("change_requests_old_contact_state_idx").on(t.oldContactId, t.state, t.id),
    index("change_requests_new_contact_state_idx").on(t.newContactId, t.state, t.id),
    index("change_requests_service_admin_state_idx").on(t.serviceAdminId, t.state, t.id),
    index("change_requests_pending_expiry_idx").on(t.expiresAt).where(sql`state = 'pending'`),
  ],
);
export type ChangeRequest = typeof changeRequests.$inferSelect;
export type NewChangeRequest = typeof changeRequests.$inferInsert;

/** One confirmer of a request, with their personal token (only its SHA-256 hash). */
export const confirmations = sqliteTable(
  "confirmations",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    requestId: integer("request_id")
      .notNull()
      .references(() => changeRequests.id, { onDelete: "cascade" }),
    accountId: integer("account_id")
      .notNull()
      .references(() => accounts.id),
    tokenHash: text("token_hash").notNull().unique(),
    /** Wrong codes entered since the token was issued; 5 locks it until a resend. */
    failedAttempts: integer("failed_attempts").notNull().default(0),
    tokenIssuedAt: integer("token_issued_at", { mode: "timestamp_ms" }).notNull(),
    decision: text("decision", { enum: DECISIONS }),
    decidedAt: integer("decided_at", { mode: "timestamp_ms" }),
    /**
     * Whether the request is still pending: a copy of its state that a trigger keeps (migration
     * 0004), so the requests awaiting an account's answer are one range of confirmations_awaiting_idx
     * and not every confirmation it left unanswered on requests that ended.
     */
    isRequestPending: integer("is_request_pending", { mode: "boolean" }).notNull().default(true),
  },
  (t) => [
    uniqueIndex("confirmations_request_account_uq").on(t.requestId, t.accountId),
    index("confirmations_account_idx").on(t.accountId),
    index("confirmations_awaiting_idx")
      .on(t.accountId, t.requestId)
      .where(sql`decision IS NULL AND is_request_pending = 1`),
  ],
);
export type Confirmation = typeof confirmations.$inferSelect;

/** The history of a request: every change of state and every action on it. */
export const requestEvents = sqliteTable(
  "request_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    requestId: integer("request_id")
      .notNull()
      .references(() => changeRequests.id, { onDelete: "cascade" }),
    /** Null when the system acted (expiry, a re-check that cancelled the request). */
    actorId: integer("actor_id").references(() => accounts.id),
    kind: text("kind").notNull(),
    detail: text("detail", { mode: "json" }).$type<Record<string, unknown>>(),
    at: integer("at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("request_events_request_idx").on(t.requestId, t.at)],
);
export type RequestEvent = typeof requestEvents.$inferSelect;

/**
 * E-mails to send, written in the transaction that causes them. The template and its
 * props are kept so the message is rendered at send time (rendering is asynchronous
 * and does not belong inside a transaction).
 */
export const outbox = sqliteTable(
  "outbox",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    toAddress: text("to_address").notNull(),
    toAccountId: integer("to_account_id").references(() => accounts.id),
    language: text("language", { enum: LANGUAGES }).notNull(),
    template: text("template").notNull(),
    props: text("props", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    subject: text("subject").notNull(),
    idempotencyKey: text("idempotency_key").notNull().unique(),
    status: text("status", { enum: OUTBOX_STATUSES }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: integer("next_attempt_at", { mode: "timestamp_ms" }).notNull(),
    lockedUntil: integer("locked_until", { mode: "timestamp_ms" }),
    lastError: text("last_error"),
    providerMessageId: text("provider_message_id"),
    /**
     * What the validation code in `props` belongs to (`request:12`, `email-change:5`), so the
     * code can be erased once it is of no use (SPEC.md "Deployment modes and trust").
     */
    secretRef: text("secret_ref"),
    createdAt: createdAt(),
    sentAt: integer("sent_at", { mode: "timestamp_ms" }),
  },
  (t) => [
    index("outbox_secret_ref_idx").on(t.secretRef).where(sql`secret_ref IS NOT NULL`),
    index("outbox_due_idx").on(t.nextAttemptAt).where(sql`status IN ('pending', 'sending')`),
    index("outbox_created_idx").on(t.createdAt),
  ],
);
export type OutboxMessage = typeof outbox.$inferSelect;
export type NewOutboxMessage = typeof outbox.$inferInsert;

/**
 * Attempts counted by a throttle (sign-in, validation codes…): one row per attempt still
 * counted against `key` (e.g. `account:aa100001-ovh`, `ip:203.0.113.7`) in `scope`. A row is
 * written before the attempt is checked (so parallel attempts cannot all pass) and deleted
 * when the attempt turns out not to count (a right password).
 */
export const throttleAttempts = sqliteTable(
  "throttle_attempts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    scope: text("scope").notNull(),
    key: text("key").notNull(),
    at: integer("at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [
    index("throttle_attempts_key_idx").on(t.scope, t.key, t.at),
    index("throttle_attempts_at_idx").on(t.at),
  ],
);

/**
 * Signed-in sessions. The session cookie (an Auth.js JWT) carries a random session id; only
 * its SHA-256 hash is stored here. A session counts only while its row exists and the
 * account's credential stamp (e-mail and password) is the one it was signed in with.
 */
export const sessions = sqliteTable(
  "sessions",
  {
    idHash: text("id_hash").primaryKey(),
    accountId: integer("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    credentialStamp: text("credential_stamp").notNull(),
    createdAt: createdAt(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("sessions_account_idx").on(t.accountId), index("sessions_expires_idx").on(t.expiresAt)],
);
export type Session = typeof sessions.$inferSelect;

/**
 * What a sending provider asked of every sender (in every instance): `pausedUntil` after a
 * 429 or a 5xx, honouring its Retry-After.
 */
export const emailProviderState = sqliteTable("email_provider_state", {
  provider: text("provider").primaryKey(),
  pausedUntil: integer("paused_until", { mode: "timestamp_ms" }),
  consecutiveFailures: integer("consecutive_failures").notNull().default(0),
  lastError: text("last_error"),
  updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
});

/**
 * An application of the automation API (OVH's application key and secret), owned by the account
 * that created it. The secret is needed in clear to check signatures, so it is kept encrypted
 * (AES-256-GCM under a key derived from AUTH_SECRET, lib/api/auth/application-secret-cipher.ts),
 * never hashed.
 */
export const apiApplications = sqliteTable(
  "api_applications",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    accountId: integer("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    /** Public: sent in clear in every request's X-Ovh-Application. */
    applicationKey: text("application_key").notNull().unique(),
    applicationSecretEncrypted: text("application_secret_encrypted").notNull(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    createdAt: createdAt(),
    revokedAt: integer("revoked_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("api_applications_account_idx").on(t.accountId, t.id)],
);
export type ApiApplication = typeof apiApplications.$inferSelect;

/**
 * A consumer key of an application: requested with access rules, then validated (or refused) by
 * an account at the validation URL; once validated it acts for that account. Only SHA-256 hashes
 * of the consumer key and of the validation URL's token are stored.
 */
export const apiConsumerKeys = sqliteTable(
  "api_consumer_keys",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    applicationId: integer("application_id")
      .notNull()
      .references(() => apiApplications.id, { onDelete: "cascade" }),
    /** The account that validated (or refused) the key; null while it waits. */
    accountId: integer("account_id").references(() => accounts.id, { onDelete: "cascade" }),
    consumerKeyHash: text("consumer_key_hash").notNull().unique(),
    credentialTokenHash: text("credential_token_hash").notNull().unique(),
    accessRules: text("access_rules", { mode: "json" }).$type<ApiAccessRule[]>().notNull(),
    /** Where the validation page sends the user once they decided (the application's choice). */
    redirection: text("redirection"),
    state: text("state", { enum: API_CREDENTIAL_STATES }).notNull().default("pendingValidation"),
    createdAt: createdAt(),
    /** A pending key can be validated until then (24 hours after its request). */
    validationExpiresAt: integer("validation_expires_at", { mode: "timestamp_ms" }).notNull(),
    /** When it was validated or refused. */
    decidedAt: integer("decided_at", { mode: "timestamp_ms" }),
    lastUsedAt: integer("last_used_at", { mode: "timestamp_ms" }),
    revokedAt: integer("revoked_at", { mode: "timestamp_ms" }),
  },
  (t) => [
    index("api_consumer_keys_application_idx").on(t.applicationId),
    index("api_consumer_keys_account_idx").on(t.accountId, t.id),
  ],
);
export type ApiConsumerKey = typeof apiConsumerKeys.$inferSelect;

/**
 * Signatures already accepted, so a captured request cannot be played again while its timestamp
 * is still within the allowed clock skew; older rows are purged (purgeSeenSignatures).
 */
export const apiSeenSignatures = sqliteTable(
  "api_seen_signatures",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    consumerKeyId: integer("consumer_key_id")
      .notNull()
      .references(() => apiConsumerKeys.id, { onDelete: "cascade" }),
    signature: text("signature").notNull(),
    seenAt: integer("seen_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [
    uniqueIndex("api_seen_signatures_key_signature_uq").on(t.consumerKeyId, t.signature),
    index("api_seen_signatures_seen_idx").on(t.seenAt),
  ],
);

/**
 * Bearer tokens of the provider's own systems (provisioning API), created by an operator with
 * `npm run provider-token`. Only a SHA-256 hash is stored; customers' credentials never work there.
 */
export const providerTokens = sqliteTable("provider_tokens", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  name: text("name").notNull(),
  tokenHash: text("token_hash").notNull().unique(),
  scopes: text("scopes", { mode: "json" }).$type<ProviderScope[]>().notNull(),
  createdAt: createdAt(),
  lastUsedAt: integer("last_used_at", { mode: "timestamp_ms" }),
  revokedAt: integer("revoked_at", { mode: "timestamp_ms" }),
});
export type ProviderToken = typeof providerTokens.$inferSelect;

/**
 * Where the provider wants its events (Standard Webhooks). The signing secret (`whsec_…`) is
 * needed in clear to sign, so it is kept encrypted under AUTH_SECRET, never hashed.
 */
export const webhookEndpoints = sqliteTable("webhook_endpoints", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  url: text("url").notNull(),
  description: text("description").notNull().default(""),
  secretEncrypted: text("secret_encrypted").notNull(),
  /** The event types it receives; null for all of them. */
  eventTypes: text("event_types", { mode: "json" }).$type<WebhookEventType[]>(),
  createdAt: createdAt(),
  disabledAt: integer("disabled_at", { mode: "timestamp_ms" }),
});
export type WebhookEndpoint = typeof webhookEndpoints.$inferSelect;

/**
 * An event for the provider's systems, written in the transaction of the change it tells of.
 * `messageId` is its stable id (`webhook-id`): every delivery and retry of it carries the same.
 */
export const webhookEvents = sqliteTable(
  "webhook_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    messageId: text("message_id").notNull().unique(),
    type: text("type", { enum: WEBHOOK_EVENT_TYPES }).notNull(),
    payload: text("payload", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    occurredAt: integer("occurred_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("webhook_events_occurred_idx").on(t.occurredAt)],
);
export type WebhookEvent = typeof webhookEvents.$inferSelect;

/** One event on its way to one endpoint: claimed, retried with backoff, delivered at least once. */
export const webhookDeliveries = sqliteTable(
  "webhook_deliveries",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    endpointId: integer("endpoint_id")
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    eventId: integer("event_id")
      .notNull()
      .references(() => webhookEvents.id, { onDelete: "cascade" }),
    status: text("status", { enum: WEBHOOK_DELIVERY_STATUSES }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: integer("next_attempt_at", { mode: "timestamp_ms" }).notNull(),
    lockedUntil: integer("locked_until", { mode: "timestamp_ms" }),
    lastStatusCode: integer("last_status_code"),
    lastError: text("last_error"),
    createdAt: createdAt(),
    deliveredAt: integer("delivered_at", { mode: "timestamp_ms" }),
  },
  (t) => [
    uniqueIndex("webhook_deliveries_endpoint_event_uq").on(t.endpointId, t.eventId),
    index("webhook_deliveries_due_idx").on(t.nextAttemptAt).where(sql`status IN ('pending', 'sending')`),
    index("webhook_deliveries_endpoint_idx").on(t.endpointId, t.id),
    // Deleting an old event finds its deliveries (ON DELETE CASCADE) by this.
    index("webhook_deliveries_event_idx").on(t.eventId),
  ],
);
export type WebhookDelivery = typeof webhookDeliveries.$inferSelect;

/** Every attempt to deliver: the per-endpoint delivery log. */
export const webhookDeliveryAttempts = sqliteTable(
  "webhook_delivery_attempts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    deliveryId: integer("delivery_id")
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: "cascade" }),
    at: integer("at", { mode: "timestamp_ms" }).notNull(),
    statusCode: integer("status_code"),
    error: text("error"),
    durationMs: integer("duration_ms").notNull(),
  },
  (t) => [index("webhook_delivery_attempts_delivery_idx").on(t.deliveryId, t.at)],
);
export type WebhookDeliveryAttempt = typeof webhookDeliveryAttempts.$inferSelect;

/** Signed webhooks received (Resend's, svix ids), so a retried one is taken once. */
export const inboundWebhookMessages = sqliteTable(
  "inbound_webhook_messages",
  {
    messageId: text("message_id").primaryKey(),
    source: text("source").notNull(),
    type: text("type").notNull(),
    receivedAt: integer("received_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("inbound_webhook_messages_received_idx").on(t.receivedAt)],
);

/**
 * A bulk import (NDJSON) and how far it got: the lines up to `linesDone` are committed, so a run
 * stopped halfway resumes from there.
 */
export const importRuns = sqliteTable("import_runs", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  /** What was imported: a file's path, or a name the client gave. */
  source: text("source").notNull(),
  linesDone: integer("lines_done").notNull().default(0),
  applied: integer("applied").notNull().default(0),
  failed: integer("failed").notNull().default(0),
  createdAt: createdAt(),
  updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  finishedAt: integer("finished_at", { mode: "timestamp_ms" }),
});
export type ImportRun = typeof importRuns.$inferSelect;
