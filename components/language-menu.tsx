import { headers } from "next/headers";
import { getLocale, getTranslations } from "next-intl/server";
import { CALLBACK_HEADER } from "@/lib/callback-header";
import { LANGUAGE_NAMES, LANGUAGES, type Language } from "@/lib/i18n/languages";

/**
 * The language switch of the header and of the sign-in page: a button per other language, each
 * named in its own language ("Polski", "English") as language menus are, so a reader who does not
 * understand the page still finds theirs. A plain form to /api/language: no JavaScript, and it
 * comes back to this page.
 */
export async function LanguageMenu() {
  const current = (await getLocale()) as Language;
  const t = await getTranslations("LanguageSwitch");
  const back = (await headers()).get(CALLBACK_HEADER) ?? "";
  return (
    <form method="post" action="/api/language" aria-label={t("label")} className="flex items-center gap-2">
      <input type="hidden" name="back" value={back} />
      {LANGUAGES.filter((language) => language !== current).map((language) => (
        <button
          key={language}
          type="submit"
          name="language"
          value={language}
          lang={language}
          title={t(`switchTo.${language}`)}
          className="rounded-md px-2 py-1 text-brand-700 underline-offset-2 hover:underline"
        >
          {LANGUAGE_NAMES[language]}
        </button>
      ))}
    </form>
  );
}
