import { eq } from "drizzle-orm";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { auth } from "@/auth";
import { getDb } from "@/db/client";
import { type Account, accounts } from "@/db/schema";
import { CALLBACK_HEADER } from "@/lib/callback-header";
import { safeCallbackPath } from "@/lib/safe-redirect";

/** The signed-in account, or null; read once per request. */
export const getCurrentAccount = cache(async (): Promise<Account | null> => {
  const session = await auth();
  const id = Number(session?.user?.id);
  if (!Number.isSafeInteger(id)) return null;
  return getDb().select().from(accounts).where(eq(accounts.id, id)).get() ?? null;
});

/**
 * The signed-in account, or a redirect to sign in. Every page and action calls this:
 * proxy.ts redirects only for comfort and is no security boundary.
 */
export async function requireAccount(): Promise<Account> {
  const account = await getCurrentAccount();
  if (!account) {
    // A stale or forged cookie got past proxy.ts: sign in again and come back here.
    const callbackUrl = safeCallbackPath((await headers()).get(CALLBACK_HEADER), "");
    redirect(callbackUrl ? `/login?callbackUrl=${encodeURIComponent(callbackUrl)}` : "/login");
  }
  return account;
}
