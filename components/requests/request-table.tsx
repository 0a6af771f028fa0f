"use client";

import { useFormatter, useTranslations } from "next-intl";
import { useActionState, useRef } from "react";
import { type ListRowState, listRowAction } from "@/app/(app)/requests/list-actions";
import { BackButton, CONFIRM_BUTTON_CLASS, ConfirmStep } from "@/components/ui/confirm-step";
import type { RequestState } from "@/db/schema";
import type { EmailUndeliverableKind } from "@/lib/provider/vocabulary";
import { answerNoticeText, answerRefusalText, requestActionText } from "./outcome-text";
import { StateLabel } from "./state-badge";
import { UndeliverableNotice } from "./undeliverable-notice";

/**
 * A row of My requests with every word already in place: the server formats them (one date
 * format, the state names once), so rendering 50 rows formats no message.
 */
export type ShownRequestRow = {
  id: number;
  /** "Request 12", the row's link. */
  title: string;
  service: string;
  /** People as "Name (customer-id)". */
  oldContact: string;
  newContact: string;
  requestedBy: string;
  types: string;
  date: string;
  state: RequestState;
  /** While pending: whom it waits for, in words. */
  waiting: string | null;
  /** Those awaited, other than the viewer, whose e-mails bounce. */
  undeliverableWaiting: string[];
  isAwaitingMe: boolean;
  canResend: boolean;
  canCancel: boolean;
};

/** The table's words; a per-row name has `{id}` for the request's number. */
export type RequestTableLabels = {
  columns: string[];
  actions: string;
  states: Record<RequestState, string>;
  answerRow: string;
  code: string;
  codeFor: string;
  accept: string;
  acceptFor: string;
  refuse: string;
  refuseFor: string;
  resend: string;
  resendFor: string;
  cancel: string;
  cancelFor: string;
};

const IDLE: ListRowState = { status: "idle" };

const named = (template: string, id: number) => template.replace("{id}", String(id));

/** What the last row action did: said above the list, or, when refused, in its row. */
type Outcome = { requestId: number | null; isError: boolean; text: string };

/**
 * My requests' table and what its rows' actions did. The whole table is one form: a row's
 * buttons say what to do to which request, its code field is named after it. Not a form (and an
 * action state) per row: 50 rows of those made the page cost two bare pages. An action's outcome
 * stays in a notice above the table until the next one or until the user leaves the page, since
 * the row itself may leave a filtered list.
 */
export function RequestTable({
  rows,
  awaitingFirst,
  myMark,
  labels,
  empty,
}: {
  rows: ShownRequestRow[];
  awaitingFirst: number;
  /** Why e-mails to the viewer's own address do not arrive, if they do not. */
  myMark: EmailUndeliverableKind | null;
  labels: RequestTableLabels;
  /** What to say when there is no row. */
  empty: string;
}) {
  const t = useTranslations("Requests");
  const format = useFormatter();
  const [state, action, isPending] = useActionState(listRowAction, IDLE);
  // The services of the rows shown so far, to name the one an action took out of the list.
  const services = useRef(new Map<number, string>());
  for (const row of rows) services.current.set(row.id, row.service);

  const outcome = outcomeOf(state, (requestId) => {
    const service = services.current.get(requestId);
    return service
      ? t("listNotice.request", { id: requestId, service })
      : t("requestTitle", { id: requestId });
  });
  // Refusals show in their row, unless it is no longer in the list.
  const isInList = (id: number | null) => rows.some((row) => row.id === id);
  const notice = outcome && (!outcome.isError || !isInList(outcome.requestId)) ? outcome : null;
  const errorIn = (id: number) => (outcome?.isError && outcome.requestId === id ? outcome.text : null);
  const answerTo = (id: number) =>
    state.status === "answered" && state.requestId === id ? state.answer : null;
  // A wrong code stays in its field, so the person sees what they typed.
  const keptCode = (id: number) => {
    const answer = answerTo(id);
    return answer && "code" in answer ? answer.code : "";
  };
  // The row whose "Cancel request" was pressed once: it shows the cancel step.
  const cancelStepFor =
    state.status === "acted" && state.outcome.status === "confirm_cancel" ? state.requestId : null;
  const isWrongCode = (id: number) => {
    const answer = answerTo(id);
    return answer?.status === "done" && !answer.result.ok && answer.result.reason === "wrong_code";
  };

  return (
    <>
      {notice && (
        <p
          role={notice.isError ? "alert" : "status"}
          className={notice.isError ? "list-error" : "list-notice"}
        >
          {notice.text}
        </p>
      )}
      {rows.length === 0 ? (
        <p className="mt-8 rounded-md border border-dashed border-slate-300 bg-white p-6 text-center text-slate-600">
          {empty}
        </p>
      ) : (
        <form
          action={action}
          noValidate
          className="relative mt-5 overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm"
        >
          <table className="request-table">
            <thead>
              <tr>
                {labels.columns.map((column) => (
                  <th key={column} scope="col">
                    {column}
                  </th>
                ))}
                <th scope="col">
                  <span className="sr-only">{labels.actions}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row, index) => {
                const error = errorIn(row.id);
                const code = keptCode(row.id);
                return (
                  <tr
                    key={row.id}
                    className={
                      [
                        row.isAwaitingMe && "awaiting",
                        // The first page opens with the newest awaiting the user; a rule ends them.
                        index > 0 && index === awaitingFirst && "after-awaiting",
                      ]
                        .filter(Boolean)
                        .join(" ") || undefined
                    }
                  >
                    <th scope="row">
                      <a href={`/requests/${row.id}`}>{row.title}</a>
                    </th>
                    <td>{row.service}</td>
                    <td>{row.oldContact}</td>
                    <td>{row.newContact}</td>
                    <td>{row.types}</td>
                    <td>{row.requestedBy}</td>
                    <td className="nowrap">{row.date}</td>
                    <td>
                      <StateLabel state={row.state} label={labels.states[row.state]} />
                      {row.waiting && <p className="waiting">{row.waiting}</p>}
                      {((row.isAwaitingMe && myMark) || row.undeliverableWaiting.length > 0) && (
                        <UndeliverableNotice
                          myMark={row.isAwaitingMe ? myMark : null}
                          others={row.undeliverableWaiting}
                          className="undeliverable"
                        />
                      )}
                    </td>
                    <td>
                      <div className="actions">
                        {error && (
                          <p role="alert" className="row-error">
                            {error}
                          </p>
                        )}
                        {row.isAwaitingMe && (
                          <details>
                            <summary>{labels.answerRow}</summary>
                            <div className="answer">
                              <input
                                key={`${state.status}-${code}`}
                                name={`token-${row.id}`}
                                defaultValue={code}
                                aria-label={named(labels.codeFor, row.id)}
                                aria-invalid={isWrongCode(row.id) || undefined}
                                placeholder={labels.code}
                                autoComplete="one-time-code"
                                autoCapitalize="none"
                                spellCheck={false}
                              />
                              <div>
                                <button
                                  type="submit"
                                  name="intent"
                                  value={`accept:${row.id}`}
                                  disabled={isPending}
                                  aria-label={named(labels.acceptFor, row.id)}
                                  className="accept"
                                >
                                  {labels.accept}
                                </button>
                                <button
                                  type="submit"
                                  name="intent"
                                  value={`refuse:${row.id}`}
                                  disabled={isPending}
                                  aria-label={named(labels.refuseFor, row.id)}
                                  className="refuse"
                                >
                                  {labels.refuse}
                                </button>
                              </div>
                            </div>
                          </details>
                        )}
                        {cancelStepFor === row.id && row.canCancel ? (
                          <ConfirmStep
                            title={t("cancelStep.title")}
                            actions={
                              <>
                                <BackButton
                                  name="intent"
                                  value={`keep:${row.id}`}
                                  label={t("keep")}
                                  ariaLabel={t("keepFor", { id: row.id })}
                                  disabled={isPending}
                                />
                                <button
                                  type="submit"
                                  name="intent"
                                  value={`confirm-cancel:${row.id}`}
                                  disabled={isPending}
                                  aria-label={named(labels.cancelFor, row.id)}
                                  className={CONFIRM_BUTTON_CLASS}
                                >
                                  {labels.cancel}
                                </button>
                              </>
                            }
                          >
                            <p>{t("cancelStep.body", { id: row.id, service: row.service })}</p>
                          </ConfirmStep>
                        ) : (
                          (row.canResend || row.canCancel) && (
                            <div>
                              {row.canResend && (
                                <button
                                  type="submit"
                                  name="intent"
                                  value={`resend:${row.id}`}
                                  disabled={isPending}
                                  aria-label={named(labels.resendFor, row.id)}
                                >
                                  {labels.resend}
                                </button>
                              )}
                              {row.canCancel && (
                                <button
                                  type="submit"
                                  name="intent"
                                  value={`cancel:${row.id}`}
                                  disabled={isPending}
                                  aria-label={named(labels.cancelFor, row.id)}
                                >
                                  {labels.cancel}
                                </button>
                              )}
                            </div>
                          )
                        )}
                      </div>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </form>
      )}
    </>
  );

  function outcomeOf(current: ListRowState, requestName: (id: number) => string): Outcome | null {
    switch (current.status) {
      case "idle":
        return null;
      case "invalid_form":
        return { requestId: null, isError: true, text: t("invalidForm") };
      case "answered": {
        const { requestId, answer } = current;
        if (answer.status === "idle") return null;
        if (answer.status === "invalid_form")
          return { requestId: null, isError: true, text: t("invalidForm") };
        if (answer.status === "throttled") {
          return { requestId, isError: true, text: t("answer.throttled", { seconds: answer.seconds }) };
        }
        const { result } = answer;
        return result.ok
          ? { requestId, isError: false, text: answerNoticeText(t, requestName(requestId), result) }
          : { requestId, isError: true, text: answerRefusalText(t, result) };
      }
      case "acted": {
        const { requestId, outcome } = current;
        // The cancel step shows in its row.
        if (outcome.status === "idle" || outcome.status === "confirm_cancel") return null;
        if (outcome.status === "invalid_form")
          return { requestId: null, isError: true, text: t("invalidForm") };
        return {
          requestId,
          ...requestActionText(t, format, { ...outcome, request: requestName(requestId) }),
        };
      }
    }
  }
}
