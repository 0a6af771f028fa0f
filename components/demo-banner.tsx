import Link from "next/link";
import { getTranslations } from "next-intl/server";

/**
 * Every page in demo mode says so (SPEC.md "Deployment modes and trust"): e-mails stay in the
 * development mailbox, which shows everyone's codes, and the app serves this machine only.
 */
export async function DemoBanner() {
  const t = await getTranslations("Demo");
  return (
    <aside aria-label={t("label")} className="bg-amber-100 px-4 py-2 text-center text-sm text-amber-950">
      <strong>{t("title")}</strong> {t("body")}{" "}
      <Link href="/dev/mailbox" prefetch={false} className="font-medium underline">
        {t("mailbox")}
      </Link>
    </aside>
  );
}
