import { and, desc, eq, gt, isNull } from "drizzle-orm";
import type { Db, Reader } from "@/db/client";
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
export async function findPendingEmailChangeRow(
  executor: Reader,
  accountId: number,
  now: Date,
): Promise<EmailChange | undefined> {
  const [row] = await executor
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
    .limit(1);
  return row;
}

/**
 * The e-mail change the account is waiting to confirm, or null. An expired link is not
 * pending: the old address simply stays.
 */
export async function getPendingEmailChange(
  db: Db,
  accountId: number,
  now: Date,
): Promise<PendingEmailChange | null> {
  const row = await findPendingEmailChangeRow(db.read, accountId, now);
  if (!row) return null;
  return {
    id: row.id,
    newEmail: row.newEmail,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    isLocked: row.attempts >= EMAIL_CHANGE_MAX_ATTEMPTS,
  };
}
