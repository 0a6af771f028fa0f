import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { auth } from "@/auth";
import { getDb } from "@/db/client";
import type { Account } from "@/db/schema";
import { findSessionAccount } from "@/lib/auth/sessions";
import { CALLBACK_HEADER } from "@/lib/callback-header";
import { safeCallbackPath } from "@/lib/safe-redirect";

/**
 * The signed-in account, or null; read once per request. The cookie alone is not enough: its
 * session must still exist server-side (not signed out, not ended by a change of e-mail or
 * password).
 */
export const getCurrentAccount = cache(async (): Promise<Account | null> => {
  const session = await auth();
  const accountId = Number(session?.user?.id);
  const sessionId = session?.sessionId;
  if (!Number.isSafeInteger(accountId) || typeof sessionId !== "string") return null;
  return findSessionAccount(getDb(), { sessionId, accountId });
});

/**
 * The signed-in account, or a redirect to sign in. Every page and action calls this:
 * proxy.ts redirects only for comfort and is no security boundary.
 */
export async function requireAccount(): Promise<Account> {
  const account = await getCurrentAccount();
  if (!account) {
    // A stale, forged or ended session got past proxy.ts: sign in again and come back here.
    const callbackUrl = safeCallbackPath((await headers()).get(CALLBACK_HEADER), "");
    redirect(callbackUrl ? `/login?callbackUrl=${encodeURIComponent(callbackUrl)}` : "/login");
  }
  return account;
}
