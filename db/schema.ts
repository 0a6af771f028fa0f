import { databaseDialect } from "@/lib/config";
import * as pg from "./schema.pg";
import * as sqlite from "./schema.sqlite";

/**
 * The tables of this process's engine. Use cases are written once against the SQLite tables'
 * types; on PostgreSQL the same names hold db/schema.pg.ts's twins (same columns, same TypeScript
 * types — db/schema-parity.test.ts checks both), and drizzle builds each engine's SQL from them.
 */
const chosen = (databaseDialect() === "postgres" ? pg : sqlite) as unknown as typeof sqlite;

export const {
  accounts,
  emailChanges,
  invoices,
  services,
  changeRequests,
  confirmations,
  requestEvents,
  outbox,
  throttleAttempts,
  sessions,
  emailProviderState,
  apiApplications,
  apiConsumerKeys,
  apiSeenSignatures,
  providerTokens,
  webhookEndpoints,
  webhookEvents,
  webhookDeliveries,
  webhookDeliveryAttempts,
  inboundWebhookMessages,
  importRuns,
  requestBatches,
  batchConfirmations,
} = chosen;

export { CONTACT_TYPES, DECISIONS, REQUEST_STATES, SERVICE_TYPES } from "@/lib/contact-change/vocabulary";
export { LANGUAGES } from "@/lib/i18n/languages";
export { OUTBOX_STATUSES } from "./outbox-statuses";
export type * from "./schema.sqlite";
