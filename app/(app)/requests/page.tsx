import type { Metadata } from "next";
import { getFormatter, getTranslations } from "next-intl/server";
import { ClientMessages } from "@/components/client-messages";
import { KeysetPagination } from "@/components/keyset-pagination";
import { LiveUpdates } from "@/components/requests/live-updates";
import { RequestRows } from "@/components/requests/request-rows";
import { getDb } from "@/db/client";
import {
  cursorParams,
  listRequests,
  parseRequestListQuery,
  REQUEST_FILTERS,
  type RequestCursor,
} from "@/lib/requests/list-requests";
import { readLiveStates } from "@/lib/requests/read-live-states";
import { hrefWith, type SearchParamRecord } from "@/lib/search-params";
import { requireAccount } from "@/lib/session";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("Requests"))("title") };
}

type SearchParams = Promise<SearchParamRecord>;

export default async function RequestsPage({ searchParams }: { searchParams: SearchParams }) {
  const account = await requireAccount();
  const query = parseRequestListQuery(await searchParams);
  const db = getDb();
  const { rows, awaitingFirst, next, previous } = await listRequests(db, account.id, query);
  // The pending rows follow the other parties' answers without a reload.
  const watched = await readLiveStates(db, {
    accountId: account.id,
    ids: rows.filter((row) => row.state === "pending").map((row) => row.id),
  });
  const pageHref = (cursor: RequestCursor | null) =>
    hrefWith("/requests", { status: query.status === "all" ? null : query.status, ...cursorParams(cursor) });
  const t = await getTranslations();
  const format = await getFormatter();
  const columns = ["request", "service", "old", "new", "types", "requestedBy", "date", "state"] as const;

  return (
    <ClientMessages namespaces={["Requests", "Undeliverable"]}>
      <h1 className="text-2xl font-semibold">{t("Requests.title")}</h1>
      <LiveUpdates watched={watched} />
      <p className="mt-1 text-sm text-slate-600">{t("Requests.intro")}</p>
      <form method="get" action="/requests" className="mt-5 flex flex-wrap items-end gap-3">
        <div className="flex flex-col gap-1">
          <label htmlFor="status" className="text-sm font-medium">
            {t("Requests.filter")}
          </label>
          <select
            id="status"
            name="status"
            defaultValue={query.status}
            className="rounded-md border border-slate-300 px-2 py-1.5"
          >
            {REQUEST_FILTERS.map((filter) => (
              <option key={filter} value={filter}>
                {t(`Requests.filters.${filter}`)}
              </option>
            ))}
          </select>
        </div>
        <button
          type="submit"
          className="rounded-md bg-brand-600 px-4 py-1.5 font-medium text-white hover:bg-brand-700"
        >
          {t("Requests.show")}
        </button>
      </form>

      {rows.length === 0 ? (
        <p className="mt-8 rounded-md border border-dashed border-slate-300 bg-white p-6 text-center text-slate-600">
          {query.status === "all" && !previous ? t("Requests.empty") : t("Requests.noMatch")}
        </p>
      ) : (
        <div className="relative mt-5 overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
          {/* Styled from globals.css (.request-table), like My contacts' table: a row's bytes are
              paid in the HTML and again in the React payload. */}
          <table className="request-table">
            <thead>
              <tr>
                {columns.map((column) => (
                  <th key={column} scope="col">
                    {t(`Requests.columns.${column}`)}
                  </th>
                ))}
                <th scope="col">
                  <span className="sr-only">{t("Contacts.actions")}</span>
                </th>
              </tr>
            </thead>
            <RequestRows
              awaitingFirst={awaitingFirst}
              myMark={account.emailUndeliverable}
              rows={rows.map(({ createdAt, contactTypes, service, ...row }) => ({
                ...row,
                serviceName: service.name,
                types: contactTypes.map((type) => t(`Roles.${type}`)).join(", "),
                date: format.dateTime(createdAt, { dateStyle: "medium", timeStyle: "short" }),
              }))}
            />
          </table>
        </div>
      )}

      <KeysetPagination
        previousHref={previous ? pageHref(previous) : null}
        nextHref={next ? pageHref(next) : null}
        firstHref={previous ? pageHref(null) : null}
      />
    </ClientMessages>
  );
}
