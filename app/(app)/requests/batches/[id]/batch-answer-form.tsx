"use client";

import { useTranslations } from "next-intl";
import { type ReactNode, useActionState } from "react";
import { useFormStatus } from "react-dom";
import { answerBatchAction, type BatchAnswerState } from "./actions";

const INITIAL: BatchAnswerState = { status: "idle" };

/**
 * One code, then "Accept all", "Refuse all", or one request at a time with the buttons the rows
 * inside (`children`, the batch's table) carry. The form stays mounted after the last answer, to
 * show its outcome.
 */
export function BatchAnswerForm({
  batchId,
  initialCode = "",
  awaiting,
  isLocked,
  children,
}: {
  batchId: number;
  initialCode?: string;
  /** How many requests of the batch still wait for the viewer's answer. */
  awaiting: number;
  isLocked: boolean;
  children: ReactNode;
}) {
  const t = useTranslations("Batch");
  const [state, action, isPending] = useActionState(answerBatchAction, INITIAL);
  const code = state.status === "done" || state.status === "throttled" ? state.code : initialCode;
  const isWrong = state.status === "done" && !state.result.ok && state.result.reason === "wrong_code";

  return (
    <form action={action} noValidate className="mt-6 space-y-4" aria-describedby="batch-answer-status">
      <input type="hidden" name="batchId" value={batchId} />
      <div id="batch-answer-status" aria-live="polite" className="max-w-3xl empty:hidden">
        <BatchAnswerOutcome state={state} />
      </div>
      {awaiting > 0 && (
        <section
          aria-labelledby="batch-answer-heading"
          className="max-w-3xl space-y-3 rounded-lg border border-brand-100 bg-white p-5 shadow-sm"
        >
          <h2 id="batch-answer-heading" className="text-lg font-semibold">
            {t("yourAnswer")}
          </h2>
          <p className="text-sm text-slate-700">{t("awaitingYou", { count: awaiting })}</p>
          {isLocked ? (
            <p role="alert" className="text-sm text-red-800">
              {t("answer.locked")}
            </p>
          ) : (
            <>
              <div className="space-y-1">
                <label htmlFor="batch-code" className="block text-sm font-medium">
                  {t("code")}
                </label>
                <input
                  key={`${state.status}-${code}`}
                  id="batch-code"
                  name="token"
                  defaultValue={code}
                  autoComplete="one-time-code"
                  autoCapitalize="none"
                  spellCheck={false}
                  aria-invalid={isWrong ? true : undefined}
                  aria-describedby="batch-code-hint"
                  className="block w-full max-w-md rounded-md border border-slate-300 px-3 py-2 font-mono text-sm"
                />
                <p id="batch-code-hint" className="text-xs text-slate-500">
                  {t("codeHint")}
                </p>
              </div>
              <div className="flex flex-wrap items-center gap-3">
                <button
                  type="submit"
                  name="answer"
                  value="accepted"
                  disabled={isPending}
                  className="rounded-md bg-green-700 px-4 py-2 text-sm font-medium text-white hover:bg-green-800 disabled:opacity-60"
                >
                  {t("acceptAll")}
                </button>
                {/* Set apart and in red: refusing ends every request awaiting the viewer, for good. */}
                <button
                  type="submit"
                  name="answer"
                  value="refused"
                  disabled={isPending}
                  aria-describedby="refuse-all-hint"
                  className="ml-6 rounded-md border-2 border-red-700 bg-white px-4 py-2 text-sm font-medium text-red-800 hover:bg-red-50 disabled:opacity-60"
                >
                  {t("refuseAll")}
                </button>
                <p id="refuse-all-hint" className="text-xs text-red-800">
                  {t("refuseAllHint", { count: awaiting })}
                </p>
              </div>
            </>
          )}
        </section>
      )}
      {children}
    </form>
  );
}

/** A row's own buttons: the form's code, for that one request. */
export function RowAnswerButtons({ requestId }: { requestId: number }) {
  const t = useTranslations("Requests");
  const { pending } = useFormStatus();
  return (
    <div className="flex flex-wrap gap-2">
      <button
        type="submit"
        name="answer"
        value={`accepted:${requestId}`}
        disabled={pending}
        aria-label={t("acceptFor", { id: requestId })}
        className="rounded-md bg-green-700 px-3 py-1 text-sm font-medium text-white hover:bg-green-800 disabled:opacity-60"
      >
        {t("accept")}
      </button>
      <button
        type="submit"
        name="answer"
        value={`refused:${requestId}`}
        disabled={pending}
        aria-label={t("refuseFor", { id: requestId })}
        className="rounded-md border border-red-700 px-3 py-1 text-sm font-medium text-red-800 hover:bg-red-50 disabled:opacity-60"
      >
        {t("refuse")}
      </button>
    </div>
  );
}

function BatchAnswerOutcome({ state }: { state: BatchAnswerState }) {
  const t = useTranslations("Batch");
  if (state.status === "idle") return null;
  let error: string;
  if (state.status === "invalid_form") {
    error = t("answer.invalid_form");
  } else if (state.status === "throttled") {
    error = t("answer.throttled", { seconds: state.seconds });
  } else if (state.result.ok) {
    const { result } = state;
    const parts = (["done", "waiting", "refused", "cancelled", "skipped"] as const)
      .filter((part) => result[part] > 0)
      .map((part) => t(`answer.parts.${part}`, { count: result[part] }));
    return (
      <p
        role="status"
        className="rounded-md border border-green-300 bg-green-50 px-3 py-2 text-sm text-green-900"
      >
        {parts.length > 0
          ? t("answer.recordedParts", { count: result.answered, parts: parts.join("; ") })
          : t("answer.recorded", { count: result.answered })}
      </p>
    );
  } else {
    const { result } = state;
    // The contract may carry the attempts left with a wrong code; say so when it does.
    error =
      result.reason === "wrong_code" && "attemptsLeft" in result && typeof result.attemptsLeft === "number"
        ? t("answer.wrong_code_left", { left: result.attemptsLeft })
        : t(`answer.${result.reason}`);
  }
  return (
    <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
      {error}
    </p>
  );
}
