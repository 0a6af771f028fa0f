import type { z } from "zod";
import type { Db } from "@/db/client";
import { createRateLimiter, type RateLimit } from "@/lib/api/api-rate-limit";
import { matchPath } from "@/lib/api/ovh/define-route";
import { parsePart, type ReadPart, readParams, readQuery } from "@/lib/api/read-call-parts";
import { MAX_BODY_BYTES } from "@/lib/config";
import { logFor } from "@/lib/log";
import { authenticateProviderRequest } from "@/lib/provider/auth";
import type { ProviderRoute } from "./define-provider-route";
import { badRequest, notFound, type ProviderResponse, providerError } from "./provider-api-response";
import { PROVIDER_ROUTES } from "./provider-routes";
import { readNdjsonLines } from "./read-ndjson-lines";

const log = logFor("provider-api");

/** Where the provisioning API lives; its routes' paths are relative to it. */
export const PROVIDER_API_BASE = "/api/provider/v1";

/**
 * Calls per token and instance. The provider's systems are trusted but may loop: this keeps one
 * from taking the instance's CPU from the panel's users. Bulk loads go through the import.
 */
export const PROVIDER_CALLS_PER_TOKEN: RateLimit = { perSecond: 100, burst: 200 };
const calls = createRateLimiter(PROVIDER_CALLS_PER_TOKEN);

// Longer paths name no call; refused before any route is matched against them.
const MAX_PATH_LENGTH = 1024;

type Parsed = { ok: true; data: unknown } | { ok: false; response: ProviderResponse };

/** A part read by lib/api/read-call-parts.ts, its refusal as this API's 400. */
const answered = (read: ReadPart): Parsed =>
  read.ok ? read : { ok: false, response: badRequest(read.message) };

/** The media type of a Content-Type header, without its parameters, lower case. */
function mediaType(request: Request): string {
  return (request.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
}

const tooLarge = () =>
  providerError(413, "BODY_TOO_LARGE", `The request body is larger than ${MAX_BODY_BYTES} bytes.`);

/** The body as text, read no further than MAX_BODY_BYTES, or the refusal. */
async function readCappedText(
  request: Request,
): Promise<{ ok: true; text: string } | { ok: false; response: ProviderResponse }> {
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) return { ok: false, response: tooLarge() };
  if (!request.body) return { ok: true, text: "" };
  const decoder = new TextDecoder("utf-8");
  let size = 0;
  let text = "";
  for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > MAX_BODY_BYTES) return { ok: false, response: tooLarge() };
    text += decoder.decode(chunk, { stream: true });
  }
  return { ok: true, text: text + decoder.decode() };
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** A JSON route's body: application/json, within the size limit, an object matching the schema. */
async function readJsonBody(schema: z.ZodType, request: Request): Promise<Parsed> {
  if (mediaType(request) !== "application/json") {
    return {
      ok: false,
      response: providerError(415, "UNSUPPORTED_MEDIA_TYPE", "Send the body as application/json."),
    };
  }
  const body = await readCappedText(request);
  if (!body.ok) return body;
  let value: unknown;
  try {
    value = body.text.trim() === "" ? {} : JSON.parse(body.text);
  } catch {
    return { ok: false, response: providerError(400, "INVALID_JSON", "The request body is not valid JSON.") };
  }
  if (!isObject(value)) return { ok: false, response: badRequest("The request body must be a JSON object") };
  return answered(parsePart(schema, value, "body field"));
}

/** A route without a body takes none: anything sent is refused rather than silently ignored. */
async function readNoBody(request: Request): Promise<Parsed> {
  const body = await readCappedText(request);
  if (!body.ok) return body;
  return body.text.trim() === ""
    ? { ok: true, data: undefined }
    : { ok: false, response: badRequest("This call takes no body") };
}

/** The route for the path and method, or the 404 / 405 answer. */
function findRoute(
  method: string,
  path: string,
):
  | { ok: true; route: ProviderRoute; params: Record<string, string> }
  | { ok: false; response: ProviderResponse } {
  const noCall = { ok: false as const, response: notFound("No such call in this API.") };
  if (path.length > MAX_PATH_LENGTH || !path.startsWith("/") || (path.length > 1 && path.endsWith("/"))) {
    return noCall;
  }
  const segments = path.slice(1).split("/");
  const matches = PROVIDER_ROUTES.flatMap((route) => {
    const params = matchPath(route.path, segments);
    return params ? [{ route, params }] : [];
  });
  if (matches.length === 0) return noCall;
  const match = matches.find(({ route }) => route.method === method);
  if (match) return { ok: true, ...match };
  const allowed = [...new Set(matches.map(({ route }) => route.method))].join(", ");
  return {
    ok: false,
    response: providerError(405, "METHOD_NOT_ALLOWED", `This path answers ${allowed} only.`, {
      allow: allowed,
    }),
  };
}

async function dispatch(db: Db, request: Request, now: Date): Promise<ProviderResponse> {
  const url = new URL(request.url);
  if (!url.pathname.startsWith(`${PROVIDER_API_BASE}/`)) return notFound("No such call in this API.");
  const found = findRoute(request.method.toUpperCase(), url.pathname.slice(PROVIDER_API_BASE.length));
  if (!found.ok) return found.response;
  const { route } = found;

  // Before anything is read of the body: a stranger's upload costs a header check.
  const auth = await authenticateProviderRequest(db, request, route.scope, now);
  if (!auth.ok) return providerError(auth.status, auth.errorCode, auth.message, auth.headers);
  // Wall-clock time: the budget is about the instance's throughput, not the call's business time.
  const allowed = calls.take(`token:${auth.token.id}`);
  if (!allowed.ok) {
    return providerError(
      429,
      "TOO_MANY_REQUESTS",
      "Too many calls with this token: slow down and retry after the time given.",
      {
        "retry-after": String(allowed.retryAfterSeconds),
      },
    );
  }

  const params = answered(readParams(route, found.params));
  if (!params.ok) return params.response;
  const query = answered(readQuery(route, url.searchParams));
  if (!query.ok) return query.response;
  let body: Parsed = { ok: true, data: undefined };
  if (route.body === "ndjson") {
    if (mediaType(request) !== "application/x-ndjson") {
      return providerError(415, "UNSUPPORTED_MEDIA_TYPE", "Send the import as application/x-ndjson.");
    }
  } else {
    body = route.body ? await readJsonBody(route.body, request) : await readNoBody(request);
  }
  if (!body.ok) return body.response;

  return route.handle({
    db,
    token: auth.token,
    now,
    params: params.data,
    query: query.data,
    body: body.data,
    lines: route.body === "ndjson" ? readNdjsonLines(request.body) : emptyLines(),
  });
}

async function* emptyLines(): AsyncGenerator<string> {}

/** The HTTP answer: JSON, never cached (every answer is for its caller). */
function toResponse(answer: ProviderResponse): Response {
  const headers = { "cache-control": "no-store", ...answer.headers };
  if (answer.status === 204) return new Response(null, { status: 204, headers });
  return new Response(JSON.stringify(answer.body ?? null), {
    status: answer.status,
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
  });
}

/**
 * Answers one call of the provisioning API (SPEC.md "Provider integration"): finds its route in
 * PROVIDER_ROUTES (404, 405), authenticates the bearer token for the route's scope (401, 403,
 * 429), checks the path, query and body against the route's schemas (400 naming the field, 413,
 * 415) and runs the handler. Errors are `{message, errorCode}`; a throw becomes a logged 500 that
 * says nothing more. Never throws.
 */
export async function handleProviderRequest(db: Db, request: Request, now = new Date()): Promise<Response> {
  try {
    return toResponse(await dispatch(db, request, now));
  } catch (error) {
    log.error(
      { err: error, method: request.method, path: new URL(request.url).pathname },
      "provisioning call failed",
    );
    return toResponse(providerError(500, "INTERNAL_ERROR", "Internal server error."));
  }
}
