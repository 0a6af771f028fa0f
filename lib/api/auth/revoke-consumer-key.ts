import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { isRowId } from "@/db/row-id";
import { apiConsumerKeys } from "@/db/schema";
import type { RevokeApiAccessResult } from "./revoke-api-application";

/**
 * Revokes a consumer key acting for the account: from the commit no request signed with it
 * authenticates. Only the account it acts for (the one that validated it) can; to anyone else,
 * the application's owner included, the key does not exist (`not_found`).
 */
export async function revokeConsumerKey(
  db: Db,
  input: { accountId: number; consumerKeyId: number; now?: Date },
): Promise<RevokeApiAccessResult> {
  const now = input.now ?? new Date();
  if (!isRowId(input.consumerKeyId)) return { ok: false, reason: "not_found" };
  return db.transaction(async (tx) => {
    const ownKey = and(
      eq(apiConsumerKeys.id, input.consumerKeyId),
      eq(apiConsumerKeys.accountId, input.accountId),
      eq(apiConsumerKeys.state, "validated"),
    );
    const [key] = await tx.select({ id: apiConsumerKeys.id }).from(apiConsumerKeys).where(ownKey);
    if (!key) return { ok: false, reason: "not_found" } as const;
    const revoked = await tx
      .update(apiConsumerKeys)
      .set({ revokedAt: now })
      .where(and(ownKey, isNull(apiConsumerKeys.revokedAt)))
      .returning({ id: apiConsumerKeys.id });
    return revoked.length === 1
      ? ({ ok: true } as const)
      : ({ ok: false, reason: "already_revoked" } as const);
  });
}
