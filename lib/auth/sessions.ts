import { createHash } from "node:crypto";
import { and, eq, gt, lte } from "drizzle-orm";
import type { Db } from "@/db/client";
import { type Account, accounts, sessions } from "@/db/schema";
import { generateToken, hashToken } from "@/lib/tokens";

/** How long a session lasts at most, whatever its cookie says (Auth.js's default maxAge). */
export const SESSION_MAX_AGE_S = 30 * 24 * 60 * 60;

/**
 * What a session was signed in with: changing the account's e-mail address or password changes
 * the stamp, and every session carrying the old one is over.
 */
export function credentialStamp(account: Pick<Account, "email" | "passwordHash">): string {
  return createHash("sha256").update(`${account.email}\0${account.passwordHash}`).digest("hex");
}

/** Starts a session for the account; returns the session id for the cookie (only its hash is stored). */
export async function startSession(
  db: Db,
  { accountId, now = new Date() }: { accountId: number; now?: Date },
): Promise<string> {
  return db.transaction(async (tx) => {
    const [account] = await tx
      .select({ email: accounts.email, passwordHash: accounts.passwordHash })
      .from(accounts)
      .where(eq(accounts.id, accountId));
    if (!account) throw new Error(`no account ${accountId} to start a session for`);
    const { token, hash } = generateToken();
    await tx.insert(sessions).values({
      idHash: hash,
      accountId,
      credentialStamp: credentialStamp(account),
      createdAt: now,
      expiresAt: new Date(now.getTime() + SESSION_MAX_AGE_S * 1000),
    });
    return token;
  });
}

/**
 * The account a session id belongs to, or null when the session was ended (signed out), has
 * expired, belongs to another account than `accountId`, or predates a change of the account's
 * e-mail address or password. One indexed lookup per request.
 */
export async function findSessionAccount(
  db: Db,
  { sessionId, accountId, now = new Date() }: { sessionId: string; accountId: number; now?: Date },
): Promise<Account | null> {
  const [row] = await db.read
    .select({ account: accounts, stamp: sessions.credentialStamp })
    .from(sessions)
    .innerJoin(accounts, eq(accounts.id, sessions.accountId))
    .where(
      and(
        eq(sessions.idHash, hashToken(sessionId)),
        eq(sessions.accountId, accountId),
        gt(sessions.expiresAt, now),
      ),
    );
  if (!row || row.stamp !== credentialStamp(row.account)) return null;
  return row.account;
}

/** Ends one session at once (sign-out): its cookie opens nothing any more, on any instance. */
export async function endSession(db: Db, sessionId: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.delete(sessions).where(eq(sessions.idHash, hashToken(sessionId)));
  });
}

/** Deletes expired sessions; run by the periodic sweep. */
export async function pruneExpiredSessions(db: Db, now = new Date()): Promise<number> {
  const pruned = await db.transaction(async (tx) =>
    tx.delete(sessions).where(lte(sessions.expiresAt, now)).returning({ idHash: sessions.idHash }),
  );
  return pruned.length;
}
