import { and, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { apiApplications, apiConsumerKeys } from "@/db/schema";
import { generateToken, hashToken } from "@/lib/tokens";
import { apiAccessRulesSchema } from "./access-rules";
import { CONSUMER_KEY_LENGTH, randomAlphanumeric } from "./random-key";
import type { RequestApiCredentialRefusalReason } from "./reason-codes";

/** How long a requested consumer key waits for its validation (OVH: 24 hours). */
export const CREDENTIAL_VALIDATION_TTL_MS = 24 * 60 * 60 * 1000;
export const MAX_REDIRECTION_LENGTH = 2000;

/** Where the validation page sends the user afterwards: an absolute http(s) URL, or nothing. */
const redirectionSchema = z
  .union([
    z.null(),
    z.undefined(),
    z.literal(""),
    z.url({ protocol: /^https?$/ }).max(MAX_REDIRECTION_LENGTH),
  ])
  .transform((url) => url || null);

export type RequestApiCredentialInput = {
  /** X-Ovh-Application of `POST /auth/credential`. */
  applicationKey: string;
  /** The body's `accessRules`, as received: checked here. */
  accessRules: unknown;
  /** The body's `redirection`, as received: checked here. */
  redirection?: unknown;
  now?: Date;
};

export type RequestApiCredentialResult =
  | {
      ok: true;
      /** For the application: sent as X-Ovh-Consumer once validated. Returned this once, stored hashed. */
      consumerKey: string;
      /** For the validation URL the caller builds (`…/api-access/validate/{credentialToken}`). Stored hashed. */
      credentialToken: string;
      state: "pendingValidation";
      validationExpiresAt: Date;
    }
  | { ok: false; reason: RequestApiCredentialRefusalReason };

/**
 * `POST /auth/credential`: an application asks for a consumer key with access rules. The key is
 * pending until an account approves it at the validation URL, within 24 hours; the consumer key
 * and the URL's token are separate secrets (the key goes to the script, the URL to a browser)
 * and only their SHA-256 hashes are stored.
 */
export async function requestApiCredential(
  db: Db,
  input: RequestApiCredentialInput,
): Promise<RequestApiCredentialResult> {
  const now = input.now ?? new Date();
  const consumerKey = randomAlphanumeric(CONSUMER_KEY_LENGTH);
  const { token: credentialToken, hash: credentialTokenHash } = generateToken();
  const validationExpiresAt = new Date(now.getTime() + CREDENTIAL_VALIDATION_TTL_MS);
  return db.transaction(async (tx) => {
    // The application first: an unknown key is answered as such (403) before its body is judged.
    const [application] = await tx
      .select({ id: apiApplications.id })
      .from(apiApplications)
      .where(
        and(eq(apiApplications.applicationKey, input.applicationKey), isNull(apiApplications.revokedAt)),
      );
    if (!application) return { ok: false, reason: "unknown_application" } as const;
    const rules = apiAccessRulesSchema.safeParse(input.accessRules);
    if (!rules.success) return { ok: false, reason: "invalid_rules" } as const;
    const redirection = redirectionSchema.safeParse(input.redirection);
    if (!redirection.success) return { ok: false, reason: "invalid_redirection" } as const;
    await tx.insert(apiConsumerKeys).values({
      applicationId: application.id,
      consumerKeyHash: hashToken(consumerKey),
      credentialTokenHash,
      accessRules: rules.data,
      redirection: redirection.data,
      state: "pendingValidation",
      createdAt: now,
      validationExpiresAt,
    });
    return {
      ok: true,
      consumerKey,
      credentialToken,
      state: "pendingValidation",
      validationExpiresAt,
    } as const;
  });
}
