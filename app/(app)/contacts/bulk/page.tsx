import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { ClientMessages } from "@/components/client-messages";
import { getDb } from "@/db/client";
import { countBatchSelection } from "@/lib/requests/batches/register-batch";
import { type BatchSelection, MAX_BATCH_SERVICES } from "@/lib/requests/batches/vocabulary";
import type { SearchParamRecord } from "@/lib/search-params";
import { listSelectedServices, MAX_NAMED_SERVICES } from "@/lib/services/list-selected-services";
import { requireAccount } from "@/lib/session";
import { BulkChangeForm } from "./bulk-change-form";
import { readBulkSelection, selectionHiddenFields } from "./read-bulk-selection";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("Bulk"))("title") };
}

type SearchParams = Promise<SearchParamRecord>;

/**
 * A bulk hand-over (SPEC.md "Bulk change and live state"): what My contacts' form selected, and
 * the new contacts to give all of it. Opening it only reads; "Confirm" registers the batch.
 */
export default async function BulkChangePage({ searchParams }: { searchParams: SearchParams }) {
  const account = await requireAccount();
  const selection = readBulkSelection(await searchParams);
  const db = getDb();
  const count = selection ? await countBatchSelection(db, { actorId: account.id, selection }) : 0;
  const named =
    selection?.kind === "services" && count <= MAX_NAMED_SERVICES
      ? await listSelectedServices(db, { accountId: account.id, serviceIds: selection.serviceIds })
      : [];
  const t = await getTranslations();

  return (
    <ClientMessages namespaces={["Bulk", "Edit", "ServiceTypes"]}>
      <Link href="/contacts" className="text-sm text-brand-700 underline">
        {t("Edit.back")}
      </Link>
      <h1 className="mt-3 text-2xl font-semibold">{t("Bulk.title")}</h1>
      {!selection || count === 0 ? (
        <p className="mt-4 max-w-3xl rounded-md border border-dashed border-slate-300 bg-white p-6 text-slate-700">
          {t("Bulk.nothingSelected")}{" "}
          <Link href="/contacts" className="text-brand-700 underline">
            {t("Bulk.backToSelect")}
          </Link>
        </p>
      ) : count > MAX_BATCH_SERVICES ? (
        <p
          role="alert"
          className="mt-4 max-w-3xl rounded-md border border-red-200 bg-red-50 p-4 text-red-800"
        >
          {t("Bulk.errors.too_many", { limit: MAX_BATCH_SERVICES })}
        </p>
      ) : (
        <>
          <SelectionSummary selection={selection} count={count} named={named} />
          <div className="mt-6 max-w-3xl">
            <BulkChangeForm selection={selectionHiddenFields(selection)} />
          </div>
        </>
      )}
    </ClientMessages>
  );
}

async function SelectionSummary({
  selection,
  count,
  named,
}: {
  selection: BatchSelection;
  count: number;
  named: { id: number; name: string; type: string }[];
}) {
  const t = await getTranslations();
  if (selection.kind === "filter") {
    const filters = [
      selection.search && t("Bulk.filterSearch", { search: selection.search }),
      selection.type && t("Bulk.filterType", { type: t(`ServiceTypes.${selection.type}`) }),
      selection.role && t("Bulk.filterRole", { role: t(`Roles.${selection.role}`) }),
    ].filter(Boolean);
    return (
      <p className="mt-2 max-w-3xl text-slate-700">
        {filters.length > 0
          ? t("Bulk.selectedMatching", { count, filters: filters.join(", ") })
          : t("Bulk.selectedAll", { count })}
      </p>
    );
  }
  return (
    <div className="mt-2 max-w-3xl text-slate-700">
      <p>{t("Bulk.selectedTicked", { count })}</p>
      {named.length > 0 && (
        <ul className="mt-2 list-disc pl-5 text-sm">
          {named.map((service) => (
            <li key={service.id}>
              <span className="font-medium">{service.name}</span> ({t(`ServiceTypes.${service.type}`)})
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
