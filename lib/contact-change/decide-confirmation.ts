import type { RequestChange } from "./apply-to-service";
import { effectiveState, type StoredRequestState } from "./request-states";
import { type AccountSet, isInAccountSet } from "./service-contacts";
import type { Decision } from "./vocabulary";

/** Wrong codes a confirmer may enter before their token is locked until a resend. */
export const MAX_FAILED_ATTEMPTS = 5;

/** One confirmer of the request, as stored. */
export interface ConfirmationRecord {
  accountId: number;
  /** Null until the confirmer answers. */
  decision: Decision | null;
  failedAttempts: number;
}

/** A confirmer's accept or refuse, with what it needs to be judged. */
export interface DecideConfirmationInput {
  request: StoredRequestState & Pick<RequestChange, "newContactId" | "contactTypes">;
  confirmations: readonly ConfirmationRecord[];
  actorId: number;
  /** Whether the submitted code hashes to this confirmer's current token. */
  tokenMatches: boolean;
  decision: Decision;
  /**
   * Accounts with an overdue invoice. Only the new contact of a billing change is looked up,
   * when they accept: a lookup function lets the caller read nothing more.
   */
  behindWithPayments: AccountSet;
  now: Date;
}

/** Why the answer is not taken; nothing changes except a counted wrong code. */
export type ConfirmationRefusal =
  | { ok: false; reason: "not_a_confirmer" }
  | { ok: false; reason: "expired" }
  | { ok: false; reason: "not_pending"; state: "done" | "refused" | "cancelled" }
  | { ok: false; reason: "already_answered"; decision: Decision }
  | { ok: false; reason: "locked" }
  /** The caller adds one failed attempt; at 0 attempts left the token is locked. */
  | { ok: false; reason: "wrong_code"; attemptsLeft: number }
  /** The new billing contact is behind with payments: the code is not spent and nothing changes. */
  | { ok: false; reason: "payments_overdue" };

/**
 * What the answer does. `refused`: the request ends refused and everyone involved is told.
 * `waiting`: it stays pending for the listed accounts. `apply`: it was the last acceptance; the
 * caller runs recheckBeforeApply and applies or cancels in the same transaction.
 */
export type ConfirmationOutcome =
  | { ok: true; outcome: "refused" }
  | { ok: true; outcome: "waiting"; waitingForIds: number[] }
  | { ok: true; outcome: "apply" };

/** The result of decideConfirmation. */
export type DecideConfirmationResult = ConfirmationRefusal | ConfirmationOutcome;

/**
 * Judges a confirmer's accept or refuse. The request's state is judged before the confirmer's
 * own record, so an ended request says so rather than blaming the code; a locked token stays
 * locked even for the right code, as brute force would otherwise only need patience. Payments
 * are judged last, for an acceptance with the right code: a refusal is always taken.
 */
export function decideConfirmation(input: DecideConfirmationInput): DecideConfirmationResult {
  const own = input.confirmations.find((confirmation) => confirmation.accountId === input.actorId);
  if (!own) return { ok: false, reason: "not_a_confirmer" };

  const state = effectiveState(input.request, input.now);
  if (state === "expired") return { ok: false, reason: "expired" };
  if (state !== "pending") return { ok: false, reason: "not_pending", state };

  if (own.decision) return { ok: false, reason: "already_answered", decision: own.decision };
  if (own.failedAttempts >= MAX_FAILED_ATTEMPTS) return { ok: false, reason: "locked" };
  if (!input.tokenMatches) {
    return {
      ok: false,
      reason: "wrong_code",
      attemptsLeft: Math.max(0, MAX_FAILED_ATTEMPTS - own.failedAttempts - 1),
    };
  }

  if (input.decision === "refused") return { ok: true, outcome: "refused" };
  if (isBecomingBillingWhileBehind(input)) return { ok: false, reason: "payments_overdue" };

  // Anything but an acceptance keeps the request waiting, so an inconsistent refusal fails closed.
  const waitingForIds = input.confirmations
    .filter(
      (confirmation) => confirmation.accountId !== input.actorId && confirmation.decision !== "accepted",
    )
    .map((confirmation) => confirmation.accountId);
  return waitingForIds.length > 0
    ? { ok: true, outcome: "waiting", waitingForIds }
    : { ok: true, outcome: "apply" };
}

// The new contact's standing is checked at their acceptance, not when the request is made
// (SPEC.md "Deployment modes and trust"): only they hold this code, so only they learn it, and
// the request keeps waiting for them while they pay. The old contact's standing was checked
// at request time, and both are checked again when the request is applied.
function isBecomingBillingWhileBehind(input: DecideConfirmationInput): boolean {
  return (
    input.actorId === input.request.newContactId &&
    input.request.contactTypes.includes("billing") &&
    isInAccountSet(input.behindWithPayments, input.actorId)
  );
}
