import type { ApiResponse } from "@/lib/api/ovh/api-response";
import { PROVIDER_AUTH_ERROR_CODES } from "@/lib/provider/auth/authenticate-provider-request";

/** The provisioning API's `errorCode`s; the body is `{message, errorCode}`, as the automation API's. */
export const PROVIDER_API_ERROR_CODES = [
  ...PROVIDER_AUTH_ERROR_CODES,
  /** No such path, or no such account, service, endpoint. */
  "NOT_FOUND",
  "METHOD_NOT_ALLOWED",
  /** A path parameter, the query or the body does not match the call's schema; the message names the field. */
  "BAD_REQUEST",
  /** The body is not JSON. */
  "INVALID_JSON",
  /** The body is not of the content type the call takes (application/json, or application/x-ndjson for the import). */
  "UNSUPPORTED_MEDIA_TYPE",
  /** The body (or one line of an import) is too large. */
  "BODY_TOO_LARGE",
  /** `PUT /accounts/…`: the e-mail address belongs to another account. */
  "EMAIL_TAKEN",
  /** `PUT /services/…`: a contact names no account. */
  "UNKNOWN_ACCOUNT",
  /** `POST /webhook-endpoints`: the URL is not one events can be sent to. */
  "INVALID_URL",
  "INTERNAL_ERROR",
] as const;
export type ProviderApiErrorCode = (typeof PROVIDER_API_ERROR_CODES)[number];

/** An answer of the provisioning API (the automation API's shape: status, JSON body, headers). */
export type ProviderResponse = ApiResponse;

export function answer(status: 200 | 201 | 204, body: unknown = null): ProviderResponse {
  return { status, body };
}

export function providerError(
  status: number,
  errorCode: ProviderApiErrorCode,
  message: string,
  headers?: Record<string, string>,
): ProviderResponse {
  return { status, body: { message, errorCode }, ...(headers ? { headers } : {}) };
}

export const badRequest = (message: string) => providerError(400, "BAD_REQUEST", message);
export const notFound = (message: string) => providerError(404, "NOT_FOUND", message);
