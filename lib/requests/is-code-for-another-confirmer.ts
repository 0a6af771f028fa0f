import { and, eq, ne } from "drizzle-orm";
import type { Db } from "@/db/client";
import { confirmations } from "@/db/schema";
import { hashToken } from "@/lib/tokens";

/**
 * Whether an e-mailed link's code was issued to another confirmer of the request than the
 * signed-in account: someone opened a link meant for another account (a shared mailbox, a
 * forwarded e-mail). The page then says so and offers to switch accounts instead of dropping the
 * code, or prefilling it where it can only count as a wrong code. Asked only of a party to the
 * request who holds the code, so it tells nothing they could not learn by trying it.
 */
export async function isCodeForAnotherConfirmer(
  db: Db,
  { requestId, viewerId, code }: { requestId: number; viewerId: number; code: string },
): Promise<boolean> {
  const [row] = await db.read
    .select({ id: confirmations.id })
    .from(confirmations)
    .where(
      and(
        eq(confirmations.requestId, requestId),
        eq(confirmations.tokenHash, hashToken(code)),
        ne(confirmations.accountId, viewerId),
      ),
    )
    .limit(1);
  return row !== undefined;
}
