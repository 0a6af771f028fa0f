import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { isRowId } from "@/db/row-id";
import { apiApplications, apiConsumerKeys } from "@/db/schema";
import type { RevokeApiAccessRefusalReason } from "./reason-codes";

export type RevokeApiAccessResult = { ok: true } | { ok: false; reason: RevokeApiAccessRefusalReason };

/**
 * Revokes an application for good, and with it every consumer key it was given (validated, pending
 * or refused, whichever account they act for), in one transaction: from its commit no request of
 * the application authenticates and no pending key can be approved. Only its owner can; to anyone
 * else the application does not exist (`not_found`).
 */
export async function revokeApiApplication(
  db: Db,
  input: { accountId: number; applicationId: number; now?: Date },
): Promise<RevokeApiAccessResult> {
  const now = input.now ?? new Date();
  if (!isRowId(input.applicationId)) return { ok: false, reason: "not_found" };
  return db.transaction(async (tx) => {
    const [application] = await tx
      .select({ revokedAt: apiApplications.revokedAt })
      .from(apiApplications)
      .where(
        and(eq(apiApplications.id, input.applicationId), eq(apiApplications.accountId, input.accountId)),
      );
    if (!application) return { ok: false, reason: "not_found" } as const;
    const revoked = await tx
      .update(apiApplications)
      .set({ revokedAt: now })
      .where(and(eq(apiApplications.id, input.applicationId), isNull(apiApplications.revokedAt)))
      .returning({ id: apiApplications.id });
    if (revoked.length !== 1) return { ok: false, reason: "already_revoked" } as const;
    await tx
      .update(apiConsumerKeys)
      .set({ revokedAt: now })
      .where(and(eq(apiConsumerKeys.applicationId, input.applicationId), isNull(apiConsumerKeys.revokedAt)));
    return { ok: true } as const;
  });
}
