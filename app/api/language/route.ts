import { getDb } from "@/db/client";
import { switchLanguage } from "@/lib/i18n/switch-language";
import { getCurrentAccount } from "@/lib/session";

export const dynamic = "force-dynamic";

/** The language switch's form (lib/i18n/switch-language.ts). */
export async function POST(request: Request): Promise<Response> {
  return switchLanguage(request, {
    db: getDb,
    currentAccountId: async () => (await getCurrentAccount())?.id ?? null,
  });
}
