import { getTranslations } from "next-intl/server";

/**
 * Every page in demo mode says so (SPEC.md "Deployment modes and trust"): e-mails stay in the
 * development mailbox, which shows everyone's codes, and the app serves this machine only.
 * A plain anchor, not next/link: the root layout puts no client component on every page.
 */
export async function DemoBanner() {
  const t = await getTranslations("Demo");
  return (
    <aside aria-label={t("label")} className="bg-amber-100 px-4 py-2 text-center text-sm text-amber-950">
      <strong>{t("title")}</strong> {t("body")}{" "}
      <a href="/dev/mailbox" className="font-medium underline">
        {t("mailbox")}
      </a>
    </aside>
  );
}
