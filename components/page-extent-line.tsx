import { getTranslations } from "next-intl/server";
import { COUNT_CAP, type PageExtent } from "@/lib/page-extent";

/** "51–100 of 212", "51–100 of more than 1,000", or, deeper still, only that it is past them. */
export async function PageExtentLine({ extent, count }: { extent: PageExtent; count: number }) {
  const t = await getTranslations("Requests.extent");
  const { first, total } = extent;
  if (count === 0) return null;
  const text =
    first === null
      ? t("beyond", { cap: COUNT_CAP })
      : total === null
        ? t("rangeOfMany", { first, last: first + count - 1, cap: COUNT_CAP })
        : t("range", { first, last: first + count - 1, total });
  return <p className="mt-4 text-sm text-slate-600">{text}</p>;
}
