import { and, eq, gt, isNull, lt, ne, sql } from "drizzle-orm";
import { type Db, isUniqueViolation, type Reader, type Tx } from "@/db/client";
import { accounts, type EmailChange, emailChanges, sessions } from "@/db/schema";
import { hashToken } from "@/lib/tokens";
import { eraseEmailChangeCode } from "./cancel-email-change";
import { EMAIL_CHANGE_MAX_ATTEMPTS } from "./email-change-rules";
import { findPendingEmailChangeRow } from "./get-pending-email-change";
import type { ConfirmEmailChangeRefusalReason } from "./reason-codes";

export type ConfirmEmailChangeInput = {
  /** The signed-in account: a token works only for the account it was issued to. */
  accountId: number;
  /** The token from the e-mailed link, in clear. */
  token: string;
  now: Date;
};

export type ConfirmEmailChangeResult =
  | { ok: true; previousEmail: string; newEmail: string }
  | { ok: false; reason: ConfirmEmailChangeRefusalReason };

export type EmailChangePreview =
  | { ok: true; currentEmail: string; newEmail: string; expiresAt: Date }
  | { ok: false; reason: ConfirmEmailChangeRefusalReason };

type Lookup =
  | { kind: "found"; row: EmailChange; currentEmail: string }
  | { kind: "refused"; reason: ConfirmEmailChangeRefusalReason }
  | { kind: "wrong_token"; pending: EmailChange | undefined };

/**
 * What the token would do, read-only: the confirmation page shows it on GET (mail scanners
 * open links, so opening one changes nothing and counts no attempt).
 */
export async function previewEmailChange(
  db: Db,
  input: ConfirmEmailChangeInput,
): Promise<EmailChangePreview> {
  const found = await lookUp(db.read, input);
  if (found.kind === "wrong_token") {
    const isLocked = (found.pending?.attempts ?? 0) >= EMAIL_CHANGE_MAX_ATTEMPTS;
    return { ok: false, reason: isLocked ? "locked" : "not_found" };
  }
  if (found.kind === "refused") return { ok: false, reason: found.reason };
  return {
    ok: true,
    currentEmail: found.currentEmail,
    newEmail: found.row.newEmail,
    expiresAt: found.row.expiresAt,
  };
}

/**
 * Confirms a new e-mail address with the token sent to it. In one immediate transaction it
 * spends the token first, with a conditional UPDATE that must touch exactly one row (so of
 * two concurrent confirmations only one wins), then changes the account's address (clearing a
 * bounce or complaint mark, which was the old address's) and erases the link's code from the outbox. A token that matches no pending change of the signed-in
 * account counts as a failed attempt on that account's pending change; after 5 the change is
 * locked until a new link is requested.
 */
export async function confirmEmailChange(
  db: Db,
  input: ConfirmEmailChangeInput,
): Promise<ConfirmEmailChangeResult> {
  try {
    return await db.transaction((tx) => confirmInTransaction(tx, input));
  } catch (error) {
    // The address was taken between the check and the update: everything was rolled back.
    if (isUniqueViolation(error)) return { ok: false, reason: "email_taken" };
    throw error;
  }
}

async function confirmInTransaction(
  tx: Tx,
  input: ConfirmEmailChangeInput,
): Promise<ConfirmEmailChangeResult> {
  const { accountId, now } = input;
  const found = await lookUp(tx, input);
  if (found.kind === "wrong_token") return countFailedAttempt(tx, found.pending);
  if (found.kind === "refused") return { ok: false, reason: found.reason };
  const { row, currentEmail } = found;

  const spent = await tx
    .update(emailChanges)
    .set({ usedAt: now })
    .where(
      and(
        eq(emailChanges.id, row.id),
        eq(emailChanges.accountId, accountId),
        isNull(emailChanges.usedAt),
        gt(emailChanges.expiresAt, now),
        lt(emailChanges.attempts, EMAIL_CHANGE_MAX_ATTEMPTS),
      ),
    )
    .returning({ id: emailChanges.id });
  if (spent.length !== 1) return { ok: false, reason: "already_used" };
  // A bounce or spam report was about the old address: the new one starts unmarked.
  await tx
    .update(accounts)
    .set({ email: row.newEmail, emailUndeliverable: null, emailUndeliverableAt: null })
    .where(eq(accounts.id, accountId));
  // A new address ends every session of the account, in the same transaction (SPEC.md).
  await tx.delete(sessions).where(eq(sessions.accountId, accountId));
  // The link has done its work: its code leaves the outbox (and demo mode's mailbox).
  await eraseEmailChangeCode(tx, row.id);
  return { ok: true, previousEmail: currentEmail, newEmail: row.newEmail };
}

async function lookUp(executor: Reader, input: ConfirmEmailChangeInput): Promise<Lookup> {
  const { accountId, now } = input;
  const [account] = await executor
    .select({ email: accounts.email })
    .from(accounts)
    .where(eq(accounts.id, accountId));
  const token = input.token.trim();
  const [row] =
    account && token !== ""
      ? await executor
          .select()
          .from(emailChanges)
          .where(and(eq(emailChanges.tokenHash, hashToken(token)), eq(emailChanges.accountId, accountId)))
      : [];
  if (!account || !row) {
    return {
      kind: "wrong_token",
      pending: account && (await findPendingEmailChangeRow(executor, accountId, now)),
    };
  }
  if (row.usedAt !== null) return { kind: "refused", reason: "already_used" };
  if (row.expiresAt.getTime() <= now.getTime()) return { kind: "refused", reason: "expired" };
  if (row.attempts >= EMAIL_CHANGE_MAX_ATTEMPTS) return { kind: "refused", reason: "locked" };
  const [holder] = await executor
    .select({ id: accounts.id })
    .from(accounts)
    .where(and(eq(accounts.email, row.newEmail), ne(accounts.id, accountId)));
  if (holder) return { kind: "refused", reason: "email_taken" };
  return { kind: "found", row, currentEmail: account.email };
}

async function countFailedAttempt(
  tx: Tx,
  pending: EmailChange | undefined,
): Promise<ConfirmEmailChangeResult> {
  if (!pending) return { ok: false, reason: "not_found" };
  if (pending.attempts >= EMAIL_CHANGE_MAX_ATTEMPTS) return { ok: false, reason: "locked" };
  // Counted only below the limit, as read when the row is updated: wrong tokens racing on another
  // connection may have reached it since `pending` was read.
  const [counted] = await tx
    .update(emailChanges)
    .set({ attempts: sql`${emailChanges.attempts} + 1` })
    .where(and(eq(emailChanges.id, pending.id), lt(emailChanges.attempts, EMAIL_CHANGE_MAX_ATTEMPTS)))
    .returning({ attempts: emailChanges.attempts });
  const isLocked = !counted || counted.attempts >= EMAIL_CHANGE_MAX_ATTEMPTS;
  return { ok: false, reason: isLocked ? "locked" : "not_found" };
}
