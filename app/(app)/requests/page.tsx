import type { Metadata } from "next";

import { getLocale, getTimeZone, getTranslations } from "next-intl/server";
import { ClientMessages } from "@/components/client-messages";
import { KeysetPagination } from "@/components/keyset-pagination";
import { PageExtentLine } from "@/components/page-extent-line";
import { LiveUpdates } from "@/components/requests/live-updates";
import {
  RequestTable,
  type RequestTableLabels,
  type ShownRequestRow,
} from "@/components/requests/request-table";
import { getDb } from "@/db/client";
import { CONTACT_TYPES, REQUEST_STATES } from "@/db/schema";
import { mediumDateTimeFormat } from "@/lib/i18n/date-time-format";
import {
  cursorParams,
  listRequests,
  parseRequestListQuery,
  REQUEST_FILTERS,
  type RequestCursor,
  type RequestRow,
} from "@/lib/requests/list-requests";
import { readLiveStates } from "@/lib/requests/read-live-states";
import { hrefWith, type SearchParamRecord } from "@/lib/search-params";
import { requireAccount } from "@/lib/session";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("Requests"))("title") };
}

type SearchParams = Promise<SearchParamRecord>;

const person = (p: { customerId: string; name: string }) => `${p.name} (${p.customerId})`;

export default async function RequestsPage({ searchParams }: { searchParams: SearchParams }) {
  const account = await requireAccount();
  const query = parseRequestListQuery(await searchParams);
  const db = getDb();
  const { rows, awaitingFirst, next, previous, extent } = await listRequests(db, account.id, query);
  // The pending rows follow the other parties' answers without a reload.
  const watched = await readLiveStates(db, {
    accountId: account.id,
    ids: rows.filter((row) => row.state === "pending").map((row) => row.id),
  });
  const pageHref = (cursor: RequestCursor | null) =>
    hrefWith("/requests", { status: query.status === "all" ? null : query.status, ...cursorParams(cursor) });
  const t = await getTranslations();
  const columns = ["request", "service", "old", "new", "types", "requestedBy", "date", "state"] as const;
  const raw = (key: string) => t.raw(`Requests.${key}`) as string;
  const labels: RequestTableLabels = {
    columns: columns.map((column) => t(`Requests.columns.${column}`)),
    actions: t("Contacts.actions"),
    states: Object.fromEntries(
      REQUEST_STATES.map((state) => [state, t(`Requests.states.${state}`)]),
    ) as RequestTableLabels["states"],
    answerRow: t("Requests.answerRow"),
    code: t("Requests.code"),
    accept: t("Requests.accept"),
    refuse: t("Requests.refuse"),
    resend: t("Requests.resend"),
    cancel: t("Requests.cancel"),
    // Named per row by filling in {id}, as My contacts fills in its rows' edit links.
    codeFor: raw("codeFor"),
    acceptFor: raw("acceptFor"),
    refuseFor: raw("refuseFor"),
    resendFor: raw("resendFor"),
    cancelFor: raw("cancelFor"),
  };

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

      {/* Always there, empty list or not: it keeps the notice of the last row action. */}
      <RequestTable
        rows={await shownRows(rows)}
        awaitingFirst={awaitingFirst}
        myMark={account.emailUndeliverable}
        labels={labels}
        empty={query.status === "all" && !previous ? t("Requests.empty") : t("Requests.noMatch")}
      />

      <PageExtentLine extent={extent} count={rows.length} />
      <KeysetPagination
        previousHref={previous ? pageHref(previous) : null}
        nextHref={next ? pageHref(next) : null}
        firstHref={previous ? pageHref(null) : null}
      />
    </ClientMessages>
  );

  /**
   * The rows with every word in place: one date format and the few labels made once for the
   * page, no message formatted per row.
   */
  async function shownRows(listed: RequestRow[]): Promise<ShownRequestRow[]> {
    const date = mediumDateTimeFormat(await getLocale(), await getTimeZone());
    const roleNames = Object.fromEntries(CONTACT_TYPES.map((type) => [type, t(`Roles.${type}`)]));
    const title = raw("requestTitle");
    const awaitingBy = raw("awaitingBy");
    const awaitingYou = t("Requests.awaitingYou");
    return listed.map((row) => ({
      id: row.id,
      title: title.replace("{id}", String(row.id)),
      service: row.service.name,
      oldContact: person(row.oldContact),
      newContact: person(row.newContact),
      requestedBy: person(row.requestedBy),
      types: row.contactTypes.map((type) => roleNames[type]).join(", "),
      date: date.format(row.createdAt),
      state: row.state,
      waiting:
        row.state !== "pending"
          ? null
          : row.isAwaitingMe
            ? awaitingYou
            : awaitingBy.replace("{people}", row.waitingFor.map(person).join(", ")),
      undeliverableWaiting: row.undeliverableWaiting.map(person),
      isAwaitingMe: row.isAwaitingMe,
      canResend: row.state === "pending",
      canCancel: row.canCancel,
    }));
  }
}
