import { and, eq, inArray, max } from "drizzle-orm";
import type { Db } from "@/db/client";
import { changeRequests, confirmations, type RequestState, requestEvents } from "@/db/schema";
import { canActOnRequest, effectiveState } from "@/lib/contact-change";

/** What a page needs to tell that a request it shows has moved on. */
export type LiveRequestState = {
  id: number;
  /** As pages show it: a pending request past its deadline reads as expired. */
  state: RequestState;
  /** The newest history entry's id: an acceptance changes it while the state stays pending. */
  step: number;
};

/** At most this many requests are watched at once: a page of My requests. */
export const MAX_LIVE_REQUESTS = 100;

/**
 * The state of each of `ids` that `accountId` may see, for pages that follow the other parties'
 * answers without a reload (SPEC.md "Bulk change and live state"). A request the account may not
 * see is left out, exactly as if it did not exist. Costs a few primary-key and index reads,
 * whatever the account holds, so a page can ask every few seconds; it reads the database, so
 * several instances agree.
 */
export async function readLiveStates(
  db: Db,
  { accountId, ids, now = new Date() }: { accountId: number; ids: readonly number[]; now?: Date },
): Promise<LiveRequestState[]> {
  const wanted = [...new Set(ids)].slice(0, MAX_LIVE_REQUESTS);
  if (wanted.length === 0) return [];
  const rows = await db.read
    .select({
      id: changeRequests.id,
      state: changeRequests.state,
      expiresAt: changeRequests.expiresAt,
      requestedById: changeRequests.requestedById,
      oldContactId: changeRequests.oldContactId,
      newContactId: changeRequests.newContactId,
      serviceAdminId: changeRequests.serviceAdminId,
    })
    .from(changeRequests)
    .where(inArray(changeRequests.id, wanted));
  const confirming = new Set(
    (
      await db.read
        .select({ requestId: confirmations.requestId })
        .from(confirmations)
        .where(and(inArray(confirmations.requestId, wanted), eq(confirmations.accountId, accountId)))
    ).map((row) => row.requestId),
  );
  const visible = rows.filter(
    (row) =>
      confirming.has(row.id) ||
      canActOnRequest("view", { actorId: accountId, request: row, serviceAdminId: row.serviceAdminId }),
  );
  if (visible.length === 0) return [];
  const steps = new Map(
    (
      await db.read
        .select({ requestId: requestEvents.requestId, step: max(requestEvents.id) })
        .from(requestEvents)
        .where(
          inArray(
            requestEvents.requestId,
            visible.map((row) => row.id),
          ),
        )
        .groupBy(requestEvents.requestId)
    ).map((row) => [row.requestId, row.step ?? 0]),
  );
  return visible
    .map((row) => ({ id: row.id, state: effectiveState(row, now), step: steps.get(row.id) ?? 0 }))
    .sort((a, b) => a.id - b.id);
}
