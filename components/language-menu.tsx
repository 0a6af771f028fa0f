import { getLocale, getTranslations } from "next-intl/server";
import { LANGUAGE_NAMES, LANGUAGES, type Language } from "@/lib/i18n/languages";
import { LanguageSwitch } from "./language-switch";

/** The language switch of the header and of the sign-in page: the languages the page is not in. */
export async function LanguageMenu() {
  const current = (await getLocale()) as Language;
  const t = await getTranslations("LanguageSwitch");
  return (
    <LanguageSwitch
      groupLabel={t("label")}
      invalidMessage={t("invalid")}
      languages={LANGUAGES.filter((language) => language !== current).map((language) => ({
        language,
        name: LANGUAGE_NAMES[language],
        label: t(`switchTo.${language}`),
      }))}
    />
  );
}
