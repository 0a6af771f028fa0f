import { and, eq, isNull, lt } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { confirmations, type Decision, services } from "@/db/schema";
import {
  applyToService,
  type ConfirmationRefusal,
  decideConfirmation,
  MAX_FAILED_ATTEMPTS,
  type RecheckRefusalReason,
  recheckBeforeApply,
} from "@/lib/contact-change";
import { hashToken } from "@/lib/tokens";
import {
  type BatchCode,
  countWrongBatchCode,
  lockBatchCode,
  lockBatchCodesOfRequest,
} from "./batches/batch-codes";
import type { BatchEndNotices } from "./batches/batch-end-notices";
import { emitContactsChangedByRequest } from "./emit-request-webhook-events";
import { cancelInvalidatedRequests, endRequest } from "./end-request";
import { openRequest } from "./open-request";
import { accountsBehindWithPayments, type RequestContext, recordEvent } from "./request-context";

export type AnswerRequestResult =
  /** The request does not exist for this account: answer 404. */
  | { ok: false; reason: "not_found" }
  | ConfirmationRefusal
  | { ok: true; outcome: "refused" }
  | { ok: true; outcome: "waiting"; waitingFor: { customerId: string; name: string }[] }
  | { ok: true; outcome: "done" }
  /** Everyone confirmed, but the re-check failed: the request ended cancelled with this reason. */
  | { ok: true; outcome: "cancelled"; reason: RecheckRefusalReason };

/**
 * A confirmer accepts or refuses a request with their validation code. The code works only for
 * the account it was issued to, once, while the request is pending; a wrong code counts as a
 * failed attempt. The confirmation is spent with a conditional UPDATE before anything else
 * changes, so of two concurrent uses only one can win. The last acceptance re-checks and applies
 * the change in the same transaction.
 */
export async function answerRequest(
  db: Db,
  input: { requestId: number; actorId: number; token: string; decision: Decision; now?: Date },
): Promise<AnswerRequestResult> {
  const now = input.now ?? new Date();
  return db.transaction(async (tx) => {
    await lockBatchCodesOfRequest(tx, { requestId: input.requestId, accountId: input.actorId });
    return answerInTransaction(tx, input, now);
  });
}

/**
 * Answers one request inside the caller's transaction: the request page's answer, and each
 * request of a batch answered at once (answer-batch.ts). A request of a batch is answered with the
 * batch's one code (batch_confirmations), whose wrong attempts count for the whole batch.
 */
export async function answerInTransaction(
  tx: Tx,
  input: { requestId: number; actorId: number; token: string; decision: Decision },
  now: Date,
  /** Where a batch's answers gather their end notices (see BatchEndNotices). */
  notices?: BatchEndNotices,
): Promise<AnswerRequestResult> {
  let batchCode: BatchCode | null = null;
  const opened = await openRequest(tx, { ...input, now }, async (context) => {
    const own = ownConfirmation(context, input.actorId);
    const batchId = context.request.batchId;
    batchCode = batchId !== null && own ? await lockBatchCode(tx, batchId, input.actorId) : null;
    const expectedHash = batchId === null ? own?.tokenHash : batchCode?.tokenHash;
    return decideConfirmation({
      request: { ...context.request, contactTypes: context.contactTypes },
      // A batch's wrong codes lock its one code, for every request of the batch.
      confirmations: batchCode
        ? context.confirmations.map((c) =>
            c === own ? { ...c, failedAttempts: (batchCode as BatchCode).failedAttempts } : c,
          )
        : context.confirmations,
      actorId: input.actorId,
      tokenMatches: Boolean(input.token && expectedHash === hashToken(input.token)),
      decision: input.decision,
      // The domain asks about no one but the one answering (a new billing contact accepting),
      // and it decides synchronously: their standing is read first.
      behindWithPayments: await accountsBehindWithPayments(tx, [input.actorId], now),
      now,
    });
  });
  if (!opened) return { ok: false, reason: "not_found" };
  const { context, decision } = opened;
  const { request } = context;
  const own = ownConfirmation(context, input.actorId);
  const code = batchCode as BatchCode | null;
  // Every refusal leaves the confirmation unspent; only a wrong code is counted. A new billing
  // contact behind with payments (`payments_overdue`) can therefore pay and accept later.
  if (!decision.ok) {
    if (decision.reason === "wrong_code" && own) {
      const attempts = (code ?? own).failedAttempts + 1;
      if (code) await countWrongBatchCode(tx, code);
      else {
        await tx.update(confirmations).set({ failedAttempts: attempts }).where(eq(confirmations.id, own.id));
      }
      await recordEvent(tx, {
        requestId: request.id,
        actorId: input.actorId,
        kind: attempts >= MAX_FAILED_ATTEMPTS ? "code_locked" : "wrong_code",
        at: now,
      });
    }
    return decision;
  }

  // Spend first: only a confirmation still unanswered, with this code and not locked, can be used.
  // A batch's code was checked above against its row, locked until commit.
  const spent = await tx
    .update(confirmations)
    .set({ decision: input.decision, decidedAt: now })
    .where(
      and(
        eq(confirmations.id, (own as { id: number }).id),
        code ? undefined : eq(confirmations.tokenHash, hashToken(input.token)),
        isNull(confirmations.decision),
        lt(confirmations.failedAttempts, MAX_FAILED_ATTEMPTS),
      ),
    )
    .returning({ id: confirmations.id });
  if (spent.length !== 1) return { ok: false, reason: "already_answered", decision: input.decision };
  // A refusal ends the request: endRequest records it, with the one who refused.
  if (input.decision === "accepted") {
    await recordEvent(tx, { requestId: request.id, actorId: input.actorId, kind: "accepted", at: now });
  }

  switch (decision.outcome) {
    case "refused":
      await endRequest(tx, context, { state: "refused", actorId: input.actorId, now, notices });
      return { ok: true, outcome: "refused" };
    case "waiting":
      return {
        ok: true,
        outcome: "waiting",
        waitingFor: decision.waitingForIds.map((id) => {
          const person = context.people.get(id);
          return { customerId: person?.customerId ?? "", name: person?.name ?? "" };
        }),
      };
    case "apply":
      return applyRequest(tx, context, now, notices);
  }
}

/** The confirmation `actorId` answers with, if they are a confirmer. */
function ownConfirmation(context: RequestContext, actorId: number) {
  return context.confirmations.find((confirmation) => confirmation.accountId === actorId);
}

async function applyRequest(
  tx: Tx,
  context: RequestContext,
  now: Date,
  notices: BatchEndNotices | undefined,
): Promise<AnswerRequestResult> {
  const { request, service, contactTypes } = context;
  const change = {
    requestedById: request.requestedById,
    oldContactId: request.oldContactId,
    newContactId: request.newContactId,
    contactTypes,
  };
  const recheck = recheckBeforeApply({
    service,
    request: change,
    behindWithPayments: await accountsBehindWithPayments(
      tx,
      [request.oldContactId, request.newContactId],
      now,
    ),
  });
  if (!recheck.ok) {
    await endRequest(tx, context, {
      state: "cancelled",
      reason: recheck.reason,
      actorId: null,
      now,
      notices,
    });
    return { ok: true, outcome: "cancelled", reason: recheck.reason };
  }
  const after = applyToService(service, change);
  await tx.update(services).set(after).where(eq(services.id, service.id));
  await endRequest(tx, context, { state: "done", actorId: null, now, notices });
  await emitContactsChangedByRequest(tx, { service, after, requestId: request.id, at: now });
  await cancelInvalidatedRequests(tx, {
    service: { ...service, ...after },
    exceptId: request.id,
    now,
    notices,
  });
  return { ok: true, outcome: "done" };
}
