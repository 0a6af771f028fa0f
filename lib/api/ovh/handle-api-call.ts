import type { Db } from "@/db/client";
import { parsePart, type ReadPart, readParams, readQuery } from "@/lib/api/read-call-parts";
import { logFor } from "@/lib/log";
import { type ApiResponse, apiError, badRequest, notFound } from "./api-response";
import { API_ROUTES } from "./api-routes";
import { type ApiRoute, matchPath } from "./define-route";
import { OVH_SERVICE_PATHS, serviceTypeOfPath } from "./ovh-vocabulary";

const log = logFor("api");

/** One authenticated call, as the HTTP route hands it over. */
export type ApiCall = {
  /** The account the verified consumer key acts for. */
  accountId: number;
  method: string;
  /** Relative to /api/1.0, without the query string, still URL-encoded: `/me/task/contactChange/12/accept`. */
  path: string;
  query: URLSearchParams;
  /** The parsed JSON body, or undefined when there was none. */
  body: unknown;
  /** The client's address (lib/client-address.ts), which the code throttle counts against. */
  clientAddress: string;
  now?: Date;
};

/** The last segment of the per-service calls, which tells an unknown service type from an unknown path. */
const SERVICE_CALLS = new Set(["serviceInfos", "changeContact"]);

type Parsed = { ok: true; data: unknown } | { ok: false; response: ApiResponse };

/** A part read by lib/api/read-call-parts.ts, its refusal as this API's 400. */
const answered = (read: ReadPart): Parsed =>
  read.ok ? read : { ok: false, response: badRequest(read.message) };

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The body, a JSON object, checked by the route's schema; a call without a body schema takes none. */
function readBody(route: ApiRoute, body: unknown): Parsed {
  if (!route.body) {
    // node-ovh sends nothing for a call without parameters; an empty object or null is as good.
    if (body === undefined || body === null || (isObject(body) && Object.keys(body).length === 0)) {
      return { ok: true, data: undefined };
    }
    return { ok: false, response: badRequest("This call takes no body") };
  }
  // No body at all reads as an empty object, so a missing field is named as missing.
  const value = body === undefined ? {} : body;
  if (!isObject(value)) return { ok: false, response: badRequest("The request body must be a JSON object") };
  return answered(parsePart(route.body, value, "body field"));
}

/** 404 for a path no route has, or 400 when it is a per-service call on a kind of service that does not exist. */
function noRoute(segments: readonly string[]): ApiResponse {
  if (segments.length >= 3 && SERVICE_CALLS.has(segments.at(-1) as string)) {
    let typePath: string;
    try {
      typePath = segments.slice(0, -2).map(decodeURIComponent).join("/");
    } catch {
      typePath = segments.slice(0, -2).join("/");
    }
    if (serviceTypeOfPath(typePath) === null) {
      return apiError(
        400,
        "UNKNOWN_SERVICE_TYPE",
        `Unknown service type "${typePath}": expected one of ${Object.values(OVH_SERVICE_PATHS).join(", ")}`,
      );
    }
  }
  return notFound("No such call in this API.");
}

/**
 * Answers one authenticated call of the automation API (SPEC.md "Automation API, OVH-compatible"):
 * finds its route in API_ROUTES, checks the path parameters, query and body against the route's
 * schemas (400 naming the field), and runs its handler for `accountId`. Every error is OVH's
 * `{message, errorCode}`; a throw becomes a logged 500. Never throws.
 */
export async function handleApiCall(db: Db, call: ApiCall): Promise<ApiResponse> {
  const method = call.method.toUpperCase();
  const trimmed = call.path.length > 1 && call.path.endsWith("/") ? call.path.slice(0, -1) : call.path;
  if (!trimmed.startsWith("/")) return notFound("No such call in this API.");
  const segments = trimmed.slice(1).split("/");

  const matches = API_ROUTES.flatMap((route) => {
    const params = matchPath(route.path, segments);
    return params ? [{ route, params }] : [];
  });
  if (matches.length === 0) return noRoute(segments);
  const match = matches.find(({ route }) => route.method === method);
  if (!match) {
    const allowed = [...new Set(matches.map(({ route }) => route.method))].join(", ");
    return apiError(405, "METHOD_NOT_ALLOWED", `This path answers ${allowed} only.`, {
      headers: { Allow: allowed },
    });
  }
  const { route } = match;

  const params = answered(readParams(route, match.params));
  if (!params.ok) return params.response;
  const query = answered(readQuery(route, call.query));
  if (!query.ok) return query.response;
  const body = readBody(route, call.body);
  if (!body.ok) return body.response;

  try {
    return await route.handle({
      db,
      accountId: call.accountId,
      clientAddress: call.clientAddress,
      now: call.now ?? new Date(),
      params: params.data,
      query: query.data,
      body: body.data,
    });
  } catch (error) {
    log.error({ err: error, method, route: route.path }, "API call failed");
    return apiError(500, "INTERNAL_ERROR", "Internal server error.");
  }
}
