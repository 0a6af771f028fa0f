import { and, eq, gt, isNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { apiConsumerKeys } from "@/db/schema";
import { findCredentialByToken, undecidableReason } from "./find-credential-by-token";
import type { DecideApiCredentialRefusalReason } from "./reason-codes";

export type DecideApiCredentialInput = {
  /** The token of the validation URL. */
  credentialToken: string;
  /** The signed-in account: once approved, the key acts for it. */
  accountId: number;
  approve: boolean;
  now?: Date;
};

export type DecideApiCredentialResult =
  | {
      ok: true;
      state: "validated" | "refused";
      /** Where the application asked the user to be sent afterwards, if anywhere. */
      redirection: string | null;
    }
  | { ok: false; reason: DecideApiCredentialRefusalReason };

/**
 * The validation page's approve or refuse: a pending consumer key becomes `validated` (acting from
 * now on for `accountId`, within its access rules) or `refused`. The decision is one conditional
 * UPDATE (`… WHERE state = 'pendingValidation'`, not revoked, not expired) that must touch exactly
 * one row, so of two concurrent decisions only one wins and the other is told `already_decided`.
 */
export async function decideApiCredential(
  db: Db,
  input: DecideApiCredentialInput,
): Promise<DecideApiCredentialResult> {
  const now = input.now ?? new Date();
  return db.transaction(async (tx) => {
    const found = await findCredentialByToken(tx, input.credentialToken);
    if (!found) return { ok: false, reason: "not_found" } as const;
    const refusal = undecidableReason(found, now);
    if (refusal) return { ok: false, reason: refusal } as const;

    const state = input.approve ? "validated" : "refused";
    const decided = await tx
      .update(apiConsumerKeys)
      .set({ state, accountId: input.accountId, decidedAt: now })
      .where(
        and(
          eq(apiConsumerKeys.id, found.key.id),
          eq(apiConsumerKeys.state, "pendingValidation"),
          isNull(apiConsumerKeys.revokedAt),
          gt(apiConsumerKeys.validationExpiresAt, now),
        ),
      )
      .returning({ id: apiConsumerKeys.id });
    if (decided.length !== 1) {
      // Another decision, or the application's revocation, committed since the key was read.
      const current = await findCredentialByToken(tx, input.credentialToken);
      return {
        ok: false,
        reason: (current && undecidableReason(current, now)) ?? "already_decided",
      } as const;
    }
    return { ok: true, state, redirection: found.key.redirection } as const;
  });
}
