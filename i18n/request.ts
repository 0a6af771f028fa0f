import { headers } from "next/headers";
import { getRequestConfig } from "next-intl/server";
import { negotiateLanguage } from "@/lib/i18n/negotiate-language";
import { getCurrentAccount } from "@/lib/session";

// The account's setting once signed in, the browser's Accept-Language before.
export default getRequestConfig(async () => {
  const account = await getCurrentAccount();
  const locale = account?.language ?? negotiateLanguage((await headers()).get("accept-language"));
  return {
    locale,
    messages: (await import(`../messages/${locale}.json`)).default,
  };
});
