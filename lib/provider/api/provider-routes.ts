import { isRowId } from "@/db/row-id";
import { kickOutboxSender } from "@/lib/email/outbox-sender";
import {
  createWebhookEndpoint,
  disableWebhookEndpoint,
  listWebhookDeliveries,
  listWebhookEndpoints,
} from "@/lib/provider/events/webhook-endpoints";
import {
  getAccount,
  getService,
  importNdjson,
  putAccount,
  putService,
  removeService,
} from "@/lib/provider/provisioning";
import { accountBodySchema, serviceBodySchema } from "@/lib/provider/provisioning/provisioning-schemas";
import { defineProviderRoute, type ProviderRoute } from "./define-provider-route";
import { answer, badRequest, notFound, providerError } from "./provider-api-response";
import {
  accountParamsSchema,
  accountSchema,
  createdWebhookEndpointSchema,
  deliveriesQuerySchema,
  endpointParamsSchema,
  importQuerySchema,
  importReportSchema,
  putServiceResponseSchema,
  removeServiceResponseSchema,
  serviceParamsSchema,
  serviceSchema,
  webhookDeliverySchema,
  webhookEndpointBodySchema,
  webhookEndpointSchema,
} from "./provider-api-schemas";
import { LineTooLongError } from "./read-ndjson-lines";

const ACCOUNT = "/accounts/{customerId}";
const SERVICE = "/services/{type}/{name}";
const ENDPOINTS = "/webhook-endpoints";

/** The body field each of the core's refusals of an endpoint is about. */
const FIELD_OF_REFUSAL: Readonly<Record<string, string>> = {
  invalid_url: "url",
  invalid_description: "description",
  invalid_event_types: "eventTypes",
};

const NO_ACCOUNT = "No account has this customer ID.";
const NO_SERVICE = "No service of this type has this name.";
const NO_ENDPOINT = "No webhook endpoint has this id.";

/**
 * The provisioning API's route table (SPEC.md "Provider integration"): every call under
 * /api/provider/v1. handleProviderRequest dispatches from it and the OpenAPI document describes
 * it, so the two cannot disagree. Handlers are thin: the core decides, they map its result.
 */
export const PROVIDER_ROUTES: readonly ProviderRoute[] = [
  defineProviderRoute({
    method: "GET",
    path: ACCOUNT,
    operationId: "getProvisionedAccount",
    summary: "Get an account",
    scope: "accounts:read",
    params: accountParamsSchema,
    statuses: [200],
    response: accountSchema,
    errors: [400, 404],
    handle: async ({ db, params }) => {
      const account = await getAccount(db, params.customerId);
      return account ? answer(200, account) : notFound(NO_ACCOUNT);
    },
  }),
  defineProviderRoute({
    method: "PUT",
    path: ACCOUNT,
    operationId: "putProvisionedAccount",
    summary: "Create or update an account",
    description:
      "Idempotent: the account as given, created (201) or updated (200). A new e-mail address ends the account's sessions, as a change in the profile does.",
    scope: "accounts:write",
    params: accountParamsSchema,
    body: accountBodySchema,
    statuses: [200, 201],
    response: accountSchema,
    errors: [400, 409, 413, 415],
    handle: async ({ db, now, params, body }) => {
      const result = await putAccount(db, { ...body, customerId: params.customerId }, now);
      if (!result.ok) return providerError(409, "EMAIL_TAKEN", result.message);
      kickOutboxSender();
      return answer(result.created ? 201 : 200, result.account);
    },
  }),
  defineProviderRoute({
    method: "GET",
    path: SERVICE,
    operationId: "getProvisionedService",
    summary: "Get a service and its contacts",
    scope: "services:read",
    params: serviceParamsSchema,
    statuses: [200],
    response: serviceSchema,
    errors: [400, 404],
    handle: async ({ db, params }) => {
      const service = await getService(db, params);
      return service ? answer(200, service) : notFound(NO_SERVICE);
    },
  }),
  defineProviderRoute({
    method: "PUT",
    path: SERVICE,
    operationId: "putProvisionedService",
    summary: "Create a service or set its contacts",
    description:
      "Idempotent. The provider's authority: contacts change at once, without confirmation; pending requests the change makes stale end as cancelled and everyone involved is told. The contacts must be existing accounts.",
    scope: "services:write",
    params: serviceParamsSchema,
    body: serviceBodySchema,
    statuses: [200, 201],
    response: putServiceResponseSchema,
    errors: [400, 413, 415],
    handle: async ({ db, now, params, body }) => {
      const result = await putService(db, { ...params, ...body }, now);
      if (!result.ok) {
        return providerError(
          400,
          "UNKNOWN_ACCOUNT",
          `Invalid body field "${result.field}": ${result.message}`,
        );
      }
      kickOutboxSender();
      return answer(result.created ? 201 : 200, {
        ...result.service,
        cancelledRequestIds: result.cancelledRequestIds,
      });
    },
  }),
  defineProviderRoute({
    method: "DELETE",
    path: SERVICE,
    operationId: "removeProvisionedService",
    summary: "Remove a service",
    description:
      "The service leaves every customer's lists; its pending requests end as cancelled with the reason, and everyone involved is told.",
    scope: "services:write",
    params: serviceParamsSchema,
    statuses: [200],
    response: removeServiceResponseSchema,
    errors: [400, 404],
    handle: async ({ db, now, params }) => {
      const result = await removeService(db, params, now);
      if (!result.ok) return notFound(NO_SERVICE);
      kickOutboxSender();
      return answer(200, { cancelledRequestIds: result.cancelledRequestIds });
    },
  }),
  defineProviderRoute({
    method: "POST",
    path: "/import",
    operationId: "importNdjson",
    summary: "Import accounts and services (NDJSON)",
    description:
      'One JSON object a line, {"kind":"account",…} or {"kind":"service",…}, streamed (Content-Type: application/x-ndjson; chunked or not, any size). Applied in batches; a line that cannot be applied is reported with its number and the rest goes on. The answer, once the whole body is read, is the report. After an interruption, send the same file again with resume=true to go on after the last committed line. A line over 64 KiB stops the import (413): the lines before it stay applied.',
    scope: "import",
    query: importQuerySchema,
    body: "ndjson",
    statuses: [200],
    response: importReportSchema,
    errors: [400, 413, 415],
    handle: async ({ db, query, lines }) => {
      try {
        const report = await importNdjson(db, lines, { source: query.source, resume: query.resume });
        kickOutboxSender();
        return answer(200, report);
      } catch (error) {
        if (!(error instanceof LineTooLongError)) throw error;
        return providerError(
          413,
          "BODY_TOO_LARGE",
          `${error.message} The import stopped there; fix the line and send the file again with resume=true.`,
        );
      }
    },
  }),
  defineProviderRoute({
    method: "GET",
    path: ENDPOINTS,
    operationId: "listWebhookEndpoints",
    summary: "List the webhook endpoints",
    scope: "webhooks:manage",
    statuses: [200],
    response: webhookEndpointSchema.array(),
    errors: [400],
    handle: async ({ db }) => answer(200, await listWebhookEndpoints(db)),
  }),
  defineProviderRoute({
    method: "POST",
    path: ENDPOINTS,
    operationId: "createWebhookEndpoint",
    summary: "Register a webhook endpoint",
    description:
      "Events are POSTed to the URL signed as Standard Webhooks sign them (webhook-id, webhook-timestamp, webhook-signature) with the secret answered here, once.",
    scope: "webhooks:manage",
    body: webhookEndpointBodySchema,
    statuses: [201],
    response: createdWebhookEndpointSchema,
    errors: [400, 413, 415],
    handle: async ({ db, body }) => {
      const result = await createWebhookEndpoint(db, body);
      if (!result.ok) {
        const field = FIELD_OF_REFUSAL[result.reason] ?? "url";
        const code = field === "url" ? "INVALID_URL" : "BAD_REQUEST";
        return providerError(400, code, `Invalid body field "${field}": ${result.message}`);
      }
      return answer(201, { ...result.endpoint, secret: result.secret });
    },
  }),
  defineProviderRoute({
    method: "DELETE",
    path: `${ENDPOINTS}/{id}`,
    operationId: "disableWebhookEndpoint",
    summary: "Disable a webhook endpoint",
    description: "No more events are sent to it; its pending deliveries end as failed.",
    scope: "webhooks:manage",
    params: endpointParamsSchema,
    statuses: [204],
    errors: [400, 404],
    handle: async ({ db, now, params }) => {
      if (!isRowId(params.id)) return notFound(NO_ENDPOINT);
      return (await disableWebhookEndpoint(db, params.id, now)) ? answer(204) : notFound(NO_ENDPOINT);
    },
  }),
  defineProviderRoute({
    method: "GET",
    path: `${ENDPOINTS}/{id}/deliveries`,
    operationId: "listWebhookDeliveries",
    summary: "List an endpoint's deliveries",
    description: "Newest first; `before` the last id of a page gives the next one.",
    scope: "webhooks:manage",
    params: endpointParamsSchema,
    query: deliveriesQuerySchema,
    statuses: [200],
    response: webhookDeliverySchema.array(),
    errors: [400, 404],
    handle: async ({ db, params, query }) => {
      if (!isRowId(params.id)) return notFound(NO_ENDPOINT);
      if (query.before !== undefined && !isRowId(query.before)) {
        return badRequest('Invalid query parameter "before": is not a delivery id');
      }
      const deliveries = await listWebhookDeliveries(db, params.id, query);
      return deliveries ? answer(200, deliveries) : notFound(NO_ENDPOINT);
    },
  }),
];
