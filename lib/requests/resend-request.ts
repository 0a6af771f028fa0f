import { and, eq, isNull } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { type ChangeRequest, changeRequests, confirmations, requestBatches } from "@/db/schema";
import { decideResend, type ResendDecision } from "@/lib/contact-change";
import { eraseCodes } from "@/lib/email/erase-codes";
import { generateToken } from "@/lib/tokens";
import { issueBatchCodes, lockBatchCodesOfRequest } from "./batches/batch-codes";
import { enqueueCodeEmail, requestSecretRef } from "./code-emails";
import { openRequest } from "./open-request";
import { personRef, recordEvent } from "./request-context";

export type ResendRequestResult =
  | { ok: false; reason: "not_found" }
  | Exclude<ResendDecision, { ok: true }>
  | { ok: true; recipients: { customerId: string; name: string }[] };

/**
 * "Resend request": issues new codes to the confirmers who have not answered (their old codes
 * stop working, are erased from the outbox with their unsent e-mails cancelled, and their failed
 * attempts reset) and e-mails them at the addresses in their profiles now. Any party and the
 * service's administrator may; at most once a minute.
 */
export async function resendRequest(
  db: Db,
  input: { requestId: number; actorId: number; now?: Date },
): Promise<ResendRequestResult> {
  const now = input.now ?? new Date();
  return db.transaction(async (tx) => {
    await lockBatchCodesOfRequest(tx, { requestId: input.requestId });
    const opened = await openRequest(tx, { ...input, now }, async ({ request, service, confirmations }) =>
      decideResend({
        // A batch's requests share its codes: one resend a minute for the whole batch.
        request: { ...request, lastResentAt: await lastResentAt(tx, request) },
        confirmations,
        serviceAdminId: service.adminId,
        actorId: input.actorId,
        now,
      }),
    );
    if (!opened) return { ok: false, reason: "not_found" } as const;
    const { context, decision } = opened;
    if (!decision.ok) return decision;
    const { request } = context;
    if (request.batchId !== null) {
      // The batch's one code per confirmer is what a request of a batch is answered with: a new one
      // replaces it for every request of the batch, in one e-mail listing them.
      await issueBatchCodes(tx, {
        batchId: request.batchId,
        confirmerIds: decision.reissueToIds,
        isResend: true,
        now,
      });
      await tx
        .update(requestBatches)
        .set({ lastResentAt: now })
        .where(eq(requestBatches.id, request.batchId));
    }
    for (const confirmerId of request.batchId === null ? decision.reissueToIds : []) {
      const { token, hash } = generateToken();
      await tx
        .update(confirmations)
        .set({ tokenHash: hash, tokenIssuedAt: now, failedAttempts: 0 })
        .where(
          and(
            eq(confirmations.requestId, request.id),
            eq(confirmations.accountId, confirmerId),
            isNull(confirmations.decision),
          ),
        );
      await eraseCodes(tx, {
        secretRef: requestSecretRef(request.id),
        toAccountId: confirmerId,
        reason: "a new code was sent",
      });
      await enqueueCodeEmail(tx, context, { confirmerId, code: token, isResend: true, now });
    }
    await tx.update(changeRequests).set({ lastResentAt: now }).where(eq(changeRequests.id, request.id));
    await recordEvent(tx, {
      requestId: request.id,
      actorId: input.actorId,
      kind: "resent",
      detail: { to: decision.reissueToIds },
      at: now,
    });
    return { ok: true, recipients: decision.reissueToIds.map((id) => personRef(context, id)) } as const;
  });
}

/** When the request's codes were last sent again: its own resend, or its batch's. */
async function lastResentAt(tx: Tx, request: ChangeRequest): Promise<Date | null> {
  if (request.batchId === null) return request.lastResentAt;
  const [batch] = await tx
    .select({ lastResentAt: requestBatches.lastResentAt })
    .from(requestBatches)
    .where(eq(requestBatches.id, request.batchId));
  const times = [request.lastResentAt, batch?.lastResentAt ?? null].filter((at): at is Date => at !== null);
  return times.length === 0 ? null : new Date(Math.max(...times.map((at) => at.getTime())));
}
