import { and, eq, isNull, lte, sql } from "drizzle-orm";
import { type Db, jsonField, type Tx } from "@/db/client";
import { emailChanges, outbox } from "@/db/schema";
import { eraseCodes } from "@/lib/email/erase-codes";

/** What the code of an e-mail change's link belongs to (`outbox.secretRef`). */
export function emailChangeSecretRef(emailChangeId: number): string {
  return `email-change:${emailChangeId}`;
}

/** Erases the code of an e-mail change from the outbox once its link is of no use (see `eraseCodes`). */
export async function eraseEmailChangeCode(tx: Tx, emailChangeId: number): Promise<void> {
  await eraseCodes(tx, { secretRef: emailChangeSecretRef(emailChangeId), reason: "the e-mail change ended" });
}

/**
 * Removes the account's unused e-mail change rows, so no link sent for them works any more, and
 * erases their codes from the outbox. Call it inside a transaction.
 */
export async function discardUnusedEmailChanges(tx: Tx, accountId: number): Promise<number> {
  const unused = and(eq(emailChanges.accountId, accountId), isNull(emailChanges.usedAt));
  const rows = await tx.select({ id: emailChanges.id }).from(emailChanges).where(unused);
  for (const { id } of rows) await eraseEmailChangeCode(tx, id);
  const discarded = await tx.delete(emailChanges).where(unused).returning({ id: emailChanges.id });
  return discarded.length;
}

/**
 * Withdraws the account's pending e-mail change: its link stops working and the current
 * address stays. `isCancelled` is false when there was nothing to withdraw.
 */
export async function cancelEmailChange(
  db: Db,
  input: { accountId: number },
): Promise<{ isCancelled: boolean }> {
  const discarded = await db.transaction((tx) => discardUnusedEmailChanges(tx, input.accountId));
  return { isCancelled: discarded > 0 };
}

/**
 * Erases the codes of e-mail changes that expired unconfirmed (the periodic sweep calls it), so
 * the mailbox of demo mode stops showing them. Only changes whose e-mail still holds a code are
 * visited, so a run after the first finds nothing to do.
 */
export async function eraseExpiredEmailChangeCodes(tx: Tx, now: Date): Promise<number> {
  const expired = await tx
    .select({ id: emailChanges.id })
    .from(emailChanges)
    .where(
      and(
        isNull(emailChanges.usedAt),
        lte(emailChanges.expiresAt, now),
        sql`exists (select 1 from ${outbox} where ${outbox.secretRef} = 'email-change:' || ${emailChanges.id}
          and ${jsonField(outbox.props, "code")} is not null)`,
      ),
    );
  for (const { id } of expired) await eraseEmailChangeCode(tx, id);
  return expired.length;
}
