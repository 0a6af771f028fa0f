/**
 * Every zod schema of the automation API in one place, for callers outside this folder (the HTTP
 * route validates `POST /auth/credential` with credentialRequestSchema).
 */
export * from "./api-schemas";
export * from "./auth-schemas";
