/**
 * OVH's authentication for the automation API: applications (key and secret), consumer keys
 * requested with access rules and validated by an account, and signed requests checked for
 * signature, clock skew, replay and access rules. Secrets at rest: see application-secret-cipher.ts.
 */
export {
  apiAccessRuleSchema,
  apiAccessRulesSchema,
  isCallGranted,
  MAX_ACCESS_RULES,
  MAX_RULE_PATH_LENGTH,
} from "./access-rules";
export {
  API_BASE_PATH,
  API_TIMESTAMP_SKEW_S,
  type ApiAuthFailure,
  type ApiRequestHeaders,
  type AuthenticateApiRequestInput,
  type AuthenticateApiRequestResult,
  apiPathOf,
  authenticateApiRequest,
  purgeSeenSignatures,
  SEEN_SIGNATURE_RETENTION_MS,
} from "./authenticate-api-request";
export {
  apiApplicationDescriptionSchema,
  apiApplicationNameSchema,
  type CreateApiApplicationInput,
  type CreateApiApplicationResult,
  createApiApplication,
  MAX_APPLICATION_DESCRIPTION_LENGTH,
  MAX_APPLICATION_NAME_LENGTH,
} from "./create-api-application";
export {
  type DecideApiCredentialInput,
  type DecideApiCredentialResult,
  decideApiCredential,
} from "./decide-api-credential";
export {
  type ApiAccess,
  type ApiApplicationSummary,
  type ApiConsumerKeySummary,
  listApiAccess,
} from "./list-api-access";
export { isSameSignature, type OvhSignedRequest, ovhSignature } from "./ovh-signature";
export { type CredentialForValidation, readCredentialForValidation } from "./read-credential-for-validation";
export * from "./reason-codes";
export {
  CREDENTIAL_VALIDATION_TTL_MS,
  type RequestApiCredentialInput,
  type RequestApiCredentialResult,
  requestApiCredential,
} from "./request-api-credential";
export { type RevokeApiAccessResult, revokeApiApplication } from "./revoke-api-application";
export { revokeConsumerKey } from "./revoke-consumer-key";
export * from "./vocabulary";
