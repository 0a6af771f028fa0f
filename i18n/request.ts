import { cookies, headers } from "next/headers";
import { getRequestConfig } from "next-intl/server";
import { getDb } from "@/db/client";
import { appTimeZone } from "@/lib/config";
import { browserLanguage, interfaceLanguage, LANGUAGE_COOKIE } from "@/lib/i18n/interface-language";
import { followBrowserLanguage } from "@/lib/profile";
import { getCurrentAccount } from "@/lib/session";

// The account's language once its holder chose one; the browser's before (and before signing in).
export default getRequestConfig(async () => {
  const account = await getCurrentAccount();
  const browser = browserLanguage({
    cookie: (await cookies()).get(LANGUAGE_COOKIE)?.value,
    acceptLanguage: (await headers()).get("accept-language"),
  });
  const locale = interfaceLanguage(account, browser);
  // The account follows the browser, so its e-mails speak the language of the panel. Written
  // only when they differ: an ordinary page view costs no write.
  if (account && account.language !== locale) {
    await followBrowserLanguage(getDb(), { accountId: account.id, language: locale });
  }
  const [base, profile, undeliverable] = await Promise.all([
    import(`../messages/${locale}.json`),
    import(`../messages/profile.${locale}.json`),
    import(`../messages/undeliverable.${locale}.json`),
  ]);
  // The profile pages keep their strings in a file of their own; its namespaces replace the base's.
  return {
    locale,
    // One zone for server and browser, so dates render the same on both; the provider is Polish.
    timeZone: appTimeZone(),
    messages: { ...base.default, ...profile.default, ...undeliverable.default },
  };
});
