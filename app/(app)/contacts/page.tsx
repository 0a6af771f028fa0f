import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { Pagination } from "@/components/pagination";
import { getDb } from "@/db/client";
import { CONTACT_TYPES, SERVICE_TYPES } from "@/db/schema";
import { hrefWith, type SearchParamRecord } from "@/lib/search-params";
import {
  type ContactCell,
  listServices,
  PAGE_SIZE,
  parseServiceListQuery,
} from "@/lib/services/list-services";
import { requireAccount } from "@/lib/session";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("Contacts"))("title") };
}

type SearchParams = Promise<SearchParamRecord>;

export default async function ContactsPage({ searchParams }: { searchParams: SearchParams }) {
  const account = await requireAccount();
  const query = parseServiceListQuery(await searchParams);
  const { rows, hasNext } = listServices(getDb(), account.id, query);
  const t = await getTranslations();
  const isFiltered = Boolean(query.search || query.type || query.role);

  const contact = (cell: ContactCell) => (
    <span className="inline-flex items-center gap-1.5">
      <span className="font-mono">{cell.customerId}</span>
      {cell.id === account.id && (
        <span className="rounded bg-brand-100 px-1.5 py-0.5 text-xs font-medium text-brand-900">
          {t("Contacts.you")}
        </span>
      )}
    </span>
  );

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
            <Link href="/contacts" className="py-1.5 text-sm text-brand-700 underline">
              {t("Contacts.clear")}
            </Link>
          )}
        </form>
      </search>

      {rows.length === 0 ? (
        <p className="mt-8 rounded-md border border-dashed border-slate-300 bg-white p-6 text-center text-slate-600">
          {isFiltered || query.page > 1 ? t("Contacts.noMatch") : t("Contacts.empty")}
        </p>
      ) : (
        <div className="mt-5 overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
          <table className="min-w-full divide-y divide-slate-200 text-sm">
            <caption className="sr-only">
              {t("Contacts.range", {
                from: (query.page - 1) * PAGE_SIZE + 1,
                to: (query.page - 1) * PAGE_SIZE + rows.length,
              })}
            </caption>
            <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
              <tr>
                <th scope="col" className="px-4 py-2">
                  {t("Contacts.serviceName")}
                </th>
                <th scope="col" className="px-4 py-2">
                  {t("Contacts.service")}
                </th>
                <th scope="col" className="px-4 py-2">
                  {t("Contacts.adminContact")}
                </th>
                <th scope="col" className="px-4 py-2">
                  {t("Contacts.techContact")}
                </th>
                <th scope="col" className="px-4 py-2">
                  {t("Contacts.billingContact")}
                </th>
                <th scope="col" className="px-4 py-2">
                  <span className="sr-only">{t("Contacts.actions")}</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.map((row) => (
                <tr key={row.id} className="hover:bg-slate-50">
                  <th scope="row" className="px-4 py-2 text-left font-medium">
                    {row.name}
                  </th>
                  <td className="px-4 py-2">{t(`ServiceTypes.${row.type}`)}</td>
                  <td className="px-4 py-2">{contact(row.admin)}</td>
                  <td className="px-4 py-2">{contact(row.tech)}</td>
                  <td className="px-4 py-2">{contact(row.billing)}</td>
                  <td className="px-4 py-2 text-right">
                    <Link
                      href={`/contacts/${row.id}`}
                      prefetch={false}
                      aria-label={t("Contacts.edit", { service: row.name })}
                      title={t("Contacts.edit", { service: row.name })}
                      className="inline-flex rounded p-1 text-slate-500 hover:bg-brand-50 hover:text-brand-700"
                    >
                      <svg aria-hidden="true" viewBox="0 0 20 20" fill="currentColor" className="size-4">
                        <path d="M13.6 2.6a2 2 0 0 1 2.8 2.8l-9 9-3.7.9.9-3.7 9-9Z" />
                      </svg>
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <Pagination
        page={query.page}
        hasNext={hasNext}
        href={(page) => hrefWith("/contacts", { q: query.search, type: query.type, role: query.role, page })}
      />
    </>
  );
}
