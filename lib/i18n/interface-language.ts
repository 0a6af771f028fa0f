import type { Language } from "@/db/schema";
import { isLanguage, negotiateLanguage } from "./negotiate-language";

/**
 * The cookie holding the language picked on the sign-in page (or in the header): the browser's
 * own choice for this site, which outranks its Accept-Language.
 */
export const LANGUAGE_COOKIE = "language";

/** A year: the choice outlives sessions, as a browser's language setting does. */
export const LANGUAGE_COOKIE_MAX_AGE_S = 365 * 24 * 60 * 60;

/** The language this browser asks for: the site's cookie when it names one, else Accept-Language. */
export function browserLanguage(input: {
  cookie: string | null | undefined;
  acceptLanguage: string | null | undefined;
}): Language {
  return isLanguage(input.cookie) ? input.cookie : negotiateLanguage(input.acceptLanguage);
}

/**
 * The language a page is shown in: the account's once its holder picked one (profile, header),
 * otherwise the browser's, which the account then follows (see `followBrowserLanguage`), so
 * e-mails go out in the language the customer last read the panel in.
 */
export function interfaceLanguage(
  account: { language: Language; isLanguageChosen: boolean } | null,
  browser: Language,
): Language {
  return account?.isLanguageChosen ? account.language : browser;
}
