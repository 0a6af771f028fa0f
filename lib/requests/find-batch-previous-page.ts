import { and, desc, eq, lt } from "drizzle-orm";
import type { Db } from "@/db/client";
import { changeRequests } from "@/db/schema";
import { BATCH_PAGE_SIZE } from "@/lib/requests/batches/vocabulary";

/**
 * Where the batch page before the one starting at request `firstId` starts: the `after` of its
 * link, null for the first page. Batch pages are keyset pages by request id (getBatch); going back
 * reads at most a page of ids from the (batch_id, id) index. Call it only for a batch the viewer
 * may see: it reads ids, and says nothing of who may see them.
 */
export async function findBatchPreviousPage(
  db: Db,
  { batchId, firstId }: { batchId: number; firstId: number },
): Promise<{ after: number | null }> {
  const before = await db.read
    .select({ id: changeRequests.id })
    .from(changeRequests)
    .where(and(eq(changeRequests.batchId, batchId), lt(changeRequests.id, firstId)))
    .orderBy(desc(changeRequests.id))
    .limit(BATCH_PAGE_SIZE + 1);
  return { after: before.length > BATCH_PAGE_SIZE ? (before[BATCH_PAGE_SIZE]?.id ?? null) : null };
}
