import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { KeysetPagination } from "@/components/keyset-pagination";
import { PageExtentLine } from "@/components/page-extent-line";
import { ServiceRows } from "@/components/service-rows";
import { getDb } from "@/db/client";
import { CONTACT_TYPES, SERVICE_TYPES, type ServiceType } from "@/db/schema";
import { hrefWith, type SearchParamRecord } from "@/lib/search-params";
import {
  cursorParams,
  listServices,
  parseServiceListQuery,
  type ServiceCursor,
} from "@/lib/services/list-services";
import { shownServiceRows } from "@/lib/services/shown-service-rows";
import { requireAccount } from "@/lib/session";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("Contacts"))("title") };
}

type SearchParams = Promise<SearchParamRecord>;

export default async function ContactsPage({ searchParams }: { searchParams: SearchParams }) {
  const account = await requireAccount();
  const query = parseServiceListQuery(await searchParams);
  const { rows, next, previous, extent } = await listServices(getDb(), account.id, query);
  const filters = { q: query.search, type: query.type, role: query.role };
  const pageHref = (cursor: ServiceCursor | null) =>
    hrefWith("/contacts", { ...filters, ...cursorParams(cursor) });
  const t = await getTranslations();
  const isFiltered = Boolean(query.search || query.type || query.role);

  const typeNames = Object.fromEntries(
    SERVICE_TYPES.map((type) => [type, t(`ServiceTypes.${type}`)]),
  ) as Record<ServiceType, string>;

  return (
    <>
      <h1 className="text-2xl font-semibold">{t("Contacts.title")}</h1>
      <p className="mt-1 text-sm text-slate-600">{t("Contacts.intro")}</p>

      <search>
        <form method="get" action="/contacts" className="mt-5 flex flex-wrap items-end gap-3">
          <div className="flex flex-col gap-1">
            <label htmlFor="q" className="text-sm font-medium">
              {t("Contacts.search")}
            </label>
            <input
              id="q"
              name="q"
              type="search"
              defaultValue={query.search}
              placeholder={t("Contacts.searchPlaceholder")}
              className="w-64 rounded-md border border-slate-300 px-3 py-1.5"
            />
          </div>
          <div className="flex flex-col gap-1">
            <label htmlFor="type" className="text-sm font-medium">
              {t("Contacts.type")}
            </label>
            <select
              id="type"
              name="type"
              defaultValue={query.type ?? ""}
              className="rounded-md border border-slate-300 px-2 py-1.5"
            >
              <option value="">{t("Contacts.anyType")}</option>
              {SERVICE_TYPES.map((type) => (
                <option key={type} value={type}>
                  {t(`ServiceTypes.${type}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="flex flex-col gap-1">
            <label htmlFor="role" className="text-sm font-medium">
              {t("Contacts.role")}
            </label>
            <select
              id="role"
              name="role"
              defaultValue={query.role ?? ""}
              className="rounded-md border border-slate-300 px-2 py-1.5"
            >
              <option value="">{t("Contacts.anyRole")}</option>
              {CONTACT_TYPES.map((role) => (
                <option key={role} value={role}>
                  {t(`Roles.${role}`)}
                </option>
              ))}
            </select>
          </div>
          <button
            type="submit"
            className="rounded-md bg-brand-600 px-4 py-1.5 font-medium text-white hover:bg-brand-700"
          >
            {t("Contacts.apply")}
          </button>
          {isFiltered && (
            <a href="/contacts" className="py-1.5 text-sm text-brand-700 underline">
              {t("Contacts.clear")}
            </a>
          )}
        </form>
      </search>

      {rows.length === 0 ? (
        <p className="mt-8 rounded-md border border-dashed border-slate-300 bg-white p-6 text-center text-slate-600">
          {isFiltered || query.cursor ? t("Contacts.noMatch") : t("Contacts.empty")}
        </p>
      ) : (
        // A plain GET form: ticking rows needs no script, and /contacts/bulk reads the selection
        // from its address. The search form above stays apart (forms do not nest).
        <form method="get" action="/contacts/bulk" className="mt-5">
          <div className="flex flex-wrap items-center gap-4 text-sm">
            <label className="flex items-center gap-2">
              <input type="checkbox" name="all" value="1" />
              {t("Contacts.selectAll")}
            </label>
            {Object.entries(filters).map(([name, value]) =>
              value ? <input key={name} type="hidden" name={name} value={value} /> : null,
            )}
            <button
              type="submit"
              className="rounded-md border border-brand-600 px-3 py-1.5 font-medium text-brand-700 hover:bg-brand-50"
            >
              {t("Contacts.changeSelected")}
            </button>
          </div>
          <div className="relative mt-3 overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
            {/* Styled from globals.css (.service-table) rather than per cell: with thousands of
              requests a second, every byte a row repeats is paid in the HTML and again in the
              React payload. */}
            <table className="service-table">
              <caption className="sr-only">
                {t("Contacts.range", { first: rows[0]?.name ?? "", last: rows.at(-1)?.name ?? "" })}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{t("Contacts.serviceName")}</th>
                  <th scope="col">{t("Contacts.service")}</th>
                  <th scope="col">{t("Contacts.adminContact")}</th>
                  <th scope="col">{t("Contacts.techContact")}</th>
                  <th scope="col">{t("Contacts.billingContact")}</th>
                  <th scope="col">
                    <span className="sr-only">{t("Contacts.actions")}</span>
                  </th>
                </tr>
              </thead>
              <ServiceRows
                {...shownServiceRows(rows)}
                accountId={account.id}
                you={t("Contacts.you")}
                typeNames={typeNames}
                editLabel={t.raw("Contacts.edit") as string}
                selectLabel={t.raw("Contacts.select") as string}
              />
            </table>
          </div>
        </form>
      )}

      <PageExtentLine extent={extent} count={rows.length} />
      <KeysetPagination
        previousHref={previous ? pageHref(previous) : null}
        nextHref={next ? pageHref(next) : null}
        firstHref={previous ? pageHref(null) : null}
      />
    </>
  );
}
