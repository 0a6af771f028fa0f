import { and, eq, type SQL } from "drizzle-orm";
import { lockRows, type Tx } from "@/db/client";
import { outbox } from "@/db/schema";
import { scrubSecrets } from "./scrub-secrets";

/**
 * Erases a validation code from the outbox once it is of no use: when its request ends, when a
 * resend replaces it, when its e-mail change is confirmed, cancelled or replaced. Every e-mail
 * stored with `secretRef` (optionally only those to `toAccountId`) loses the code from its props
 * (`scrubSecrets`), and those not yet sent are marked `failed` with `superseded: {reason}`, so a
 * dead code is never sent. One still being sent loses its claim: its sender's result is not
 * recorded (see `record` in outbox-sender.ts). In demo mode this is what takes codes out of the
 * mailbox; with a provider the sender already erased the ones it sent.
 *
 * Call it inside the transaction that ends the code's use, and await it.
 */
export async function eraseCodes(
  tx: Tx,
  input: { secretRef: string; toAccountId?: number; reason: string },
): Promise<{ erased: number; cancelled: number }> {
  const ofCode = and(
    eq(outbox.secretRef, input.secretRef),
    input.toAccountId === undefined ? undefined : eq(outbox.toAccountId, input.toAccountId),
  ) as SQL;
  // A sender in another instance may be recording one of these rows: what is written below
  // depends on the status read, so it is read once that sender is done.
  await lockRows(tx, outbox, ofCode);
  const rows = await tx
    .select({ id: outbox.id, props: outbox.props, status: outbox.status })
    .from(outbox)
    .where(ofCode);
  let erased = 0;
  let cancelled = 0;
  for (const row of rows) {
    const props = scrubSecrets(row.props);
    const isUnsent = row.status === "pending" || row.status === "sending";
    if (props === row.props && !isUnsent) continue;
    await tx
      .update(outbox)
      .set(
        isUnsent
          ? { props, status: "failed", lockedUntil: null, lastError: `superseded: ${input.reason}` }
          : { props },
      )
      .where(eq(outbox.id, row.id));
    if (props !== row.props) erased += 1;
    if (isUnsent) cancelled += 1;
  }
  return { erased, cancelled };
}
