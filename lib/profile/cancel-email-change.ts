import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { emailChanges } from "@/db/schema";
import type { Tx } from "./email-change-rules";

/** Removes the account's unused e-mail change rows, so no link sent for them works any more. */
export function discardUnusedEmailChanges(executor: Db | Tx, accountId: number): number {
  return executor
    .delete(emailChanges)
    .where(and(eq(emailChanges.accountId, accountId), isNull(emailChanges.usedAt)))
    .run().changes;
}

/**
 * Withdraws the account's pending e-mail change: its link stops working and the current
 * address stays. `isCancelled` is false when there was nothing to withdraw.
 */
export function cancelEmailChange(db: Db, input: { accountId: number }): { isCancelled: boolean } {
  return { isCancelled: discardUnusedEmailChanges(db, input.accountId) > 0 };
}
