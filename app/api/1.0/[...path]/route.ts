import { getDb } from "@/db/client";
import {
  API_CALLS_PER_KEY,
  CREDENTIAL_REQUESTS_PER_CLIENT,
  createRateLimiter,
} from "@/lib/api/api-rate-limit";
import { apiPathOf, authenticateApiRequest } from "@/lib/api/auth/authenticate-api-request";
import type { ApiAuthErrorCode } from "@/lib/api/auth/reason-codes";
import { requestApiCredential } from "@/lib/api/auth/request-api-credential";
import type { ApiErrorCode } from "@/lib/api/ovh/api-response";
import { handleApiCall } from "@/lib/api/ovh/handle-api-call";
import { openApiDocument } from "@/lib/api/ovh/openapi";
import { credentialRequestSchema } from "@/lib/api/ovh/schemas";
import { clientAddressFrom } from "@/lib/client-address";
import { appBaseUrl, MAX_BODY_BYTES } from "@/lib/config";
import { logFor } from "@/lib/log";

// Each consumer key's calls share a budget on this instance (lib/api/api-rate-limit.ts), and so
// do the unsigned requests for consumer keys from one client address (each writes a row).
const apiCalls = createRateLimiter(API_CALLS_PER_KEY);
const credentialRequests = createRateLimiter(CREDENTIAL_REQUESTS_PER_CLIENT);

// Every answer is computed for its caller: nothing here may be cached.
export const dynamic = "force-dynamic";

/** An error as OVH's API answers it (the codes: lib/api/ovh/api-response.ts, lib/api/auth/reason-codes.ts). */
function apiError(
  status: number,
  errorCode: ApiErrorCode | ApiAuthErrorCode,
  message: string,
  headers?: HeadersInit,
): Response {
  return Response.json(
    { message, errorCode },
    { status, headers: { "cache-control": "no-store", ...headers } },
  );
}

function apiAnswer(status: number, body: unknown, headers?: Record<string, string>): Response {
  // OVH's client v2 takes only 200 as success and parses the body: a void call answers `null`.
  return new Response(JSON.stringify(body ?? null), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers },
  });
}

/** The body as sent (signatures cover its exact text), refused past the app's body limit. */
async function readBody(request: Request): Promise<{ text: string } | { error: Response }> {
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) {
    return { error: apiError(413, "BODY_TOO_LARGE", "The request body is too large.") };
  }
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) {
    return { error: apiError(413, "BODY_TOO_LARGE", "The request body is too large.") };
  }
  return { text };
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  if (text === "") return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

// A host as clients send it: a name or IPv4 address, or a bracketed IPv6 one, and a port.
const HOST = /^([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(:\d{1,5})?$/;
// The consumer keys this app hands out (lib/api/auth/random-key.ts).
const CONSUMER_KEY = /^[A-Za-z0-9]{32}$/;
// Longer paths name no call; refused before any rule is matched against them.
const MAX_PATH_LENGTH = 1024;

const notFound = () => apiError(404, "NOT_FOUND", "This call does not exist.");

/**
 * The URL the client signed: OVH's clients sign `https://{host}{path}`, the host without its port
 * (OVH-REFERENCE.md §4), whatever scheme and port the call reached this server by (a TLS front).
 * Null for a Host header that is no host (it would change the path the signature covers).
 */
function signedUrl(request: Request, url: URL): string | null {
  const host = request.headers.get("host") ?? url.host;
  if (!HOST.test(host)) return null;
  return `https://${host.replace(/:\d+$/, "")}${url.pathname}${url.search}`;
}

// Built once: it describes the code, which does not change while the server runs.
let openApi: unknown;

/** `POST /auth/credential`: unsigned, as at OVH; an application asks for a consumer key. */
async function requestCredential(request: Request, body: unknown): Promise<Response> {
  const allowed = credentialRequests.take(`client:${clientAddressFrom(request.headers)}`);
  if (!allowed.ok) return tooManyCalls(allowed.retryAfterSeconds);
  const parsed = credentialRequestSchema.safeParse(body);
  if (!parsed.success) {
    return apiError(400, "INVALID_BODY", `Invalid body: ${parsed.error.issues[0]?.message ?? "malformed"}.`);
  }
  const result = await requestApiCredential(getDb(), {
    applicationKey: request.headers.get("x-ovh-application") ?? "",
    accessRules: parsed.data.accessRules,
    redirection: parsed.data.redirection,
  });
  if (!result.ok) {
    switch (result.reason) {
      case "unknown_application":
        return apiError(403, "INVALID_KEY", "This application key is invalid.");
      case "invalid_rules":
        return apiError(400, "INVALID_RULES", "The access rules are not valid.");
      case "invalid_redirection":
        return apiError(400, "INVALID_REDIRECTION", "The redirection must be an http(s) URL.");
    }
  }
  const validationUrl = `${appBaseUrl()}/api-access/validate?credentialToken=${encodeURIComponent(result.credentialToken)}`;
  return apiAnswer(200, { consumerKey: result.consumerKey, validationUrl, state: result.state });
}

function tooManyCalls(retryAfterSeconds: number): Response {
  return apiError(429, "TOO_MANY_REQUESTS", "Too many calls: slow down and retry after the time given.", {
    "retry-after": String(retryAfterSeconds),
  });
}

/** Reads the body whole (signatures cover its exact text) and parses it as JSON. */
async function readJson(request: Request): Promise<{ text: string; value: unknown } | { error: Response }> {
  const body = await readBody(request);
  if ("error" in body) return body;
  const json = parseJson(body.text);
  if (!json.ok) return { error: apiError(400, "INVALID_JSON", "The request body is not valid JSON.") };
  return { text: body.text, value: json.value };
}

async function handle(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const signed = signedUrl(request, url);
  if (signed === null) return apiError(400, "INVALID_HOST", "The Host header is not a host name.");
  // The path the access rules are checked against and the calls are routed on, the same string
  // (null: `..` segments and the like). A trailing slash names no call: `/me/` is not `/me`.
  const path = apiPathOf(signed);
  if (path === null || path.length > MAX_PATH_LENGTH || (path.length > 1 && path.endsWith("/"))) {
    return notFound();
  }
  const method = request.method.toUpperCase();

  // The calls an application makes before it has a consumer key: unsigned, as at OVH.
  if (method === "GET" && path === "/auth/time") return apiAnswer(200, Math.floor(Date.now() / 1000));
  if (method === "GET" && path === "/openapi.json") {
    openApi ??= openApiDocument();
    return apiAnswer(200, openApi);
  }
  if (method === "POST" && path === "/auth/credential") {
    const body = await readJson(request);
    return "error" in body ? body.error : requestCredential(request, body.value);
  }

  // Counted before anything is read or written for the call, the body included: a script over
  // its budget costs the instance nothing more. Only a key of the form this app hands out gets a
  // bucket; authentication then refuses a made-up one.
  const consumerKey = request.headers.get("x-ovh-consumer") ?? "";
  if (!CONSUMER_KEY.test(consumerKey))
    return apiError(403, "INVALID_CREDENTIAL", "This credential is not valid");
  const allowed = apiCalls.take(`consumer:${consumerKey}`);
  if (!allowed.ok) return tooManyCalls(allowed.retryAfterSeconds);
  const body = await readJson(request);
  if ("error" in body) return body.error;
  const db = getDb();
  const auth = await authenticateApiRequest(db, {
    method,
    url: signed,
    body: body.text,
    headers: {
      application: request.headers.get("x-ovh-application") ?? undefined,
      consumer: consumerKey,
      timestamp: request.headers.get("x-ovh-timestamp") ?? undefined,
      signature: request.headers.get("x-ovh-signature") ?? undefined,
    },
  });
  if (!auth.ok) return apiError(auth.status, auth.errorCode, auth.message);

  const answer = await handleApiCall(db, {
    accountId: auth.accountId,
    method,
    path,
    query: url.searchParams,
    body: body.value,
    clientAddress: clientAddressFrom(request.headers),
  });
  return apiAnswer(answer.status, answer.body, answer.headers);
}

const log = logFor("api");

/** Every method: an unexpected failure answers OVH's error shape, not Next's HTML page. */
async function answer(request: Request): Promise<Response> {
  try {
    return await handle(request);
  } catch (error) {
    log.error({ err: error, method: request.method }, "API call failed");
    return apiError(500, "INTERNAL_ERROR", "Internal server error.");
  }
}

export const GET = answer;
export const POST = answer;
export const PUT = answer;
export const DELETE = answer;
