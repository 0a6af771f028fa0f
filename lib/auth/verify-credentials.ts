import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { type Account, accounts } from "@/db/schema";
import { throttleKeyOfAddress } from "@/lib/client-address";
import { parseCustomerId } from "@/lib/customer-id";
import { UNUSABLE_PASSWORD_HASH, verifyPassword } from "@/lib/password";
import { clearAttempts, reserveAttempt } from "@/lib/throttle/reserve-attempt";
import {
  SIGN_IN_PER_ACCOUNT,
  SIGN_IN_PER_ACCOUNT_AND_CLIENT,
  SIGN_IN_PER_CLIENT,
} from "@/lib/throttle/throttle-policy";

/** The throttle scope of sign-in attempts. */
export const SIGN_IN_SCOPE = "sign-in";

export type VerifyCredentialsResult =
  | { ok: true; account: Account }
  /** Wrong identifier or password: one reason, so the answer never tells which. */
  | { ok: false; reason: "invalid" }
  /** Too many recent failures for this account or this client; `retryAt` is when the next attempt is heard. */
  | { ok: false; reason: "throttled"; retryAt: Date };

/**
 * Checks a sign-in attempt by customer ID (any case, trimmed) or e-mail. The attempt is
 * reserved before the password is checked (`reserveAttempt`), so parallel guesses cannot outrun
 * the limit, against three keys that each back off as their failures grow: the account from this
 * address (the guesser's limit), the account from anywhere (looser, for spread guessing), and the
 * address whatever the account (guessing across many accounts). Unknown identifiers are counted and
 * hashed alike, so neither the answer nor its timing tells which accounts exist.
 */
export async function verifyCredentials(
  db: Db,
  {
    identifier,
    password,
    clientAddress,
    now = new Date(),
  }: { identifier: string; password: string; clientAddress: string; now?: Date },
): Promise<VerifyCredentialsResult> {
  const typed = identifier.trim().toLowerCase();
  const account = await findAccount(db, typed);
  const accountName = account?.customerId ?? parseCustomerId(typed) ?? typed;
  const accountKey = `account:${accountName}`;
  const clientKey = `client:${throttleKeyOfAddress(clientAddress)}`;
  const reservation = await reserveAttempt(db, {
    scope: SIGN_IN_SCOPE,
    keys: [
      { key: `${accountKey}|${clientKey}`, policy: SIGN_IN_PER_ACCOUNT_AND_CLIENT },
      { key: accountKey, policy: SIGN_IN_PER_ACCOUNT },
      { key: clientKey, policy: SIGN_IN_PER_CLIENT },
    ],
    now,
  });
  if (!reservation.ok) return { ok: false, reason: "throttled", retryAt: reservation.retryAt };

  const isValid = await verifyPassword(password, account?.passwordHash ?? UNUSABLE_PASSWORD_HASH);
  if (account && isValid) {
    // The owner got in: the failures against their account stop counting (the client's do not).
    await reservation.release();
    await clearAttempts(db, { scope: SIGN_IN_SCOPE, key: accountKey });
    await clearAttempts(db, { scope: SIGN_IN_SCOPE, key: `${accountKey}|${clientKey}` });
    return { ok: true, account };
  }
  return { ok: false, reason: "invalid" };
}

async function findAccount(db: Db, typed: string): Promise<Account | undefined> {
  if (!typed) return undefined;
  const column = typed.includes("@") ? accounts.email : accounts.customerId;
  const [account] = await db.read.select().from(accounts).where(eq(column, typed));
  return account;
}
