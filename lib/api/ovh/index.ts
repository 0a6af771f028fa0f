/**
 * The automation API, OVH-compatible (SPEC.md): the HTTP route authenticates a call, then hands
 * it to handleApiCall with the signed-in account; openApiDocument describes every call.
 */

export type { ApiErrorBody, ApiErrorCode, ApiResponse } from "./api-response";
export { API_ROUTES } from "./api-routes";
export {
  accessRuleSchema,
  authTimeResponseSchema,
  type CredentialRequest,
  type CredentialResponse,
  credentialRequestSchema,
  credentialResponseSchema,
} from "./auth-schemas";
export { type ApiCall, handleApiCall } from "./handle-api-call";
export { openApiDocument } from "./openapi";
