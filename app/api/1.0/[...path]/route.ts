import { getDb } from "@/db/client";
import { API_CALLS_PER_KEY, createRateLimiter } from "@/lib/api/api-rate-limit";
import { apiPathOf, authenticateApiRequest } from "@/lib/api/auth/authenticate-api-request";
import { requestApiCredential } from "@/lib/api/auth/request-api-credential";
import { handleApiCall } from "@/lib/api/ovh/handle-api-call";
import { openApiDocument } from "@/lib/api/ovh/openapi";
import { credentialRequestSchema } from "@/lib/api/ovh/schemas";
import { clientAddressFrom } from "@/lib/client-address";
import { appBaseUrl, MAX_BODY_BYTES } from "@/lib/config";
import { logFor } from "@/lib/log";

// Each consumer key's calls share a budget on this instance (lib/api/api-rate-limit.ts).
const apiCalls = createRateLimiter(API_CALLS_PER_KEY);

// Every answer is computed for its caller: nothing here may be cached.
export const dynamic = "force-dynamic";

/** An error as OVH's API answers it. */
function apiError(status: number, errorCode: string, message: string, headers?: HeadersInit): Response {
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

/**
 * The URL the client signed: OVH's clients sign `https://{host}{path}`, the host without its port
 * (OVH-REFERENCE.md §4), whatever scheme and port the call reached this server by (a TLS front).
 */
function signedUrl(request: Request): string {
  const url = new URL(request.url);
  const host = (request.headers.get("host") ?? url.host).replace(/:\d+$/, "");
  return `https://${host}${url.pathname}${url.search}`;
}

async function handle(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const signed = signedUrl(request);
  // The path the access rules are checked against (null: `..` segments and the like).
  const path = apiPathOf(signed);
  if (path === null) return apiError(404, "NOT_FOUND", "This call does not exist.");
  const method = request.method.toUpperCase();
  const body = await readBody(request);
  if ("error" in body) return body.error;
  const json = parseJson(body.text);
  if (!json.ok) return apiError(400, "INVALID_JSON", "The request body is not valid JSON.");
  const db = getDb();

  // The calls an application makes before it has a consumer key: unsigned, as at OVH.
  if (method === "GET" && path === "/auth/time") return apiAnswer(200, Math.floor(Date.now() / 1000));
  if (method === "GET" && path === "/openapi.json") return apiAnswer(200, openApiDocument());
  if (method === "POST" && path === "/auth/credential") {
    const parsed = credentialRequestSchema.safeParse(json.value);
    if (!parsed.success) {
      return apiError(
        400,
        "INVALID_BODY",
        `Invalid body: ${parsed.error.issues[0]?.message ?? "malformed"}.`,
      );
    }
    const result = await requestApiCredential(db, {
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

  // Counted before anything is read or written for the call: a script over its budget costs the
  // instance nothing more. Keyed by the consumer key as sent (only its holder can spend its
  // budget; a made-up key gets a bucket of its own and is refused by authentication).
  const allowed = apiCalls.take(`consumer:${request.headers.get("x-ovh-consumer") ?? ""}`);
  if (!allowed.ok) {
    return apiError(429, "TOO_MANY_REQUESTS", "Too many calls: slow down and retry after the time given.", {
      "retry-after": String(allowed.retryAfterSeconds),
    });
  }
  const auth = await authenticateApiRequest(db, {
    method,
    url: signed,
    body: body.text,
    headers: {
      application: request.headers.get("x-ovh-application") ?? undefined,
      consumer: request.headers.get("x-ovh-consumer") ?? undefined,
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
    body: json.value,
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
