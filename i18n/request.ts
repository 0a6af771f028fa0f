import { headers } from "next/headers";
import { getRequestConfig } from "next-intl/server";
import { negotiateLanguage } from "@/lib/i18n/negotiate-language";
import { getCurrentAccount } from "@/lib/session";

// The account's setting once signed in, the browser's Accept-Language before.
export default getRequestConfig(async () => {
  const account = await getCurrentAccount();
  const locale = account?.language ?? negotiateLanguage((await headers()).get("accept-language"));
  const [base, profile, undeliverable] = await Promise.all([
    import(`../messages/${locale}.json`),
    import(`../messages/profile.${locale}.json`),
    import(`../messages/undeliverable.${locale}.json`),
  ]);
  // The profile pages keep their strings in a file of their own; its namespaces replace the base's.
  return {
    locale,
    // One zone for server and browser, so dates render the same on both; the provider is Polish.
    timeZone: process.env.APP_TIME_ZONE || "Europe/Warsaw",
    messages: { ...base.default, ...profile.default, ...undeliverable.default },
  };
});
