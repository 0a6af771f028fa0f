import { and, eq, lt } from "drizzle-orm";
import type { Db } from "@/db/client";
import { apiConsumerKeys } from "@/db/schema";

/** How long an undecided consumer key is kept past its validation deadline (the page can say "expired"). */
export const UNDECIDED_KEY_RETENTION_MS = 24 * 60 * 60_000;

/**
 * Deletes the consumer keys nobody approved or refused, a day after their validation deadline:
 * an application key is no secret, so anyone holding one can ask for keys, and those that are
 * never decided would otherwise pile up. Returns how many. Safe in every instance at once.
 */
export async function purgeUndecidedConsumerKeys(db: Db, now: Date = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - UNDECIDED_KEY_RETENTION_MS);
  const purged = await db.transaction((tx) =>
    tx
      .delete(apiConsumerKeys)
      .where(
        and(eq(apiConsumerKeys.state, "pendingValidation"), lt(apiConsumerKeys.validationExpiresAt, cutoff)),
      )
      .returning({ id: apiConsumerKeys.id }),
  );
  return purged.length;
}
