import type { ConfirmationRecord } from "./decide-confirmation";
import { canActOnRequest, type RequestPartyIds } from "./permissions";
import { effectiveState, type StoredRequestState } from "./request-states";

/** The shortest time between two sends of a request's e-mails, so a resend button cannot flood inboxes. */
export const RESEND_INTERVAL_MS = 60_000;

/** Whether a resend is allowed at `now`, given when the request was last resent. */
export function canResend(lastSentAt: Date, now: Date): boolean {
  return now.getTime() - lastSentAt.getTime() >= RESEND_INTERVAL_MS;
}

/** The earliest moment of the next resend. */
export function nextResendAt(lastSentAt: Date): Date {
  return new Date(lastSentAt.getTime() + RESEND_INTERVAL_MS);
}

/** A request of the service as a resend needs it. */
export interface ResendableRequest extends StoredRequestState, RequestPartyIds {
  createdAt: Date;
  lastResentAt: Date | null;
}

/** The result of decideResend. */
export type ResendDecision =
  /** Issue new tokens to these confirmers (those who have not answered) and e-mail them. */
  | { ok: true; reissueToIds: number[] }
  | { ok: false; reason: "not_allowed" }
  | { ok: false; reason: "expired" }
  | { ok: false; reason: "not_pending"; state: "done" | "refused" | "cancelled" }
  | { ok: false; reason: "too_soon"; retryAt: Date };

/**
 * Decides a "Resend request". New tokens replace the old ones (and clear their lock), because
 * the first e-mail may have gone to an outdated address; confirmers who answered keep theirs.
 */
export function decideResend(input: {
  request: ResendableRequest;
  confirmations: readonly ConfirmationRecord[];
  serviceAdminId: number;
  actorId: number;
  now: Date;
}): ResendDecision {
  const { request, now } = input;
  if (!canActOnRequest("resend", { actorId: input.actorId, request, serviceAdminId: input.serviceAdminId })) {
    return { ok: false, reason: "not_allowed" };
  }
  const state = effectiveState(request, now);
  if (state === "expired") return { ok: false, reason: "expired" };
  if (state !== "pending") return { ok: false, reason: "not_pending", state };

  // The first resend may follow the request at once: the usual reason for it is an address that
  // was outdated, just corrected in the profile. After that, once a minute.
  if (request.lastResentAt && !canResend(request.lastResentAt, now)) {
    return { ok: false, reason: "too_soon", retryAt: nextResendAt(request.lastResentAt) };
  }

  const reissueToIds = input.confirmations
    .filter((confirmation) => confirmation.decision === null)
    .map((confirmation) => confirmation.accountId);
  return { ok: true, reissueToIds };
}
