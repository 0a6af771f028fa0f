import type { Metadata } from "next";
import { cookies } from "next/headers";
import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { ClientMessages } from "@/components/client-messages";
import { getDb } from "@/db/client";
import { CODE_COOKIE, codeForPath } from "@/lib/code-cookie";
import { previewEmailChange } from "@/lib/profile";
import { requireAccount } from "@/lib/session";
import { ConfirmEmailForm } from "./confirm-email-form";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("ConfirmEmail"))("title") };
}

// Opening this page only reads (mail scanners open e-mailed links): the button posts the decision.
// The e-mailed link's code arrives in a cookie (proxy.ts took it out of the URL).
export default async function ConfirmEmailPage() {
  const account = await requireAccount();
  const tokenValue = codeForPath((await cookies()).get(CODE_COOKIE)?.value, "/profile/confirm-email") ?? "";
  const preview = await previewEmailChange(getDb(), {
    accountId: account.id,
    token: tokenValue,
    now: new Date(),
  });
  const t = await getTranslations("ConfirmEmail");
  const format = await getFormatter();

  if (!preview.ok) {
    return (
      <div className="max-w-2xl space-y-4">
        <h1 className="text-2xl font-semibold">{t("invalidTitle")}</h1>
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          {t(`errors.${preview.reason}`)}
        </p>
        <Link href="/profile" className="text-sm text-brand-700 underline">
          {t("back")}
        </Link>
      </div>
    );
  }
  return (
    <div className="max-w-2xl space-y-4">
      <h1 className="text-2xl font-semibold">{t("title")}</h1>
      <p className="text-slate-700">{t("intro", { customerId: account.customerId })}</p>
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 rounded-lg border border-slate-200 bg-white p-4">
        <dt className="text-slate-600">{t("current")}</dt>
        <dd className="font-mono" data-testid="current-email">
          {preview.currentEmail}
        </dd>
        <dt className="text-slate-600">{t("new")}</dt>
        <dd className="font-mono font-medium" data-testid="new-email">
          {preview.newEmail}
        </dd>
      </dl>
      <p className="text-sm text-slate-600">
        {t("expires", {
          expiresAt: format.dateTime(preview.expiresAt, { dateStyle: "medium", timeStyle: "short" }),
        })}
      </p>
      <ClientMessages namespaces={["ConfirmEmail"]}>
        <ConfirmEmailForm token={tokenValue} />
      </ClientMessages>
    </div>
  );
}
