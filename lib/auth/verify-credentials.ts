import { and, desc, eq, gt } from "drizzle-orm";
import type { Db } from "@/db/client";
import { type Account, accounts, signInFailures } from "@/db/schema";
import { parseCustomerId } from "@/lib/customer-id";
import { UNUSABLE_PASSWORD_HASH, verifyPassword } from "@/lib/password";

/** Failed attempts for one customer ID that lock its sign-in… */
export const MAX_SIGN_IN_FAILURES = 10;
/** …when they fall within this window; the lock lifts as the oldest of them leaves it. */
export const SIGN_IN_WINDOW_MS = 15 * 60 * 1000;

export type VerifyCredentialsResult =
  | { ok: true; account: Account }
  /** Wrong identifier or password: one reason, so the answer never tells which. */
  | { ok: false; reason: "invalid" }
  /** Too many failures for this identifier; `retryAt` is when the next attempt is heard. */
  | { ok: false; reason: "locked"; retryAt: Date };

/**
 * Checks a sign-in attempt by customer ID (any case, trimmed) or e-mail, and the
 * lock-out after MAX_SIGN_IN_FAILURES within SIGN_IN_WINDOW_MS. The lock counts per
 * customer ID whichever identifier was typed, and applies to unknown identifiers alike
 * so that it reveals nothing about which accounts exist.
 */
export async function verifyCredentials(
  db: Db,
  { identifier, password, now = new Date() }: { identifier: string; password: string; now?: Date },
): Promise<VerifyCredentialsResult> {
  const typed = identifier.trim().toLowerCase();
  const account = findAccount(db, typed);
  const key = account?.customerId ?? parseCustomerId(typed) ?? typed;

  const recent = db
    .select({ at: signInFailures.at })
    .from(signInFailures)
    .where(
      and(
        eq(signInFailures.identifier, key),
        gt(signInFailures.at, new Date(now.getTime() - SIGN_IN_WINDOW_MS)),
      ),
    )
    .orderBy(desc(signInFailures.at))
    .limit(MAX_SIGN_IN_FAILURES)
    .all();
  const oldestCounted = recent[MAX_SIGN_IN_FAILURES - 1];
  if (oldestCounted) {
    return { ok: false, reason: "locked", retryAt: new Date(oldestCounted.at.getTime() + SIGN_IN_WINDOW_MS) };
  }

  // Hash even when there is no such account, so timing does not tell either.
  const isValid = await verifyPassword(password, account?.passwordHash ?? UNUSABLE_PASSWORD_HASH);
  if (account && isValid) {
    db.delete(signInFailures).where(eq(signInFailures.identifier, key)).run();
    return { ok: true, account };
  }
  db.insert(signInFailures).values({ identifier: key, at: now }).run();
  return { ok: false, reason: "invalid" };
}

function findAccount(db: Db, typed: string): Account | undefined {
  if (!typed) return undefined;
  const column = typed.includes("@") ? accounts.email : accounts.customerId;
  return db.select().from(accounts).where(eq(column, typed)).get();
}
