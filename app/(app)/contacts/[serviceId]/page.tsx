import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { CONTACT_TYPES } from "@/db/schema";
import { getServiceForContact } from "@/lib/services/get-service";
import { requireAccount } from "@/lib/session";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("Edit"))("title") };
}

const FIELD_LABEL = { admin: "adminContact", tech: "techContact", billing: "billingContact" } as const;

export default async function EditContactsPage({ params }: { params: Promise<{ serviceId: string }> }) {
  const account = await requireAccount();
  const { serviceId } = await params;
  const service = /^\d+$/.test(serviceId)
    ? getServiceForContact(getDb(), Number(serviceId), account.id)
    : null;
  if (!service) notFound();
  const t = await getTranslations();

  return (
    <>
      <Link href="/contacts" className="text-sm text-brand-700 underline">
        {t("Edit.back")}
      </Link>
      <h1 className="mt-3 text-2xl font-semibold">{t("Edit.title")}</h1>
      <p className="mt-1 text-slate-700">
        <span className="font-medium">{service.name}</span>{" "}
        <span className="text-slate-500">({t(`ServiceTypes.${service.type}`)})</span>
      </p>
      <div className="mt-6 max-w-xl space-y-4 rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
        {CONTACT_TYPES.map((type) => (
          <div key={type} className="space-y-1">
            <label htmlFor={`contact-${type}`} className="block text-sm font-medium">
              {t(`Edit.${FIELD_LABEL[type]}`)}
            </label>
            <input
              id={`contact-${type}`}
              readOnly
              defaultValue={service[type].customerId}
              className="block w-full rounded-md border border-slate-200 bg-slate-50 px-3 py-2 font-mono"
            />
          </div>
        ))}
      </div>
    </>
  );
}
