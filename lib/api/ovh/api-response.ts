/** What one API call answers: the HTTP status, the JSON body, and any headers besides Content-Type. */
export type ApiResponse = {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
};

/**
 * The `errorCode`s this API answers with. OVH's clients read `message` (node-ovh passes it to the
 * callback with the status); `errorCode` tells scripts apart the cases a status groups.
 */
export const API_ERROR_CODES = [
  /** No such route, or an object that does not exist for this account (never "not yours"). */
  "NOT_FOUND",
  "METHOD_NOT_ALLOWED",
  /** A parameter, the query or the body does not match the call's schema; the message names the field. */
  "BAD_REQUEST",
  /** The path names a kind of service this API does not know. */
  "UNKNOWN_SERVICE_TYPE",
  /** The validation code does not match (counted against the code's 5 tries). */
  "WRONG_CODE",
  /** The validation code is locked after 5 wrong tries, until the task is resent. */
  "CODE_LOCKED",
  /** The account's roles (or standing) do not allow this. */
  "NOT_ALLOWED",
  /** The account is not among the task's confirmers. */
  "NOT_A_CONFIRMER",
  /** The new billing contact has an overdue invoice: their acceptance is not recorded. */
  "PAYMENTS_OVERDUE",
  /** The task is no longer waiting (done, refused, aborted). */
  "NOT_PENDING",
  /** The task expired. */
  "EXPIRED",
  /** This confirmer already accepted or refused. */
  "ALREADY_ANSWERED",
  /** A pending task already changes one of the contacts asked for. */
  "PENDING_REQUEST_EXISTS",
  /** Nothing would change: every field names its current holder. */
  "NOTHING_TO_CHANGE",
  /** Too many attempts (wrong codes), too soon (a resend), or too many calls: see Retry-After. */
  "TOO_MANY_REQUESTS",
  "INTERNAL_ERROR",
  // Answered by the route itself (app/api/1.0/[...path]/route.ts) before a call is routed:
  /** The body is not JSON. */
  "INVALID_JSON",
  /** The body is over 1 MiB. */
  "BODY_TOO_LARGE",
  /** The Host header is no host name. */
  "INVALID_HOST",
  /** `POST /auth/credential`: the body does not match its schema. */
  "INVALID_BODY",
  /** `POST /auth/credential`: the access rules are not valid. */
  "INVALID_RULES",
  /** `POST /auth/credential`: the redirection is not an http(s) URL. */
  "INVALID_REDIRECTION",
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

/** OVH's error body. `details` carries per-field reasons where a call refuses fields. */
export type ApiErrorBody = { message: string; errorCode: ApiErrorCode; details?: Record<string, string> };

/** A successful answer: 200 and `body` (`null` for OVH's `void` calls, which node-ovh 2.x needs as 200). */
export function ok(body: unknown): ApiResponse {
  return { status: 200, body };
}

/** An error answer in OVH's shape. */
export function apiError(
  status: number,
  errorCode: ApiErrorCode,
  message: string,
  extra: { headers?: Record<string, string>; details?: Record<string, string> } = {},
): ApiResponse {
  const body: ApiErrorBody = { message, errorCode, ...(extra.details ? { details: extra.details } : {}) };
  return { status, body, ...(extra.headers ? { headers: extra.headers } : {}) };
}

/** 429 with `Retry-After` in whole seconds (at least 1). */
export function tooManyRequests(message: string, retryAfterSeconds: number): ApiResponse {
  return apiError(429, "TOO_MANY_REQUESTS", message, {
    headers: { "Retry-After": String(Math.max(1, Math.ceil(retryAfterSeconds))) },
  });
}

/** 400 for input that does not match a call's schema. */
export function badRequest(message: string): ApiResponse {
  return apiError(400, "BAD_REQUEST", message);
}

/** 404 with one message per kind of object, the same whether it is absent or someone else's. */
export function notFound(message = "The requested object does not exist."): ApiResponse {
  return apiError(404, "NOT_FOUND", message);
}
