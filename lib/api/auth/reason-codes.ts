/**
 * Every reason code the automation API's account-facing functions return, so the pages can give
 * each one a message (and a test can check that every language has them).
 */

/** Why `createApiApplication` creates nothing. */
export const CREATE_API_APPLICATION_REFUSAL_REASONS = [
  /** The account does not exist (any more). */
  "not_found",
  /** The name is empty once trimmed, longer than 100 characters, or holds a control character. */
  "invalid_name",
  /** The description is longer than 500 characters, or holds a control character other than a line break. */
  "invalid_description",
  /** The account already holds MAX_APPLICATIONS_PER_ACCOUNT applications that are not revoked. */
  "too_many_applications",
] as const;
export type CreateApiApplicationRefusalReason = (typeof CREATE_API_APPLICATION_REFUSAL_REASONS)[number];

/** Why `requestApiCredential` (`POST /auth/credential`) issues no consumer key. */
export const REQUEST_API_CREDENTIAL_REFUSAL_REASONS = [
  /** No application has this key, or it was revoked. */
  "unknown_application",
  /** `accessRules` is not 1 to 100 rules of a method (GET, POST, PUT, DELETE) and a path (`/…`, ≤ 200 characters). */
  "invalid_rules",
  /** `redirection` is not an http(s) URL of at most 2,000 characters. */
  "invalid_redirection",
] as const;
export type RequestApiCredentialRefusalReason = (typeof REQUEST_API_CREDENTIAL_REFUSAL_REASONS)[number];

/** Why `decideApiCredential` (the validation page's approve or refuse) changes nothing. */
export const DECIDE_API_CREDENTIAL_REFUSAL_REASONS = [
  /** No consumer key has this validation link. */
  "not_found",
  /** The key was requested more than 24 hours ago and not decided: the application asks again. */
  "expired",
  /** The key was approved or refused already: a link decides once. */
  "already_decided",
  /** The application was revoked since it asked. */
  "application_revoked",
] as const;
export type DecideApiCredentialRefusalReason = (typeof DECIDE_API_CREDENTIAL_REFUSAL_REASONS)[number];

/** Why `revokeApiApplication` or `revokeConsumerKey` changes nothing. */
export const REVOKE_API_ACCESS_REFUSAL_REASONS = [
  /** No such application owned by the account, or no such key acting for it. */
  "not_found",
  /** It was revoked already. */
  "already_revoked",
] as const;
export type RevokeApiAccessRefusalReason = (typeof REVOKE_API_ACCESS_REFUSAL_REASONS)[number];

/**
 * OVH's error codes for a request that fails authentication, with the status and message OVH
 * answers (its API answers `{message, errorCode, httpCode}`).
 */
export const API_AUTH_ERRORS = {
  /** X-Ovh-Application missing, unknown or revoked. */
  INVALID_KEY: { status: 403, message: "This application key is invalid" },
  /** X-Ovh-Consumer missing, unknown, not validated, revoked, or another application's. */
  INVALID_CREDENTIAL: { status: 403, message: "This credential is not valid" },
  /** X-Ovh-Timestamp missing or more than 180 seconds from the server's clock. */
  INVALID_TIMESTAMP: {
    status: 400,
    message: "Invalid timestamp: send the server's time (GET /auth/time), within 180 seconds",
  },
  /** X-Ovh-Signature missing or not the signature of this request. */
  // 403 as issue 9 asks (OVH itself answers 400): a call that cannot prove its keys is refused
  // like one whose keys are wrong.
  INVALID_SIGNATURE: { status: 403, message: "Invalid signature" },
  /** The signature was accepted before: a request is accepted once. */
  REPLAYED_REQUEST: { status: 403, message: "This request was already received" },
  /** No access rule of the consumer key covers the method and path. */
  NOT_GRANTED_CALL: { status: 403, message: "This call has not been granted" },
} as const satisfies Record<string, { status: 400 | 403; message: string }>;
export type ApiAuthErrorCode = keyof typeof API_AUTH_ERRORS;
/** The authentication's error codes, for the OpenAPI document's error model. */
export const API_AUTH_ERROR_CODES = Object.keys(API_AUTH_ERRORS) as [ApiAuthErrorCode, ...ApiAuthErrorCode[]];
