"use client";

import { useTranslations } from "next-intl";
import type { EmailUndeliverableKind } from "@/lib/provider/vocabulary";
import type { Person } from "@/lib/requests/get-request-detail";
import type { RequestRow } from "@/lib/requests/list-requests";
import { AnswerForm } from "./answer-form";
import { RequestActionButtons } from "./request-action-buttons";
import { StateBadge } from "./state-badge";
import { UndeliverableNotice } from "./undeliverable-notice";

/** A row of My requests as the table shows it: dates and contact types already in words. */
export type ShownRequestRow = Omit<RequestRow, "createdAt" | "contactTypes" | "service"> & {
  serviceName: string;
  types: string;
  date: string;
};

const nameAndId = (person: Person) => `${person.name} (${person.customerId})`;

/** A person as the request page names them: "Name (customer-id)", the ID in monospace. */
function PersonCell({ person }: { person: Person }) {
  return (
    <>
      {person.name} <code>({person.customerId})</code>
    </>
  );
}

/**
 * The body of the My requests table. A client component for the reason My contacts' rows are
 * one (components/service-rows.tsx): the React payload carries the rows once, as data, instead
 * of a second copy of every row's elements. The row's forms are client components anyway.
 */
export function RequestRows({
  rows,
  awaitingFirst,
  myMark,
}: {
  rows: ShownRequestRow[];
  awaitingFirst: number;
  /** Why e-mails to the viewer's own address do not arrive, if they do not. */
  myMark: EmailUndeliverableKind | null;
}) {
  const t = useTranslations("Requests");
  return (
    <tbody>
      {rows.map((row, index) => (
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
            <a href={`/requests/${row.id}`}>{t("requestTitle", { id: row.id })}</a>
          </th>
          <td>{row.serviceName}</td>
          <td>
            <PersonCell person={row.oldContact} />
          </td>
          <td>
            <PersonCell person={row.newContact} />
          </td>
          <td>{row.types}</td>
          <td>
            <PersonCell person={row.requestedBy} />
          </td>
          <td className="nowrap">{row.date}</td>
          <td>
            <StateBadge state={row.state} />
            {row.state === "pending" && (
              <p className="waiting">
                {row.isAwaitingMe
                  ? t("awaitingYou")
                  : t("awaitingBy", { people: row.waitingFor.map(nameAndId).join(", ") })}
              </p>
            )}
            {row.state === "pending" && (
              <UndeliverableNotice
                myMark={row.isAwaitingMe ? myMark : null}
                others={row.undeliverableWaiting.map(nameAndId)}
                className="undeliverable"
              />
            )}
          </td>
          <td>
            {/* Always mounted for the row, so an answer's outcome stays visible after the refresh. */}
            <div className="actions">
              {row.isConfirmer && <AnswerForm requestId={row.id} compact canAnswer={row.isAwaitingMe} />}
              <RequestActionButtons
                requestId={row.id}
                canResend={row.state === "pending"}
                canCancel={row.canCancel}
                compact
              />
            </div>
          </td>
        </tr>
      ))}
    </tbody>
  );
}
