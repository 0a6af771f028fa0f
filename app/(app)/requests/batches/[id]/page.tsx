import type { Metadata } from "next";
import { cookies } from "next/headers";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getFormatter, getTranslations } from "next-intl/server";
import { ClientMessages } from "@/components/client-messages";
import { KeysetPagination } from "@/components/keyset-pagination";
import { LiveUpdates } from "@/components/requests/live-updates";
import { StateBadge } from "@/components/requests/state-badge";
import { getDb } from "@/db/client";
import { isRowId } from "@/db/row-id";
import { REQUEST_STATES } from "@/db/schema";
import { CODE_COOKIE, codeForPath } from "@/lib/code-cookie";
import { isBatchCodeForAnother } from "@/lib/requests/batches/batch-codes";
import { getBatch } from "@/lib/requests/batches/get-batch";
import type { BatchRequestRow, Person } from "@/lib/requests/batches/vocabulary";
import { readLiveStates } from "@/lib/requests/read-live-states";
import { firstParam, hrefWith, type SearchParamRecord } from "@/lib/search-params";
import { requireAccount } from "@/lib/session";
import { LinkForAnotherNotice } from "../../_components/link-for-another-notice";
import { BatchAnswerForm, RowAnswerButtons } from "./batch-answer-form";

type Params = Promise<{ id: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const t = await getTranslations("Batch");
  return { title: t("title", { id: (await params).id }) };
}

/** A row id from the URL, or null for anything else. */
function rowIdParam(value: string): number | null {
  return /^\d{1,15}$/.test(value) && isRowId(Number(value)) ? Number(value) : null;
}

// Opening this page, with or without a code, only reads: mail scanners open e-mailed links.
// The e-mailed link's code arrives in a cookie (proxy.ts took it out of the URL).
export default async function BatchPage({
  params,
  searchParams,
}: {
  params: Params;
  searchParams: Promise<SearchParamRecord>;
}) {
  const account = await requireAccount();
  const { id } = await params;
  const batchId = rowIdParam(id);
  if (batchId === null) notFound();
  const after = rowIdParam(firstParam(await searchParams, "after"));
  const db = getDb();
  const batch = await getBatch(db, { batchId, viewerId: account.id, after });
  if (!batch) notFound();
  const previous = batch.hasPrevious ? { after: batch.previousAfter } : null;
  // The pending rows shown follow the other parties' answers without a reload.
  const watched = await readLiveStates(db, {
    accountId: account.id,
    ids: batch.rows.filter((row) => row.state === "pending").map((row) => row.id),
  });
  const linkCode = codeForPath((await cookies()).get(CODE_COOKIE)?.value, `/requests/batches/${id}`);
  // A link meant for another confirmer of the batch: say so, and never prefill its code here,
  // where it could only count as a wrong code.
  const isLinkForAnother =
    linkCode !== undefined &&
    batch.counts.pending > 0 &&
    (await isBatchCodeForAnother(db.read, { batchId, viewerId: account.id, code: linkCode }));
  const code = isLinkForAnother ? undefined : linkCode;
  const t = await getTranslations();
  const format = await getFormatter();
  const dateTime = (date: Date) => format.dateTime(date, { dateStyle: "medium", timeStyle: "short" });
  const person = (p: Person) => `${p.name} (${p.customerId})`;
  const canAnswer = batch.awaitingViewer > 0 && !batch.isCodeLocked;
  const contactCell = (p: Person) => (
    <>
      {p.name} <code className="text-slate-600">{p.customerId}</code>
    </>
  );
  const waitingText = (row: BatchRequestRow) => {
    const others = row.waitingFor.filter((p) => p.customerId !== account.customerId).map(person);
    if (!row.awaitsViewer) return t("Requests.awaitingBy", { people: others.join(", ") });
    return others.length > 0
      ? t("Requests.awaitingYouAndOthers", { people: others.join(", ") })
      : t("Requests.awaitingYou");
  };
  const pageHref = (start: number | null) => hrefWith(`/requests/batches/${batch.id}`, { after: start });

  const table = (
    <div className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
      <table className="request-table">
        <caption className="sr-only">{t("Batch.tableCaption", { id: batch.id })}</caption>
        <thead>
          <tr>
            {(["request", "service", "types", "old", "new", "state"] as const).map((column) => (
              <th key={column} scope="col">
                {t(`Requests.columns.${column}`)}
              </th>
            ))}
            {canAnswer && (
              <th scope="col">
                <span className="sr-only">{t("Contacts.actions")}</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {batch.rows.map((row: BatchRequestRow) => (
            <tr key={row.id} className={row.awaitsViewer ? "awaiting" : undefined}>
              <th scope="row">
                <Link href={`/requests/${row.id}`}>{t("Requests.requestTitle", { id: row.id })}</Link>
              </th>
              <td>
                {row.serviceName}{" "}
                <span className="text-slate-500">({t(`ServiceTypes.${row.serviceType}`)})</span>
              </td>
              <td>{row.contactTypes.map((type) => t(`Roles.${type}`)).join(", ")}</td>
              <td>{contactCell(row.oldContact)}</td>
              <td>{contactCell(row.newContact)}</td>
              <td>
                <StateBadge state={row.state} />
                {row.state === "pending" && <p className="waiting">{waitingText(row)}</p>}
              </td>
              {canAnswer && <td>{row.awaitsViewer && <RowAnswerButtons requestId={row.id} />}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );

  return (
    <ClientMessages namespaces={["Batch", "Requests"]}>
      <Link href="/requests" className="text-sm text-brand-700 underline">
        {t("Requests.back")}
      </Link>
      <h1 className="mt-3 text-2xl font-semibold">{t("Batch.title", { id: batch.id })}</h1>
      <LiveUpdates watched={watched} />
      {isLinkForAnother && (
        <LinkForAnotherNotice
          message={t("Batch.linkForAnother", { you: person(account) })}
          switchLabel={t("Requests.switchAccount")}
          back={{ batchId: batch.id }}
        />
      )}
      <p className="mt-2 max-w-3xl text-slate-700">
        {t("Batch.summary", {
          requester: person(batch.requestedBy),
          date: dateTime(batch.createdAt),
          count: batch.total,
        })}{" "}
        {batch.counts.pending > 0 && t("Batch.expires", { date: dateTime(batch.expiresAt) })}
      </p>
      <ul aria-label={t("Batch.countsLabel")} className="mt-3 flex flex-wrap gap-2 text-sm">
        {REQUEST_STATES.filter((state) => batch.counts[state] > 0).map((state) => (
          <li key={state} className="flex items-center gap-1.5">
            <StateBadge state={state} />
            <span className="font-medium">{batch.counts[state]}</span>
          </li>
        ))}
      </ul>

      <BatchAnswerForm
        batchId={batch.id}
        initialCode={code}
        awaiting={batch.awaitingViewer}
        isLocked={batch.isCodeLocked}
      >
        {table}
      </BatchAnswerForm>

      <KeysetPagination
        previousHref={previous ? pageHref(previous.after) : null}
        nextHref={batch.nextAfter !== null ? pageHref(batch.nextAfter) : null}
        firstHref={previous?.after ? pageHref(null) : null}
      />
    </ClientMessages>
  );
}
