import type { Db } from "@/db/client";
import { findCredentialByToken, undecidableReason } from "./find-credential-by-token";
import type { DecideApiCredentialRefusalReason } from "./reason-codes";
import type { ApiAccessRule, ApiCredentialState } from "./vocabulary";

/** What the validation page shows before the user approves or refuses a consumer key. */
export type CredentialForValidation = {
  applicationName: string;
  applicationDescription: string;
  /** The customer ID of the account that created the application. */
  applicationOwner: string;
  accessRules: ApiAccessRule[];
  state: ApiCredentialState;
  /** Until when a pending key can be approved. */
  validationExpiresAt: Date;
  /** Where the page sends the user once they decided, if the application gave an address. */
  redirection: string | null;
  /**
   * Why approving or refusing would fail now (the same check `decideApiCredential` makes), or
   * null when the page can offer both buttons.
   */
  undecidableReason: Exclude<DecideApiCredentialRefusalReason, "not_found"> | null;
};

/**
 * The consumer key a validation URL is for, read-only: opening the link changes nothing (mail
 * scanners and previews open links too); the page's buttons post the decision. Null for a token
 * that names no key.
 */
export async function readCredentialForValidation(
  db: Db,
  input: { credentialToken: string; now?: Date },
): Promise<CredentialForValidation | null> {
  const found = await findCredentialByToken(db.read, input.credentialToken);
  if (!found) return null;
  return {
    applicationName: found.application.name,
    applicationDescription: found.application.description,
    applicationOwner: found.application.ownerCustomerId,
    accessRules: found.key.accessRules,
    state: found.key.state,
    validationExpiresAt: found.key.validationExpiresAt,
    redirection: found.key.redirection,
    undecidableReason: undecidableReason(found, input.now ?? new Date()),
  };
}
