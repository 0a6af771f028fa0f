import type { AnswerRequestResult } from "@/lib/requests/answer-request";
import type { CancelRequestResult } from "@/lib/requests/cancel-request";
import type { ResendRequestResult } from "@/lib/requests/resend-request";
import { secondsUntil } from "@/lib/throttle/throttle-policy";
import { type ApiResponse, apiError, notFound, tooManyRequests } from "./api-response";
import { OVH_STATE_OF } from "./ovh-vocabulary";

/** Every refusal the task calls can meet: answering, resending, cancelling. */
export type TaskRefusal =
  | Extract<AnswerRequestResult, { ok: false }>
  | Extract<ResendRequestResult, { ok: false }>
  | Extract<CancelRequestResult, { ok: false }>;

/** The one message for a task that is absent or not the caller's: nothing tells the two apart. */
export const TASK_NOT_FOUND = "This contact change task does not exist.";

/**
 * The API's answer to a refused action on a task: 404 not found (or not yours), 403 not allowed
 * (not a confirmer, a locked code, payments overdue), 400 a wrong code (the message counts the
 * tries left), 409 the task no longer waits (ended, expired, already answered), 429 a resend too
 * soon with Retry-After.
 */
export function taskRefusalResponse(refusal: TaskRefusal, now: Date): ApiResponse {
  switch (refusal.reason) {
    case "not_found":
      return notFound(TASK_NOT_FOUND);
    case "not_a_confirmer":
      return apiError(403, "NOT_A_CONFIRMER", "Your confirmation is not needed for this task.");
    case "not_allowed":
      return apiError(403, "NOT_ALLOWED", "You are not allowed to do this on this task.");
    case "locked":
      return apiError(
        403,
        "CODE_LOCKED",
        "Too many wrong tokens: this token is locked. Ask for the task's e-mails to be resent (resendEmail) to get a new one.",
      );
    case "payments_overdue":
      return apiError(
        403,
        "PAYMENTS_OVERDUE",
        "You cannot become the billing contact while your account has an overdue invoice. Your answer is not recorded and your token still works: pay the invoice, then accept again, or refuse.",
      );
    case "wrong_code":
      return apiError(
        400,
        "WRONG_CODE",
        refusal.attemptsLeft === 0
          ? "Invalid token. No attempt is left: ask for the task's e-mails to be resent (resendEmail) to get a new one."
          : `Invalid token. ${refusal.attemptsLeft} attempt${refusal.attemptsLeft === 1 ? "" : "s"} left.`,
      );
    case "expired":
      return apiError(409, "EXPIRED", "This task has expired.");
    case "not_pending":
      return apiError(
        409,
        "NOT_PENDING",
        `This task is no longer pending: it is ${OVH_STATE_OF[refusal.state]}.`,
      );
    case "already_answered":
      return apiError(
        409,
        "ALREADY_ANSWERED",
        `You have already ${refusal.decision === "accepted" ? "accepted" : "refused"} this task.`,
      );
    case "too_soon":
      return tooManyRequests(
        `The task's e-mails were resent less than a minute ago. Try again after ${refusal.retryAt.toISOString()}.`,
        secondsUntil(refusal.retryAt, now),
      );
  }
}
