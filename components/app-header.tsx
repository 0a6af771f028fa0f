import { getTranslations } from "next-intl/server";
import { signOutAction } from "@/app/(app)/actions";
import type { Account } from "@/db/schema";
import { LanguageMenu } from "./language-menu";

/**
 * The signed-in pages' header. Server-rendered only: its links are plain anchors rather than
 * next/link, so the shell adds no client component to a page's JavaScript (a full page load of
 * the next page costs the server what a client navigation's payload would); the language switch
 * is a plain form too.
 */
export async function AppHeader({ account }: { account: Pick<Account, "customerId" | "name"> }) {
  const t = await getTranslations();
  const links = [
    { href: "/contacts", label: t("Nav.contacts") },
    { href: "/requests", label: t("Nav.requests") },
    { href: "/profile", label: t("Nav.profile") },
  ];
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3">
        <a href="/contacts" className="font-semibold text-brand-700">
          {t("App.name")}
        </a>
        <nav aria-label={t("Nav.label")} className="flex gap-4 text-sm">
          {links.map((link) => (
            <a key={link.href} href={link.href} className="hover:text-brand-700 hover:underline">
              {link.label}
            </a>
          ))}
        </nav>
        <div className="ml-auto flex items-center gap-3 text-sm">
          <LanguageMenu />
          <span className="text-slate-600">
            <span className="sr-only">{t("Nav.signedInAs")} </span>
            <span className="font-medium text-slate-900">{account.name}</span>{" "}
            <span className="font-mono" data-testid="customer-id">
              {account.customerId}
            </span>
          </span>
          <form action={signOutAction}>
            <button type="submit" className="rounded-md border border-slate-300 px-3 py-1 hover:bg-slate-100">
              {t("Nav.signOut")}
            </button>
          </form>
        </div>
      </div>
    </header>
  );
}
