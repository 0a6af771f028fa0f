import { useTranslations } from "next-intl";
import type { EmailUndeliverableKind } from "@/lib/provider/vocabulary";

/**
 * Why a pending request's validation code may not arrive (SPEC.md "Provider integration"): to the
 * viewer about their own address, which they must answer from, and to everyone about the other
 * confirmers still awaited whose e-mails bounce. Others are named as the page names them elsewhere
 * and told only that e-mails bounce: never the address, nor whether it was a spam report.
 * Synchronous, so both a server page and My requests' client rows render it.
 */
export function UndeliverableNotice({
  myMark,
  others,
  className,
}: {
  /** The viewer's own mark, when the request awaits the viewer's answer. */
  myMark: EmailUndeliverableKind | null;
  /** The other awaited confirmers whose address is marked. */
  others: string[];
  className?: string;
}) {
  const t = useTranslations("Undeliverable");
  if (!myMark && others.length === 0) return null;
  return (
    <div className={className}>
      {myMark && (
        <p>
          {t(`mine.${myMark}`)}{" "}
          <a href="/profile" className="underline">
            {t("profileLink")}
          </a>
        </p>
      )}
      {others.length > 0 && <p>{t("others", { people: others.join(", "), count: others.length })}</p>}
    </div>
  );
}
