"use client";

import { useFormatter, useTranslations } from "next-intl";
import { useActionState } from "react";
import { type RequestActionState, requestAction } from "@/app/(app)/requests/actions";
import { BackButton, CONFIRM_BUTTON_CLASS, ConfirmStep } from "@/components/ui/confirm-step";

const INITIAL: RequestActionState = { status: "idle" };

/**
 * "Resend request" and "Cancel request" on a request's page, for those allowed (My requests' rows
 * have their own, in components/requests/request-table.tsx). A cancel cannot be undone: the first
 * press only asks (the server answers with the cancel step), whose own "Cancel request" cancels.
 */
export function RequestActionButtons({
  requestId,
  serviceName,
  canResend,
  canCancel,
}: {
  requestId: number;
  serviceName: string;
  canResend: boolean;
  canCancel: boolean;
}) {
  const t = useTranslations("Requests");
  const format = useFormatter();
  const [state, action, isPending] = useActionState(requestAction, INITIAL);
  if (!canResend && !canCancel && (state.status === "idle" || state.status === "confirm_cancel")) return null;

  let message: { text: string; isError: boolean } | null = null;
  if (state.status === "invalid_form") {
    message = { isError: true, text: t("invalidForm") };
  } else if (state.status === "done") {
    const { result } = state;
    if (result.ok) {
      message = {
        isError: false,
        text:
          state.action === "resend" && "recipients" in result
            ? t("resent", { people: result.recipients.map((p) => `${p.name} (${p.customerId})`).join(", ") })
            : t("cancelled"),
      };
    } else if (result.reason === "too_soon") {
      message = {
        isError: true,
        text: t("tooSoon", { time: format.dateTime(new Date(result.retryAt), { timeStyle: "medium" }) }),
      };
    } else if (result.reason === "not_pending") {
      message = { isError: true, text: t("answer.not_pending", { state: t(`states.${result.state}`) }) };
    } else {
      message = { isError: true, text: t(`actionErrors.${result.reason}`) };
    }
  }

  // A request that ended meanwhile (the page follows it live) has nothing left to cancel.
  if (state.status === "confirm_cancel" && canCancel) {
    return (
      <form action={action}>
        <input type="hidden" name="requestId" value={requestId} />
        <ConfirmStep
          title={t("cancelStep.title")}
          actions={
            <>
              <BackButton name="action" value="keep" label={t("keep")} disabled={isPending} />
              <button
                type="submit"
                name="action"
                value="cancel"
                disabled={isPending}
                className={CONFIRM_BUTTON_CLASS}
              >
                {t("cancel")}
              </button>
            </>
          }
        >
          <p>{t("cancelStep.body", { id: requestId, service: serviceName })}</p>
        </ConfirmStep>
      </form>
    );
  }

  return (
    <form action={action} className="space-y-2">
      <input type="hidden" name="requestId" value={requestId} />
      {message && (
        <p
          role={message.isError ? "alert" : "status"}
          className={`rounded-md border px-3 py-2 text-sm ${
            message.isError
              ? "border-red-200 bg-red-50 text-red-800"
              : "border-green-300 bg-green-50 text-green-900"
          }`}
        >
          {message.text}
        </p>
      )}
      <div className="flex flex-wrap gap-2">
        {canResend && (
          <button
            type="submit"
            name="action"
            value="resend"
            disabled={isPending}
            className="rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100 disabled:opacity-60"
          >
            {t("resend")}
          </button>
        )}
        {canCancel && (
          <button
            type="submit"
            name="action"
            value="cancel"
            disabled={isPending}
            className="rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100 disabled:opacity-60"
          >
            {t("cancel")}
          </button>
        )}
      </div>
    </form>
  );
}
