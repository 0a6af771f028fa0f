export {
  type AuthenticatedToken,
  authenticateProviderRequest,
  PROVIDER_AUTH_ERROR_CODES,
  type ProviderAuthErrorCode,
  type ProviderAuthResult,
} from "./authenticate-provider-request";
export {
  type CreateProviderTokenResult,
  createProviderToken,
  listProviderTokens,
  PROVIDER_TOKEN_PATTERN,
  PROVIDER_TOKEN_PREFIX,
  type ProviderTokenView,
  revokeProviderToken,
} from "./provider-tokens";
