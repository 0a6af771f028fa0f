/**
 * The words of OVH's authentication scheme, as its API and clients spell them. The database
 * schemas store these values and import them from here; nothing here knows about storage.
 */

/** HTTP methods an access rule can grant (OVH's `auth.MethodEnum`). */
export const API_METHODS = ["GET", "POST", "PUT", "DELETE"] as const;
export type ApiMethod = (typeof API_METHODS)[number];

/** One access rule of a consumer key: `path` is relative to `/api/1.0`; `*` matches any characters. */
export type ApiAccessRule = { method: ApiMethod; path: string };

/**
 * States of a consumer key (OVH's `auth.CredentialStateEnum`, without `expired`, which here is a
 * pending key past its validation deadline rather than a stored state).
 */
export const API_CREDENTIAL_STATES = ["pendingValidation", "validated", "refused"] as const;
export type ApiCredentialState = (typeof API_CREDENTIAL_STATES)[number];
