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
export function startSession(
  db: Db,
  { accountId, now = new Date() }: { accountId: number; now?: Date },
): string {
  const account = db
    .select({ email: accounts.email, passwordHash: accounts.passwordHash })
    .from(accounts)
    .where(eq(accounts.id, accountId))
    .get();
  if (!account) throw new Error(`no account ${accountId} to start a session for`);
  const { token, hash } = generateToken();
  db.insert(sessions)
    .values({
      idHash: hash,
      accountId,
      credentialStamp: credentialStamp(account),
      createdAt: now,
      expiresAt: new Date(now.getTime() + SESSION_MAX_AGE_S * 1000),
    })
    .run();
  return token;
}

/**
 * The account a session id belongs to, or null when the session was ended (signed out), has
 * expired, belongs to another account than `accountId`, or predates a change of the account's
 * e-mail address or password. One indexed lookup per request.
 */
export function findSessionAccount(
  db: Db,
  { sessionId, accountId, now = new Date() }: { sessionId: string; accountId: number; now?: Date },
): Account | null {
  const row = db
    .select({ account: accounts, stamp: sessions.credentialStamp })
    .from(sessions)
    .innerJoin(accounts, eq(accounts.id, sessions.accountId))
    .where(
      and(
        eq(sessions.idHash, hashToken(sessionId)),
        eq(sessions.accountId, accountId),
        gt(sessions.expiresAt, now),
      ),
    )
    .get();
  if (!row || row.stamp !== credentialStamp(row.account)) return null;
  return row.account;
}

/** Ends one session at once (sign-out): its cookie opens nothing any more, on any instance. */
export function endSession(db: Db, sessionId: string): void {
  db.delete(sessions)
    .where(eq(sessions.idHash, hashToken(sessionId)))
    .run();
}

/** Deletes expired sessions; run by the periodic sweep. */
export function pruneExpiredSessions(db: Db, now = new Date()): number {
  return db.delete(sessions).where(lte(sessions.expiresAt, now)).run().changes;
}
