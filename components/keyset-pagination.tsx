import { getTranslations } from "next-intl/server";

/**
 * "Previous page" / "Next page" links for a list paged by position (keyset), rendered only when
 * there is somewhere to go, with a way back to the start once past it. Plain anchors, not
 * next/link, like the rest of My contacts: the page ships no client router links.
 */
export async function KeysetPagination({
  previousHref,
  nextHref,
  firstHref,
}: {
  previousHref: string | null;
  nextHref: string | null;
  /** The list's first page; shown when the previous page is not it. */
  firstHref: string | null;
}) {
  if (!previousHref && !nextHref) return null;
  const t = await getTranslations("Contacts");
  return (
    <nav aria-label={t("pagination")} className="mt-4 flex items-center gap-4 text-sm">
      {firstHref && (
        <a href={firstHref} className="text-brand-700 underline">
          {t("first")}
        </a>
      )}
      {previousHref && (
        <a href={previousHref} rel="prev" className="text-brand-700 underline">
          {t("previous")}
        </a>
      )}
      {nextHref && (
        <a href={nextHref} rel="next" className="text-brand-700 underline">
          {t("next")}
        </a>
      )}
    </nav>
  );
}
