import { z } from "zod";
import { apiAccessRuleSchema, apiAccessRulesSchema } from "@/lib/api/auth/access-rules";
import { API_METHODS } from "@/lib/api/auth/vocabulary";

/**
 * The schemas of the two unsigned calls, `GET /auth/time` and `POST /auth/credential`. Their
 * handlers live with the authentication (lib/api/auth/); the schemas live here so that the
 * OpenAPI document describes them from the same source the handlers validate with.
 */

/** `auth.MethodEnum`: the HTTP methods an access rule may name. */
export const ACCESS_RULE_METHODS = API_METHODS;

/** `auth.AccessRule`: the one schema the authentication checks rules with (lib/api/auth). */
export const accessRuleSchema = apiAccessRuleSchema;

/**
 * `POST /auth/credential`'s body. Strict: a field this app does not enforce (OVH's `allowedIPs`)
 * is refused rather than silently ignored, so no one believes a key restricted that is not.
 */
export const credentialRequestSchema = z
  .strictObject({
    accessRules: apiAccessRulesSchema,
    redirection: z
      .url({ protocol: /^https?$/, error: "must be an http(s) URL" })
      .max(2000, "is too long")
      .optional()
      .meta({ description: "Where to send the user once they have validated the key" }),
  })
  .meta({ description: "The access rules to ask a consumer key for" });
export type CredentialRequest = z.infer<typeof credentialRequestSchema>;

/** `auth.CredentialStateEnum`. */
export const CREDENTIAL_STATES = ["expired", "pendingValidation", "refused", "validated"] as const;

/** `auth.Credential`, what `POST /auth/credential` answers. */
export const credentialResponseSchema = z
  .strictObject({
    consumerKey: z.string().meta({ description: "The consumer key, to sign calls with once validated" }),
    validationUrl: z.url().meta({ description: "The page where the user validates the key" }),
    state: z.enum(CREDENTIAL_STATES),
  })
  .meta({ description: "A consumer key waiting for the user's validation" });
export type CredentialResponse = z.infer<typeof credentialResponseSchema>;

/** `GET /auth/time`: the server's clock, in whole seconds since the epoch. */
export const authTimeResponseSchema = z.int().meta({ description: "Unix time in seconds", format: "int64" });
