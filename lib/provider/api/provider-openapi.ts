import type { z } from "zod";
import { pathParameterNames } from "@/lib/api/ovh/define-route";
import { type JsonSchema, jsonSchema } from "@/lib/api/ovh/to-json-schema";
import {
  accountBodySchema,
  importLineSchema,
  serviceBodySchema,
} from "@/lib/provider/provisioning/provisioning-schemas";
import { PROVIDER_SCOPES } from "@/lib/provider/vocabulary";
import type { ProviderRoute } from "./define-provider-route";
import { PROVIDER_API_BASE } from "./handle-provider-request";
import {
  accountSchema,
  createdWebhookEndpointSchema,
  importReportSchema,
  providerErrorSchema,
  putServiceResponseSchema,
  serviceSchema,
  webhookDeliverySchema,
  webhookEndpointBodySchema,
  webhookEndpointSchema,
} from "./provider-api-schemas";
import { PROVIDER_ROUTES } from "./provider-routes";

/** The tag every operation of the provisioning API carries: its own section of the document. */
export const PROVIDER_TAG = "provider";

const NAMED_SCHEMAS: readonly { name: string; schema: z.ZodType; io: "input" | "output" }[] = [
  { name: "provider.Account", schema: accountSchema, io: "output" },
  { name: "provider.AccountPut", schema: accountBodySchema, io: "input" },
  { name: "provider.Service", schema: serviceSchema, io: "output" },
  { name: "provider.ServicePut", schema: serviceBodySchema, io: "input" },
  { name: "provider.ServicePutResult", schema: putServiceResponseSchema, io: "output" },
  { name: "provider.ImportLine", schema: importLineSchema, io: "input" },
  { name: "provider.ImportReport", schema: importReportSchema, io: "output" },
  { name: "provider.WebhookEndpointPost", schema: webhookEndpointBodySchema, io: "input" },
  { name: "provider.WebhookEndpoint", schema: webhookEndpointSchema, io: "output" },
  { name: "provider.WebhookEndpointCreated", schema: createdWebhookEndpointSchema, io: "output" },
  { name: "provider.WebhookDelivery", schema: webhookDeliverySchema, io: "output" },
  { name: "provider.Error", schema: providerErrorSchema, io: "output" },
];

function schemaOrRef(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const named = NAMED_SCHEMAS.find((entry) => entry.schema === schema);
  if (named) return { $ref: `#/components/schemas/${named.name}` };
  // A list of a named model (`webhookEndpointSchema.array()`) refers to it for its items.
  const element = (schema as { element?: z.ZodType }).element;
  const namedElement = element && NAMED_SCHEMAS.find((entry) => entry.schema === element);
  if (namedElement) return { type: "array", items: { $ref: `#/components/schemas/${namedElement.name}` } };
  return jsonSchema(schema, io);
}

const STATUS_TEXT: Readonly<Record<number, string>> = {
  200: "Success",
  201: "Created",
  204: "Done; no body",
  400: "Bad input: the message names the parameter or field",
  401: "No provisioning token, an unknown or revoked one, or a customer's credentials",
  403: "The token lacks the scope this call needs",
  404: "No such account, service or endpoint",
  405: "Not a method this path answers (see Allow)",
  409: "The e-mail address belongs to another account",
  413: "The body (or an import line) is too large",
  415: "Wrong Content-Type",
  429: "Too many bad tokens from this address, or too many calls with this token: wait Retry-After seconds",
};

/** Every call may be refused by authentication before it runs. */
const AUTH_ERRORS = [401, 403, 429];

function responses(route: ProviderRoute): Record<string, unknown> {
  const entries: [string, unknown][] = route.statuses.map((status) => [
    String(status),
    {
      description: status === 200 && route.statuses.includes(201) ? "Updated" : STATUS_TEXT[status],
      ...(status !== 204 && route.response
        ? { content: { "application/json": { schema: schemaOrRef(route.response, "output") } } }
        : {}),
    },
  ]);
  const errors = [...new Set([...route.errors, ...AUTH_ERRORS])].sort((a, b) => a - b);
  for (const status of errors) {
    entries.push([
      String(status),
      {
        description: STATUS_TEXT[status] ?? "Error",
        content: { "application/json": { schema: { $ref: "#/components/schemas/provider.Error" } } },
        ...(status === 429
          ? {
              headers: {
                "Retry-After": { description: "Seconds to wait", schema: { type: "integer", minimum: 1 } },
              },
            }
          : {}),
      },
    ]);
  }
  return Object.fromEntries(entries);
}

function parameters(route: ProviderRoute): JsonSchema[] {
  const list: JsonSchema[] = [];
  const propertiesOf = (schema: z.ZodType) => {
    const object = jsonSchema(schema, "input");
    return {
      properties: (object.properties ?? {}) as Record<string, JsonSchema>,
      required: new Set((object.required ?? []) as string[]),
    };
  };
  const parameter = (name: string, where: "path" | "query", required: boolean, property: JsonSchema) => {
    const { description, ...schema } = property;
    return { name, in: where, required, ...(description ? { description } : {}), schema };
  };
  if (route.params) {
    const { properties } = propertiesOf(route.params);
    for (const name of pathParameterNames(route.path)) {
      list.push(parameter(name, "path", true, properties[name] ?? { type: "string" }));
    }
  }
  if (route.query) {
    const { properties, required } = propertiesOf(route.query);
    for (const [name, property] of Object.entries(properties)) {
      list.push(parameter(name, "query", required.has(name), property));
    }
  }
  return list;
}

function requestBody(route: ProviderRoute): JsonSchema | undefined {
  if (!route.body) return undefined;
  if (route.body === "ndjson") {
    return {
      required: true,
      description: "One JSON object a line (NDJSON), streamed; each line is an account or a service.",
      content: { "application/x-ndjson": { schema: schemaOrRef(importLineSchema, "input") } },
    };
  }
  return { required: true, content: { "application/json": { schema: schemaOrRef(route.body, "input") } } };
}

function operationOf(route: ProviderRoute): JsonSchema {
  const list = parameters(route);
  const body = requestBody(route);
  return {
    operationId: route.operationId,
    summary: route.summary,
    description: `${route.description ? `${route.description} ` : ""}Scope: \`${route.scope}\`.`,
    tags: [PROVIDER_TAG],
    security: [{ providerToken: [route.scope] }],
    ...(list.length > 0 ? { parameters: list } : {}),
    ...(body ? { requestBody: body } : {}),
    responses: responses(route),
  };
}

/**
 * The provisioning API's section of the OpenAPI document: its own tag, its paths (each with its
 * own server, /api/provider/v1), the bearer scheme and its models, generated from PROVIDER_ROUTES
 * and the schemas that validate the calls.
 */
export function providerOpenApiSection(): {
  tag: JsonSchema;
  paths: Record<string, JsonSchema>;
  schemas: Record<string, JsonSchema>;
  securitySchemes: Record<string, JsonSchema>;
} {
  const paths: Record<string, JsonSchema> = {};
  for (const route of PROVIDER_ROUTES) {
    paths[route.path] ??= { servers: [{ url: PROVIDER_API_BASE, description: "The provisioning API" }] };
    (paths[route.path] as JsonSchema)[route.method.toLowerCase()] = operationOf(route);
  }
  return {
    tag: {
      name: PROVIDER_TAG,
      description:
        "The provisioning API, under /api/provider/v1: for the provider's own systems (billing, provisioning), never for customers. Calls carry a bearer token an operator creates with `npm run provider-token`, granted some of the scopes " +
        `${PROVIDER_SCOPES.join(", ")}.`,
    },
    paths,
    schemas: Object.fromEntries(NAMED_SCHEMAS.map(({ name, schema, io }) => [name, jsonSchema(schema, io)])),
    securitySchemes: {
      providerToken: {
        type: "http",
        scheme: "bearer",
        description:
          "A provisioning token (sc_prov_…); the scopes listed on an operation are those its token needs.",
      },
    },
  };
}
