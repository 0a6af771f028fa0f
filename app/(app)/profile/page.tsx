import type { Metadata } from "next";
import { getFormatter, getTranslations } from "next-intl/server";
import { ClientMessages } from "@/components/client-messages";
import { getDb } from "@/db/client";
import { LANGUAGES } from "@/db/schema";
import { getPendingEmailChange } from "@/lib/profile";
import { requireAccount } from "@/lib/session";
import { cancelEmailChangeAction } from "./actions";
import { ApiAccessSection } from "./api-access/api-access-section";
import { ProfileForm } from "./profile-form";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("Profile"))("title") };
}

type SearchParams = Promise<{ emailConfirmed?: string | string[] }>;

export default async function ProfilePage({ searchParams }: { searchParams: SearchParams }) {
  const account = await requireAccount();
  const pending = await getPendingEmailChange(getDb(), account.id, new Date());
  const { emailConfirmed } = await searchParams;
  const t = await getTranslations("Profile");
  const tUndeliverable = await getTranslations("Undeliverable");
  const format = await getFormatter();

  return (
    <ClientMessages namespaces={["Profile", "ApiAccess"]}>
      <h1 className="text-2xl font-semibold">{t("title")}</h1>
      <p className="mt-1 max-w-3xl text-slate-700">{t("intro")}</p>
      <p className="mt-1 text-sm text-slate-600">
        {t("customerId")}: <span className="font-mono">{account.customerId}</span>
      </p>

      <div className="mt-6 grid gap-6 lg:grid-cols-[minmax(0,36rem)_1fr]">
        <ProfileForm
          account={{ name: account.name, email: account.email, language: account.language }}
          languages={LANGUAGES}
          confirmedEmail={emailConfirmed === undefined ? null : account.email}
          undeliverableNotice={
            account.emailUndeliverable ? tUndeliverable(`profile.${account.emailUndeliverable}`) : null
          }
        />
        {pending && (
          <section
            aria-labelledby="pending-email-heading"
            className="h-fit space-y-2 rounded-lg border border-amber-200 bg-amber-50 p-4 text-sm text-amber-950"
          >
            <h2 id="pending-email-heading" className="text-lg font-semibold">
              {t("pending.title")}
            </h2>
            <p>{t("pending.body", { email: pending.newEmail, current: account.email })}</p>
            {pending.isLocked ? (
              <p className="font-medium text-red-800">{t("pending.locked")}</p>
            ) : (
              <>
                <p>
                  {t("pending.expires", {
                    expiresAt: format.dateTime(pending.expiresAt, {
                      dateStyle: "medium",
                      timeStyle: "short",
                    }),
                  })}
                </p>
                <p className="text-amber-900">{t("pending.resendHint")}</p>
              </>
            )}
            <form action={cancelEmailChangeAction}>
              <button
                type="submit"
                className="rounded-md border border-amber-700 bg-white px-3 py-2 text-amber-900 hover:bg-amber-100"
              >
                {t("pending.cancel")}
              </button>
            </form>
          </section>
        )}
      </div>
      <ApiAccessSection accountId={account.id} />
    </ClientMessages>
  );
}
