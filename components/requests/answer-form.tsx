"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { type AnswerState, answerRequestAction } from "@/app/(app)/requests/actions";
import type { AnswerRequestResult } from "@/lib/requests/answer-request";
import { answerRefusalText } from "./outcome-text";

const INITIAL: AnswerState = { status: "idle" };

/**
 * The request page's Accept / Refuse form: the validation code (prefilled from the e-mailed
 * link) and two buttons posting the decision. My requests' rows have theirs in the list's one
 * form (request-table.tsx).
 */
export function AnswerForm({
  requestId,
  initialCode = "",
  canAnswer,
  isLocked = false,
}: {
  requestId: number;
  initialCode?: string;
  /** Whether the viewer still has to answer. The form stays mounted after an answer, to show its outcome. */
  canAnswer: boolean;
  isLocked?: boolean;
}) {
  const t = useTranslations("Requests");
  const [state, action, isPending] = useActionState(answerRequestAction, INITIAL);
  const result = state.status === "done" ? state.result : null;
  const code = state.status === "done" ? state.code : initialCode;
  const id = `code-${requestId}`;

  const fields = (
    <>
      <div className="space-y-1">
        <label htmlFor={id} className="block text-sm font-medium">
          {t("code")}
        </label>
        <input
          key={`${state.status}-${code}`}
          id={id}
          name="token"
          defaultValue={code}
          autoComplete="one-time-code"
          autoCapitalize="none"
          spellCheck={false}
          aria-invalid={result && !result.ok && result.reason === "wrong_code" ? true : undefined}
          className="block w-full max-w-md rounded-md border border-slate-300 px-3 py-2 font-mono text-sm"
        />
        <p className="text-xs text-slate-500">{t("codeHint")}</p>
      </div>
      <div className="flex gap-2">
        <button
          type="submit"
          name="decision"
          value="accepted"
          disabled={isPending}
          className="rounded-md bg-green-700 px-4 py-2 text-sm font-medium text-white hover:bg-green-800 disabled:opacity-60"
        >
          {t("accept")}
        </button>
        <button
          type="submit"
          name="decision"
          value="refused"
          disabled={isPending}
          className="rounded-md border border-red-700 px-4 py-2 text-sm font-medium text-red-800 hover:bg-red-50 disabled:opacity-60"
        >
          {t("refuse")}
        </button>
      </div>
    </>
  );

  if (!canAnswer && !result) return null;
  return (
    <form action={action} className="space-y-3" noValidate>
      <input type="hidden" name="requestId" value={requestId} />
      {result && <AnswerResult result={result} />}
      {canAnswer &&
        (isLocked ? (
          <p role="alert" className="text-sm text-red-800">
            {t("answer.locked")}
          </p>
        ) : (
          fields
        ))}
    </form>
  );
}

function AnswerResult({ result }: { result: AnswerRequestResult }) {
  const t = useTranslations("Requests");
  if (result.ok) {
    const message =
      result.outcome === "waiting"
        ? t("answer.waiting", {
            people: result.waitingFor.map((p) => `${p.name} (${p.customerId})`).join(", "),
          })
        : result.outcome === "cancelled"
          ? t("answer.cancelled", { reason: t(`endReasons.${result.reason}`) })
          : t(`answer.${result.outcome}`);
    return (
      <p
        role="status"
        className="rounded-md border border-green-300 bg-green-50 px-3 py-2 text-sm text-green-900"
      >
        {message}
      </p>
    );
  }
  const message = answerRefusalText(t, result);
  return (
    <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
      {message}
    </p>
  );
}
