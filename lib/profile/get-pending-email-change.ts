import { and, desc, eq, gt, isNull } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { type EmailChange, emailChanges } from "@/db/schema";
import { EMAIL_CHANGE_MAX_ATTEMPTS } from "./email-change-rules";

/** A new address waiting for confirmation, as the profile page shows it. */
export type PendingEmailChange = {
  id: number;
  newEmail: string;
  createdAt: Date;
  expiresAt: Date;
  /** Too many wrong tokens: the link no longer works; saving the address again sends a new one. */
  isLocked: boolean;
};

/** The account's unused, unexpired e-mail change row, if any (there is at most one). */
export function findPendingEmailChangeRow(
  executor: Db | Tx,
  accountId: number,
  now: Date,
): EmailChange | undefined {
  return executor
    .select()
    .from(emailChanges)
    .where(
      and(
        eq(emailChanges.accountId, accountId),
        isNull(emailChanges.usedAt),
        gt(emailChanges.expiresAt, now),
      ),
    )
    .orderBy(desc(emailChanges.id))
    .limit(1)
    .get();
}

/**
 * The e-mail change the account is waiting to confirm, or null. An expired link is not
 * pending: the old address simply stays.
 */
export function getPendingEmailChange(db: Db, accountId: number, now: Date): PendingEmailChange | null {
  const row = findPendingEmailChangeRow(db, accountId, now);
  if (!row) return null;
  return {
    id: row.id,
    newEmail: row.newEmail,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    isLocked: row.attempts >= EMAIL_CHANGE_MAX_ATTEMPTS,
  };
}
