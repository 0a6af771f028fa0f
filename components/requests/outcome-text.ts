import type { useFormatter, useTranslations } from "next-intl";
import type { AnswerRequestResult } from "@/lib/requests/answer-request";
import type { CancelRequestResult } from "@/lib/requests/cancel-request";
import type { ResendRequestResult } from "@/lib/requests/resend-request";

/** The "Requests" messages, as a client component holds them. */
type Translate = ReturnType<typeof useTranslations>;
type Format = ReturnType<typeof useFormatter>;

const nameAndId = (person: { customerId: string; name: string }) => `${person.name} (${person.customerId})`;

/** Why an answer was not taken, in the words the request page and My requests both show. */
export function answerRefusalText(t: Translate, result: Extract<AnswerRequestResult, { ok: false }>): string {
  switch (result.reason) {
    case "wrong_code":
      return t("answer.wrong_code", { left: result.attemptsLeft });
    case "not_pending":
      return t("answer.not_pending", { state: t(`states.${result.state}`) });
    case "already_answered":
      return t("answer.already_answered");
    default:
      return t(`answer.${result.reason}`);
  }
}

/**
 * What an answer given from a row of My requests did, said above the list: `request` names the
 * request and its service ("Request 12 (example.pl)").
 */
export function answerNoticeText(
  t: Translate,
  request: string,
  result: Extract<AnswerRequestResult, { ok: true }>,
): string {
  switch (result.outcome) {
    case "waiting":
      return t("listNotice.accepted_waiting", {
        request,
        people: result.waitingFor.map(nameAndId).join(", "),
      });
    case "done":
      return t("listNotice.accepted_done", { request });
    case "refused":
      return t("listNotice.refused", { request });
    case "cancelled":
      return t("listNotice.accepted_cancelled", { request, reason: t(`endReasons.${result.reason}`) });
  }
}

/** What a resend or a cancel from a row did: a notice, or why it was refused (an error). */
export function requestActionText(
  t: Translate,
  format: Format,
  input: { request: string } & (
    | { action: "resend"; result: ResendRequestResult }
    | { action: "cancel"; result: CancelRequestResult }
  ),
): { isError: boolean; text: string } {
  const { request, result } = input;
  if (result.ok) {
    return {
      isError: false,
      text:
        "recipients" in result
          ? t("listNotice.resent", {
              request,
              people: result.recipients.map(nameAndId).join(", "),
              count: result.recipients.length,
            })
          : t("listNotice.cancelled", { request }),
    };
  }
  switch (result.reason) {
    case "too_soon":
      return {
        isError: true,
        text: t("tooSoon", { time: format.dateTime(new Date(result.retryAt), { timeStyle: "medium" }) }),
      };
    case "not_pending":
      return { isError: true, text: t("answer.not_pending", { state: t(`states.${result.state}`) }) };
    default:
      return { isError: true, text: t(`actionErrors.${result.reason}`) };
  }
}
