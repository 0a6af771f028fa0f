import type { z } from "zod";
import { providerOpenApiSection } from "@/lib/provider/api/provider-openapi";
import { API_ROUTES } from "./api-routes";
import {
  changeContactBodySchema,
  errorSchema,
  meSchema,
  serviceInfosSchema,
  taskSchema,
  taskTokenBodySchema,
} from "./api-schemas";
import { authTimeResponseSchema, credentialRequestSchema, credentialResponseSchema } from "./auth-schemas";
import { type ApiMethod, pathParameterNames } from "./define-route";
import { type JsonSchema, jsonSchema } from "./to-json-schema";

/**
 * The schemas the document names in `components.schemas` (OVH's model names where OVH has one);
 * any other schema is written inline where it is used.
 */
const NAMED_SCHEMAS: readonly { name: string; schema: z.ZodType; io: "input" | "output" }[] = [
  { name: "nichandle.contactChange.Task", schema: taskSchema, io: "output" },
  { name: "services.Service", schema: serviceInfosSchema, io: "output" },
  { name: "nichandle.Nichandle", schema: meSchema, io: "output" },
  { name: "auth.Credential", schema: credentialResponseSchema, io: "output" },
  { name: "Error", schema: errorSchema, io: "output" },
  { name: "nichandle.contactChange.TokenPost", schema: taskTokenBodySchema, io: "input" },
  { name: "service.changeContact.post", schema: changeContactBodySchema, io: "input" },
  { name: "auth.CredentialRequest", schema: credentialRequestSchema, io: "input" },
];

function schemaOrRef(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const named = NAMED_SCHEMAS.find((entry) => entry.schema === schema);
  return named ? { $ref: `#/components/schemas/${named.name}` } : jsonSchema(schema, io);
}

/** The JSON Schema of each property of an object schema, and which are required. */
function propertiesOf(schema: z.ZodType): { properties: Record<string, JsonSchema>; required: Set<string> } {
  const object = jsonSchema(schema, "input");
  return {
    properties: (object.properties ?? {}) as Record<string, JsonSchema>,
    required: new Set((object.required ?? []) as string[]),
  };
}

const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: "Bad input: the message names the parameter or field",
  403: "Not allowed",
  404: "Not found (absent, or not yours)",
  409: "Conflict: the task or contact is not in a state that allows this",
  429: "Too many requests: wait the seconds Retry-After says",
};

const ERROR_CONTENT = { "application/json": { schema: { $ref: "#/components/schemas/Error" } } };

/** The signature headers every call but `/auth/*` carries (OVH-REFERENCE.md §4). */
const SECURITY_SCHEMES = {
  ovhApplication: {
    type: "apiKey",
    in: "header",
    name: "X-Ovh-Application",
    description: "The application key",
  },
  ovhConsumer: {
    type: "apiKey",
    in: "header",
    name: "X-Ovh-Consumer",
    description: "The consumer key, validated by the user",
  },
  ovhTimestamp: {
    type: "apiKey",
    in: "header",
    name: "X-Ovh-Timestamp",
    description: "Unix time in seconds, in step with GET /auth/time",
  },
  ovhSignature: {
    type: "apiKey",
    in: "header",
    name: "X-Ovh-Signature",
    description:
      '"$1$" + SHA-1 hex of AS+"+"+CK+"+"+METHOD+"+"+URL+"+"+BODY+"+"+TIMESTAMP, the URL being https://{host}/api/1.0{path}?{query}',
  },
} as const;

const SIGNED = [{ ovhApplication: [], ovhConsumer: [], ovhTimestamp: [], ovhSignature: [] }];

function errorResponses(statuses: readonly number[]): Record<string, unknown> {
  return Object.fromEntries(
    statuses.map((status) => [
      String(status),
      {
        description: STATUS_TEXT[status] ?? "Error",
        content: ERROR_CONTENT,
        ...(status === 429
          ? {
              headers: {
                "Retry-After": {
                  description: "Seconds to wait before trying again",
                  schema: { type: "integer", minimum: 1 },
                },
              },
            }
          : {}),
      },
    ]),
  );
}

/** The operations of the two unsigned calls the authentication serves (lib/api/auth/). */
export const AUTH_OPERATIONS: readonly {
  method: ApiMethod;
  path: string;
  operation: Record<string, unknown>;
}[] = [
  {
    method: "GET",
    path: "/auth/time",
    operation: {
      operationId: "getAuthTime",
      summary: "Get the current time of the API server",
      tags: ["auth"],
      security: [],
      responses: {
        200: {
          description: "Unix time in seconds",
          content: { "application/json": { schema: jsonSchema(authTimeResponseSchema, "output") } },
        },
      },
    },
  },
  {
    method: "POST",
    path: "/auth/credential",
    operation: {
      operationId: "requestCredential",
      summary: "Request a new credential for your application",
      description:
        "Asks a consumer key for the access rules given. The user opens validationUrl, signs in and approves; until then the key is pendingValidation and signs nothing.",
      tags: ["auth"],
      security: [{ ovhApplication: [] }],
      requestBody: {
        required: true,
        content: { "application/json": { schema: schemaOrRef(credentialRequestSchema, "input") } },
      },
      responses: {
        200: {
          description: "The consumer key and where the user validates it",
          content: { "application/json": { schema: schemaOrRef(credentialResponseSchema, "output") } },
        },
        ...errorResponses([400, 403, 429]),
      },
    },
  },
];

/** An OpenAPI parameter: its description lifted out of its schema. */
function parameter(
  name: string,
  where: "path" | "query",
  required: boolean,
  property: JsonSchema,
): JsonSchema {
  const { description, ...schema } = property;
  return { name, in: where, required, ...(description ? { description } : {}), schema };
}

function operationOf(route: (typeof API_ROUTES)[number]): Record<string, unknown> {
  const parameters: Record<string, unknown>[] = [];
  if (route.params) {
    const { properties } = propertiesOf(route.params);
    for (const name of pathParameterNames(route.path)) {
      parameters.push(parameter(name, "path", true, properties[name] ?? { type: "string" }));
    }
  }
  if (route.query) {
    const { properties, required } = propertiesOf(route.query);
    for (const [name, property] of Object.entries(properties)) {
      parameters.push(parameter(name, "query", required.has(name), property));
    }
  }
  return {
    operationId: route.operationId,
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    tags: [...route.tags],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(route.body
      ? {
          requestBody: {
            required: true,
            content: { "application/json": { schema: schemaOrRef(route.body, "input") } },
          },
        }
      : {}),
    responses: {
      200: {
        description: "Success",
        content: { "application/json": { schema: schemaOrRef(route.response, "output") } },
      },
      ...errorResponses(route.errors),
    },
  };
}

/**
 * The OpenAPI 3.1 document of the automation API, served at /api/1.0/openapi.json: every route of
 * API_ROUTES and the two `/auth/*` calls, generated from the zod schemas that validate them; and,
 * in its own section (tag `provider`, server /api/provider/v1), the provisioning API.
 */
export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const add = (path: string, method: ApiMethod, operation: Record<string, unknown>) => {
    paths[path] ??= {};
    (paths[path] as Record<string, unknown>)[method.toLowerCase()] = operation;
  };
  for (const { method, path, operation } of AUTH_OPERATIONS) add(path, method, operation);
  for (const route of API_ROUTES) add(route.path, route.method, operationOf(route));
  // The provisioning API is its own section: its paths carry their own server (/api/provider/v1)
  // and bearer security, so they sit beside OVH's without sharing anything but the models' format.
  const provider = providerOpenApiSection();
  for (const [path, item] of Object.entries(provider.paths)) {
    if (paths[path]) throw new Error(`${path} is both an automation and a provisioning path`);
    paths[path] = item;
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Service Contacts automation API",
      version: "1.0",
      description:
        "OVHcloud-compatible contact change API: /me/task/contactChange and each service's changeContact and serviceInfos, signed as OVH signs calls, so OVHcloud's clients work with a new host and basePath /api/1.0.",
    },
    servers: [{ url: "/api/1.0" }],
    security: SIGNED,
    tags: [provider.tag],
    paths,
    components: {
      schemas: {
        ...Object.fromEntries(NAMED_SCHEMAS.map(({ name, schema, io }) => [name, jsonSchema(schema, io)])),
        ...provider.schemas,
      },
      securitySchemes: { ...SECURITY_SCHEMES, ...provider.securitySchemes },
    },
  };
}
