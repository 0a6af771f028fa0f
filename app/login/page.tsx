import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { ClientMessages } from "@/components/client-messages";
import { LanguageMenu } from "@/components/language-menu";
import { safeCallbackPath } from "@/lib/safe-redirect";
import { getCurrentAccount } from "@/lib/session";
import { LoginForm } from "./login-form";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("Login"))("title") };
}

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<{ callbackUrl?: string }>;
}) {
  const callbackUrl = safeCallbackPath((await searchParams).callbackUrl);
  if (await getCurrentAccount()) redirect(callbackUrl);
  const t = await getTranslations();
  return (
    <main className="mx-auto flex min-h-screen max-w-sm flex-col justify-center px-4">
      <div className="mb-2 flex items-center justify-between gap-3">
        <p className="text-sm font-semibold uppercase tracking-wide text-brand-700">{t("App.name")}</p>
        <div className="text-sm">
          <LanguageMenu />
        </div>
      </div>
      <h1 className="text-2xl font-semibold">{t("Login.title")}</h1>
      <p className="mb-6 mt-1 text-sm text-slate-600">{t("Login.intro")}</p>
      <div className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
        <ClientMessages namespaces={["Login"]}>
          <LoginForm callbackUrl={callbackUrl} />
        </ClientMessages>
      </div>
    </main>
  );
}
