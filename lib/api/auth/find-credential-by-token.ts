import { eq } from "drizzle-orm";
import type { Reader, Tx } from "@/db/client";
import { accounts, apiApplications, apiConsumerKeys } from "@/db/schema";
import { hashToken } from "@/lib/tokens";
import type { DecideApiCredentialRefusalReason } from "./reason-codes";

/** A consumer key found by its validation URL's token, with what the validation page shows of its application. */
export type CredentialByToken = {
  key: typeof apiConsumerKeys.$inferSelect;
  /** `ownerCustomerId`: whose application it is (anyone can name one "Support"). */
  application: { name: string; description: string; revokedAt: Date | null; ownerCustomerId: string };
};

/** The consumer key whose validation URL carries `credentialToken` (looked up by its hash), or null. */
export async function findCredentialByToken(
  executor: Reader | Tx,
  credentialToken: string,
): Promise<CredentialByToken | null> {
  if (credentialToken.trim() === "") return null;
  const [found] = await executor
    .select({
      key: apiConsumerKeys,
      application: {
        name: apiApplications.name,
        description: apiApplications.description,
        revokedAt: apiApplications.revokedAt,
        ownerCustomerId: accounts.customerId,
      },
    })
    .from(apiConsumerKeys)
    .innerJoin(apiApplications, eq(apiApplications.id, apiConsumerKeys.applicationId))
    .innerJoin(accounts, eq(accounts.id, apiApplications.accountId))
    .where(eq(apiConsumerKeys.credentialTokenHash, hashToken(credentialToken)));
  return found ?? null;
}

/**
 * Why a found key can no longer be approved or refused, or null when it can: decided already
 * (whatever happened since), its application revoked (which revokes its keys), or past its 24 hours.
 */
export function undecidableReason(
  found: CredentialByToken,
  now: Date,
): Exclude<DecideApiCredentialRefusalReason, "not_found"> | null {
  if (found.key.state !== "pendingValidation") return "already_decided";
  if (found.application.revokedAt !== null || found.key.revokedAt !== null) return "application_revoked";
  if (found.key.validationExpiresAt.getTime() <= now.getTime()) return "expired";
  return null;
}
