import { and, eq, isNull, lte, sql } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { emailChanges, outbox } from "@/db/schema";
import { eraseCodes } from "@/lib/email/erase-codes";

/** What the code of an e-mail change's link belongs to (`outbox.secretRef`). */
export function emailChangeSecretRef(emailChangeId: number): string {
  return `email-change:${emailChangeId}`;
}

/** Erases the code of an e-mail change from the outbox once its link is of no use (see `eraseCodes`). */
export function eraseEmailChangeCode(tx: Db | Tx, emailChangeId: number): void {
  eraseCodes(tx, { secretRef: emailChangeSecretRef(emailChangeId), reason: "the e-mail change ended" });
}

/**
 * Removes the account's unused e-mail change rows, so no link sent for them works any more, and
 * erases their codes from the outbox. Call it inside a transaction.
 */
export function discardUnusedEmailChanges(tx: Db | Tx, accountId: number): number {
  const unused = and(eq(emailChanges.accountId, accountId), isNull(emailChanges.usedAt));
  const rows = tx.select({ id: emailChanges.id }).from(emailChanges).where(unused).all();
  for (const { id } of rows) eraseEmailChangeCode(tx, id);
  return tx.delete(emailChanges).where(unused).run().changes;
}

/**
 * Withdraws the account's pending e-mail change: its link stops working and the current
 * address stays. `isCancelled` is false when there was nothing to withdraw.
 */
export function cancelEmailChange(db: Db, input: { accountId: number }): { isCancelled: boolean } {
  const discarded = db.transaction((tx) => discardUnusedEmailChanges(tx, input.accountId), {
    behavior: "immediate",
  });
  return { isCancelled: discarded > 0 };
}

/**
 * Erases the codes of e-mail changes that expired unconfirmed (the periodic sweep calls it), so
 * the mailbox of demo mode stops showing them. Only changes whose e-mail still holds a code are
 * visited, so a run after the first finds nothing to do.
 */
export function eraseExpiredEmailChangeCodes(tx: Db | Tx, now: Date): number {
  const expired = tx
    .select({ id: emailChanges.id })
    .from(emailChanges)
    .where(
      and(
        isNull(emailChanges.usedAt),
        lte(emailChanges.expiresAt, now),
        sql`exists (select 1 from ${outbox} where ${outbox.secretRef} = 'email-change:' || ${emailChanges.id}
          and json_extract(${outbox.props}, '$.code') is not null)`,
      ),
    )
    .all();
  for (const { id } of expired) eraseEmailChangeCode(tx, id);
  return expired.length;
}
