import { sql } from "drizzle-orm";
import {
  boolean,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { API_CREDENTIAL_STATES, type ApiAccessRule } from "../lib/api/auth/vocabulary";
import { DECISIONS, REQUEST_STATES, SERVICE_TYPES } from "../lib/contact-change/vocabulary";
import { LANGUAGES } from "../lib/i18n/languages";
import {
  EMAIL_UNDELIVERABLE_KINDS,
  type ProviderScope,
  WEBHOOK_DELIVERY_STATUSES,
  WEBHOOK_EVENT_TYPES,
  type WebhookEventType,
} from "../lib/provider/vocabulary";
import { OUTBOX_STATUSES } from "./outbox-statuses";

/**
 * The PostgreSQL twin of db/schema.sqlite.ts: the same tables, columns (same property names and
 * TypeScript types) and indexes, in PostgreSQL's types. db/schema-parity.test.ts keeps them in step.
 */

/** Milliseconds, as the SQLite schema keeps them; read and written as Date. */
const at = (name: string) => timestamp(name, { withTimezone: true, mode: "date", precision: 3 });
const createdAt = () => at("created_at").notNull().defaultNow();
const id = () => integer("id").primaryKey().generatedByDefaultAsIdentity();

/** Text compared byte by byte, as SQLite compares it, so both engines order names alike. */
const binaryText = customType<{ data: string }>({ dataType: () => 'text COLLATE "C"' });

export const accounts = pgTable("accounts", {
  id: id(),
  customerId: text("customer_id").notNull().unique(),
  name: text("name").notNull(),
  email: text("email").notNull().unique(),
  language: text("language", { enum: LANGUAGES }).notNull().default("en"),
  isLanguageChosen: boolean("is_language_chosen").notNull().default(false),
  passwordHash: text("password_hash").notNull(),
  behindWithPayments: boolean("behind_with_payments").notNull().default(false),
  emailUndeliverable: text("email_undeliverable", { enum: EMAIL_UNDELIVERABLE_KINDS }),
  emailUndeliverableAt: at("email_undeliverable_at"),
  createdAt: createdAt(),
});

export const emailChanges = pgTable(
  "email_changes",
  {
    id: id(),
    accountId: integer("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    newEmail: text("new_email").notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    attempts: integer("attempts").notNull().default(0),
    createdAt: createdAt(),
    expiresAt: at("expires_at").notNull(),
    usedAt: at("used_at"),
  },
  (t) => [index("email_changes_account_idx").on(t.accountId)],
);

export const invoices = pgTable(
  "invoices",
  {
    id: id(),
    accountId: integer("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    reference: text("reference").notNull().unique(),
    amountCents: integer("amount_cents").notNull(),
    dueAt: at("due_at").notNull(),
    paidAt: at("paid_at"),
  },
  (t) => [index("invoices_unpaid_idx").on(t.accountId, t.dueAt).where(sql`paid_at IS NULL`)],
);

export const services = pgTable(
  "services",
  {
    id: id(),
    name: binaryText("name").notNull(),
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
    removedAt: at("removed_at"),
  },
  (t) => [
    uniqueIndex("services_type_name_uq").on(t.type, t.name),
    index("services_admin_name_idx").on(t.adminId, t.name),
    index("services_tech_name_idx").on(t.techId, t.name),
    index("services_billing_name_idx").on(t.billingId, t.name),
    // Substring search (SQLite: the FTS5 trigram table services_name_fts).
    index("services_name_trgm_idx").using("gin", sql`${t.name} gin_trgm_ops`),
  ],
);

/**
 * A bulk hand-over: the requests one submission made on many services (`change_requests.batch_id`).
 * Each confirmer gets one e-mail and one code for all of them (`batch_confirmations`).
 */
export const requestBatches = pgTable(
  "request_batches",
  {
    id: id(),
    requestedById: integer("requested_by_id")
      .notNull()
      .references(() => accounts.id),
    createdAt: createdAt(),
    expiresAt: at("expires_at").notNull(),
    /** When "Resend request" last sent this batch's codes again. */
    lastResentAt: at("last_resent_at"),
  },
  (t) => [index("request_batches_requested_by_idx").on(t.requestedById)],
);

/**
 * A confirmer's one code for a batch: it answers every request of the batch that waits for them
 * (their rows in `confirmations` carry a code no one was given). Wrong codes count here, so a
 * guesser gets five tries per batch, not five per request.
 */
export const batchConfirmations = pgTable(
  "batch_confirmations",
  {
    id: id(),
    batchId: integer("batch_id")
      .notNull()
      .references(() => requestBatches.id, { onDelete: "cascade" }),
    accountId: integer("account_id")
      .notNull()
      .references(() => accounts.id),
    tokenHash: text("token_hash").notNull().unique(),
    /** Wrong codes entered since the code was issued; 5 locks it until a resend. */
    failedAttempts: integer("failed_attempts").notNull().default(0),
    tokenIssuedAt: at("token_issued_at").notNull(),
  },
  (t) => [
    uniqueIndex("batch_confirmations_batch_account_uq").on(t.batchId, t.accountId),
    index("batch_confirmations_account_idx").on(t.accountId),
  ],
);

export const changeRequests = pgTable(
  "change_requests",
  {
    id: id(),
    serviceId: integer("service_id")
      .notNull()
      .references(() => services.id),
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
    changesAdmin: boolean("changes_admin").notNull().default(false),
    changesTech: boolean("changes_tech").notNull().default(false),
    changesBilling: boolean("changes_billing").notNull().default(false),
    state: text("state", { enum: REQUEST_STATES }).notNull().default("pending"),
    endReason: text("end_reason"),
    createdAt: createdAt(),
    expiresAt: at("expires_at").notNull(),
    endedAt: at("ended_at"),
    lastResentAt: at("last_resent_at"),
    /** The bulk hand-over this request is part of, if any. */
    batchId: integer("batch_id").references(() => requestBatches.id),
  },
  (t) => [
    index("change_requests_batch_idx").on(t.batchId, t.id),
    /** Whether a batch still has pending requests, without walking the ones that ended. */
    index("change_requests_batch_state_idx").on(t.batchId, t.state),
    uniqueIndex("change_requests_pending_admin_uq")
      .on(t.serviceId)
      .where(sql`state = 'pending' AND changes_admin`),
    uniqueIndex("change_requests_pending_tech_uq")
      .on(t.serviceId)
      .where(sql`state = 'pending' AND changes_tech`),
    uniqueIndex("change_requests_pending_billing_uq")
      .on(t.serviceId)
      .where(sql`state = 'pending' AND changes_billing`),
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

export const confirmations = pgTable(
  "confirmations",
  {
    id: id(),
    requestId: integer("request_id")
      .notNull()
      .references(() => changeRequests.id, { onDelete: "cascade" }),
    accountId: integer("account_id")
      .notNull()
      .references(() => accounts.id),
    tokenHash: text("token_hash").notNull().unique(),
    failedAttempts: integer("failed_attempts").notNull().default(0),
    tokenIssuedAt: at("token_issued_at").notNull(),
    decision: text("decision", { enum: DECISIONS }),
    decidedAt: at("decided_at"),
    isRequestPending: boolean("is_request_pending").notNull().default(true),
  },
  (t) => [
    uniqueIndex("confirmations_request_account_uq").on(t.requestId, t.accountId),
    index("confirmations_account_idx").on(t.accountId),
    index("confirmations_awaiting_idx")
      .on(t.accountId, t.requestId)
      .where(sql`decision IS NULL AND is_request_pending`),
  ],
);

export const requestEvents = pgTable(
  "request_events",
  {
    id: id(),
    requestId: integer("request_id")
      .notNull()
      .references(() => changeRequests.id, { onDelete: "cascade" }),
    actorId: integer("actor_id").references(() => accounts.id),
    kind: text("kind").notNull(),
    detail: jsonb("detail").$type<Record<string, unknown>>(),
    at: at("at").notNull(),
  },
  (t) => [index("request_events_request_idx").on(t.requestId, t.at)],
);

export const outbox = pgTable(
  "outbox",
  {
    id: id(),
    toAddress: text("to_address").notNull(),
    toAccountId: integer("to_account_id").references(() => accounts.id),
    language: text("language", { enum: LANGUAGES }).notNull(),
    template: text("template").notNull(),
    props: jsonb("props").$type<Record<string, unknown>>().notNull(),
    subject: text("subject").notNull(),
    idempotencyKey: text("idempotency_key").notNull().unique(),
    status: text("status", { enum: OUTBOX_STATUSES }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: at("next_attempt_at").notNull(),
    lockedUntil: at("locked_until"),
    lastError: text("last_error"),
    providerMessageId: text("provider_message_id"),
    secretRef: text("secret_ref"),
    createdAt: createdAt(),
    sentAt: at("sent_at"),
  },
  (t) => [
    index("outbox_secret_ref_idx").on(t.secretRef).where(sql`secret_ref IS NOT NULL`),
    index("outbox_due_idx").on(t.nextAttemptAt).where(sql`status IN ('pending', 'sending')`),
    index("outbox_created_idx").on(t.createdAt),
  ],
);

export const throttleAttempts = pgTable(
  "throttle_attempts",
  {
    id: id(),
    scope: text("scope").notNull(),
    key: text("key").notNull(),
    at: at("at").notNull(),
  },
  (t) => [
    index("throttle_attempts_key_idx").on(t.scope, t.key, t.at),
    index("throttle_attempts_at_idx").on(t.at),
  ],
);

export const sessions = pgTable(
  "sessions",
  {
    idHash: text("id_hash").primaryKey(),
    accountId: integer("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    credentialStamp: text("credential_stamp").notNull(),
    createdAt: createdAt(),
    expiresAt: at("expires_at").notNull(),
  },
  (t) => [index("sessions_account_idx").on(t.accountId), index("sessions_expires_idx").on(t.expiresAt)],
);

export const emailProviderState = pgTable("email_provider_state", {
  provider: text("provider").primaryKey(),
  pausedUntil: at("paused_until"),
  consecutiveFailures: integer("consecutive_failures").notNull().default(0),
  lastError: text("last_error"),
  updatedAt: at("updated_at").notNull(),
});

export const apiApplications = pgTable(
  "api_applications",
  {
    id: id(),
    accountId: integer("account_id")
      .notNull()
      .references(() => accounts.id, { onDelete: "cascade" }),
    applicationKey: text("application_key").notNull().unique(),
    applicationSecretEncrypted: text("application_secret_encrypted").notNull(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    createdAt: createdAt(),
    revokedAt: at("revoked_at"),
  },
  (t) => [index("api_applications_account_idx").on(t.accountId, t.id)],
);

export const apiConsumerKeys = pgTable(
  "api_consumer_keys",
  {
    id: id(),
    applicationId: integer("application_id")
      .notNull()
      .references(() => apiApplications.id, { onDelete: "cascade" }),
    accountId: integer("account_id").references(() => accounts.id, { onDelete: "cascade" }),
    consumerKeyHash: text("consumer_key_hash").notNull().unique(),
    credentialTokenHash: text("credential_token_hash").notNull().unique(),
    accessRules: jsonb("access_rules").$type<ApiAccessRule[]>().notNull(),
    redirection: text("redirection"),
    state: text("state", { enum: API_CREDENTIAL_STATES }).notNull().default("pendingValidation"),
    createdAt: createdAt(),
    validationExpiresAt: at("validation_expires_at").notNull(),
    decidedAt: at("decided_at"),
    lastUsedAt: at("last_used_at"),
    revokedAt: at("revoked_at"),
  },
  (t) => [
    index("api_consumer_keys_application_idx").on(t.applicationId),
    index("api_consumer_keys_account_idx").on(t.accountId, t.id),
  ],
);

export const apiSeenSignatures = pgTable(
  "api_seen_signatures",
  {
    id: id(),
    consumerKeyId: integer("consumer_key_id")
      .notNull()
      .references(() => apiConsumerKeys.id, { onDelete: "cascade" }),
    signature: text("signature").notNull(),
    seenAt: at("seen_at").notNull(),
  },
  (t) => [
    uniqueIndex("api_seen_signatures_key_signature_uq").on(t.consumerKeyId, t.signature),
    index("api_seen_signatures_seen_idx").on(t.seenAt),
  ],
);

export const providerTokens = pgTable("provider_tokens", {
  id: id(),
  name: text("name").notNull(),
  tokenHash: text("token_hash").notNull().unique(),
  scopes: jsonb("scopes").$type<ProviderScope[]>().notNull(),
  createdAt: createdAt(),
  lastUsedAt: at("last_used_at"),
  revokedAt: at("revoked_at"),
});

export const webhookEndpoints = pgTable("webhook_endpoints", {
  id: id(),
  url: text("url").notNull(),
  description: text("description").notNull().default(""),
  secretEncrypted: text("secret_encrypted").notNull(),
  eventTypes: jsonb("event_types").$type<WebhookEventType[]>(),
  createdAt: createdAt(),
  disabledAt: at("disabled_at"),
});

export const webhookEvents = pgTable(
  "webhook_events",
  {
    id: id(),
    messageId: text("message_id").notNull().unique(),
    type: text("type", { enum: WEBHOOK_EVENT_TYPES }).notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    occurredAt: at("occurred_at").notNull(),
  },
  (t) => [index("webhook_events_occurred_idx").on(t.occurredAt)],
);

export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: id(),
    endpointId: integer("endpoint_id")
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    eventId: integer("event_id")
      .notNull()
      .references(() => webhookEvents.id, { onDelete: "cascade" }),
    status: text("status", { enum: WEBHOOK_DELIVERY_STATUSES }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: at("next_attempt_at").notNull(),
    lockedUntil: at("locked_until"),
    lastStatusCode: integer("last_status_code"),
    lastError: text("last_error"),
    createdAt: createdAt(),
    deliveredAt: at("delivered_at"),
  },
  (t) => [
    uniqueIndex("webhook_deliveries_endpoint_event_uq").on(t.endpointId, t.eventId),
    index("webhook_deliveries_due_idx").on(t.nextAttemptAt).where(sql`status IN ('pending', 'sending')`),
    index("webhook_deliveries_endpoint_idx").on(t.endpointId, t.id),
    index("webhook_deliveries_event_idx").on(t.eventId),
  ],
);

export const webhookDeliveryAttempts = pgTable(
  "webhook_delivery_attempts",
  {
    id: id(),
    deliveryId: integer("delivery_id")
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: "cascade" }),
    at: at("at").notNull(),
    statusCode: integer("status_code"),
    error: text("error"),
    durationMs: integer("duration_ms").notNull(),
  },
  (t) => [index("webhook_delivery_attempts_delivery_idx").on(t.deliveryId, t.at)],
);

export const inboundWebhookMessages = pgTable(
  "inbound_webhook_messages",
  {
    messageId: text("message_id").primaryKey(),
    source: text("source").notNull(),
    type: text("type").notNull(),
    receivedAt: at("received_at").notNull(),
  },
  (t) => [index("inbound_webhook_messages_received_idx").on(t.receivedAt)],
);

export const importRuns = pgTable("import_runs", {
  id: id(),
  source: text("source").notNull(),
  linesDone: integer("lines_done").notNull().default(0),
  applied: integer("applied").notNull().default(0),
  failed: integer("failed").notNull().default(0),
  createdAt: createdAt(),
  updatedAt: at("updated_at").notNull(),
  finishedAt: at("finished_at"),
});
