import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { ClientMessages } from "@/components/client-messages";
import { getDb } from "@/db/client";
import { CONTACT_TYPES } from "@/db/schema";
import { actorRoles, changeableContactTypes, takeBackOptions } from "@/lib/contact-change";
import { listPendingForService } from "@/lib/requests/list-pending-for-service";
import { getServiceForContact } from "@/lib/services/get-service";
import { requireAccount } from "@/lib/session";
import { EditContactsForm } from "./edit-contacts-form";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("Edit"))("title") };
}

export default async function EditContactsPage({ params }: { params: Promise<{ serviceId: string }> }) {
  const account = await requireAccount();
  const { serviceId } = await params;
  const db = getDb();
  const service = /^\d+$/.test(serviceId)
    ? await getServiceForContact(db, Number(serviceId), account.id)
    : null;
  if (!service) notFound();
  const ids = {
    id: service.id,
    adminId: service.admin.id,
    techId: service.tech.id,
    billingId: service.billing.id,
  };
  const roles = actorRoles(ids, account.id);
  const pending = await listPendingForService(db, service.id);
  const t = await getTranslations();

  return (
    <ClientMessages namespaces={["Edit", "Roles"]}>
      <Link href="/contacts" className="text-sm text-brand-700 underline">
        {t("Edit.back")}
      </Link>
      <h1 className="mt-3 text-2xl font-semibold">{t("Edit.title")}</h1>
      <p className="mt-1 text-slate-700">
        <span className="font-medium">{service.name}</span>{" "}
        <span className="text-slate-500">({t(`ServiceTypes.${service.type}`)})</span>
      </p>
      <p className="mt-1 text-sm text-slate-600">
        {t("Edit.yourRoles", { roles: roles.map((role) => t(`Roles.${role}`)).join(", ") })}
      </p>

      <div className="mt-6 grid gap-6 lg:grid-cols-[minmax(0,36rem)_1fr]">
        <EditContactsForm
          serviceId={service.id}
          contacts={
            Object.fromEntries(
              CONTACT_TYPES.map((type) => [
                type,
                { customerId: service[type].customerId, name: service[type].name },
              ]),
            ) as Record<(typeof CONTACT_TYPES)[number], { customerId: string; name: string }>
          }
          editable={changeableContactTypes(roles)}
          takeBack={takeBackOptions(ids, account.id)}
        />
        <section aria-labelledby="pending-heading" className="space-y-2">
          <h2 id="pending-heading" className="text-lg font-semibold">
            {t("Edit.pendingTitle")}
          </h2>
          {pending.length === 0 ? (
            <p className="text-sm text-slate-600">{t("Edit.noPending")}</p>
          ) : (
            <ul className="space-y-2 text-sm">
              {pending.map((request) => (
                <li key={request.id} className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2">
                  <Link href={`/requests/${request.id}`} className="font-medium text-brand-700 underline">
                    {t("Edit.requestLink", { id: request.id })}
                  </Link>
                  {": "}
                  {t("Edit.pendingLine", {
                    types: request.contactTypes.map((type) => t(`Roles.${type}`)).join(", "),
                    from: request.oldCustomerId,
                    to: request.newCustomerId,
                  })}
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </ClientMessages>
  );
}
