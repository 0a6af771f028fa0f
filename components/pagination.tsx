import Link from "next/link";
import { getTranslations } from "next-intl/server";

/** "Previous page" / "Next page" links, rendered only when there is somewhere to go. */
export async function Pagination({
  page,
  hasNext,
  href,
}: {
  page: number;
  hasNext: boolean;
  /** The address of a page number. */
  href: (page: number) => string;
}) {
  if (page <= 1 && !hasNext) return null;
  const t = await getTranslations("Contacts");
  return (
    <nav aria-label={t("pagination")} className="mt-4 flex items-center gap-4 text-sm">
      {page > 1 && (
        <Link href={href(page - 1)} rel="prev" className="text-brand-700 underline">
          {t("previous")}
        </Link>
      )}
      <span className="text-slate-600">{t("page", { page })}</span>
      {hasNext && (
        <Link href={href(page + 1)} rel="next" className="text-brand-700 underline">
          {t("next")}
        </Link>
      )}
    </nav>
  );
}
