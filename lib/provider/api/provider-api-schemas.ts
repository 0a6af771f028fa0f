import { z } from "zod";
import { SERVICE_TYPES } from "@/lib/contact-change/vocabulary";
import { LANGUAGES } from "@/lib/i18n/languages";
import {
  customerIdSchema,
  PAYMENT_STANDINGS,
  serviceNameSchema,
  serviceTypeSchema,
} from "@/lib/provider/provisioning/provisioning-schemas";
import {
  EMAIL_UNDELIVERABLE_KINDS,
  WEBHOOK_DELIVERY_STATUSES,
  WEBHOOK_EVENT_TYPES,
} from "@/lib/provider/vocabulary";
import { PROVIDER_API_ERROR_CODES } from "./provider-api-response";

/**
 * The provisioning API's path, query and answer schemas. The bodies the provider sends are the
 * core's (provisioning-schemas.ts); the answers are written here for the OpenAPI document.
 */

export const accountParamsSchema = z.strictObject({
  customerId: customerIdSchema.meta({ description: "The customer ID (NIC handle)" }),
});

export const serviceParamsSchema = z.strictObject({
  type: serviceTypeSchema.meta({ description: "The kind of service" }),
  name: serviceNameSchema.meta({ description: "The service's name, URL-encoded" }),
});

/** An id in the path: digits only; one too large to name a row reads as absent (404). */
const rowIdSchema = (description: string) =>
  z
    .string()
    .regex(/^[0-9]{1,20}$/, "must be a positive integer")
    .transform(Number)
    .meta({ type: "integer", format: "int64", description });

export const endpointParamsSchema = z.strictObject({ id: rowIdSchema("The endpoint's id") });

export const importQuerySchema = z.strictObject({
  source: z
    .string()
    .trim()
    .min(1, "must not be empty")
    .max(200, "is too long")
    .meta({ description: "Names the import (a file name), so that resume=true finds its last run" }),
  resume: z
    .enum(["true", "false"], { error: "must be true or false" })
    .optional()
    .transform((value) => value === "true")
    .meta({ description: "Go on after the last committed line of the unfinished run of `source`" }),
});

export const deliveriesQuerySchema = z.strictObject({
  before: rowIdSchema("Deliveries older than this id: the next page").optional(),
  limit: z
    .string()
    .regex(/^[0-9]{1,3}$/, "must be an integer from 1 to 100")
    .transform(Number)
    .refine((value) => value >= 1 && value <= 100, "must be an integer from 1 to 100")
    .optional()
    .meta({ type: "integer", minimum: 1, maximum: 100, description: "Deliveries per page (default 50)" }),
});

/** `POST /webhook-endpoints`: where to send events, and which. */
export const webhookEndpointBodySchema = z.strictObject({
  url: z
    .string()
    .max(2000, "is too long")
    .meta({ description: "Where the signed events are POSTed (https in production)" }),
  description: z.string().max(200, "is too long").optional(),
  eventTypes: z
    .array(z.enum(WEBHOOK_EVENT_TYPES, { error: `must be one of ${WEBHOOK_EVENT_TYPES.join(", ")}` }))
    .min(1, "must name at least one event type, or be null for all")
    .nullable()
    .optional()
    .meta({ description: "The event types to send; null or absent for all of them" }),
});

const dateTime = (description: string) => z.iso.datetime().meta({ description });
const rowId = (description: string) => z.int().meta({ description });

export const accountSchema = z.strictObject({
  customerId: z.string(),
  name: z.string(),
  email: z.string(),
  language: z.enum(LANGUAGES),
  paymentStanding: z.enum(PAYMENT_STANDINGS),
  emailUndeliverable: z
    .enum(EMAIL_UNDELIVERABLE_KINDS)
    .nullable()
    .meta({ description: "Whether e-mails to this address bounced or were marked as spam" }),
});

export const serviceSchema = z.strictObject({
  type: z.enum(SERVICE_TYPES),
  name: z.string(),
  contactAdmin: z.string(),
  contactTech: z.string(),
  contactBilling: z.string(),
});

const cancelledRequestIds = z
  .array(z.int())
  .meta({ description: "Pending requests this change ended as cancelled (everyone involved is told)" });

export const putServiceResponseSchema = serviceSchema.extend({ cancelledRequestIds });
export const removeServiceResponseSchema = z.strictObject({ cancelledRequestIds });

export const importReportSchema = z.strictObject({
  runId: rowId("This run, in import_runs"),
  fromLine: z.int().meta({ description: "The first line this run read (1 unless it resumed)" }),
  linesRead: z.int(),
  accounts: z.int().meta({ description: "Accounts created or updated" }),
  services: z.int().meta({ description: "Services created or updated" }),
  errors: z
    .array(z.strictObject({ line: z.int(), message: z.string() }))
    .meta({ description: "Lines not applied and why (the first 1,000)" }),
  moreErrors: z.int().meta({ description: "Errors beyond those listed" }),
});

export const webhookEndpointSchema = z.strictObject({
  id: rowId("The endpoint's id"),
  url: z.string(),
  description: z.string(),
  eventTypes: z.array(z.enum(WEBHOOK_EVENT_TYPES)).nullable(),
  createdAt: dateTime("When it was registered"),
  disabledAt: dateTime("When it was disabled").nullable(),
});

export const createdWebhookEndpointSchema = webhookEndpointSchema.extend({
  secret: z.string().meta({
    description: "The signing secret (whsec_…) to verify events with; shown this once",
  }),
});

export const webhookDeliverySchema = z.strictObject({
  id: rowId("The delivery's id"),
  messageId: z.string().meta({ description: "The event's webhook-id, the same on every retry" }),
  eventType: z.enum(WEBHOOK_EVENT_TYPES),
  status: z.enum(WEBHOOK_DELIVERY_STATUSES),
  attempts: z.int(),
  lastStatusCode: z.int().nullable(),
  lastError: z.string().nullable(),
  createdAt: dateTime("When the event was recorded"),
  deliveredAt: dateTime("When the endpoint took it").nullable(),
  nextAttemptAt: dateTime("When it is tried next"),
});

export const providerErrorSchema = z.strictObject({
  message: z.string().meta({ description: "What went wrong, for a person" }),
  errorCode: z.enum(PROVIDER_API_ERROR_CODES).meta({ description: "What went wrong, for a script" }),
});
