import { canActOnRequest, type RequestPartyIds } from "./permissions";
import { effectiveState, type StoredRequestState } from "./request-states";

/** The result of decideCancel. */
export type CancelDecision =
  /** End the request cancelled with this reason and tell everyone involved. */
  | { ok: true; endReason: "withdrawn" }
  | { ok: false; reason: "not_allowed" }
  | { ok: false; reason: "expired" }
  | { ok: false; reason: "not_pending"; state: "done" | "refused" | "cancelled" };

/** Decides a "Cancel request": only the account that asked or the service's administrator may withdraw it. */
export function decideCancel(input: {
  request: StoredRequestState & RequestPartyIds;
  serviceAdminId: number;
  actorId: number;
  now: Date;
}): CancelDecision {
  const { request } = input;
  if (!canActOnRequest("cancel", { actorId: input.actorId, request, serviceAdminId: input.serviceAdminId })) {
    return { ok: false, reason: "not_allowed" };
  }
  const state = effectiveState(request, input.now);
  if (state === "expired") return { ok: false, reason: "expired" };
  if (state !== "pending") return { ok: false, reason: "not_pending", state };
  return { ok: true, endReason: "withdrawn" };
}
