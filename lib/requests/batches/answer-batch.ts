import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { changeRequests, confirmations, type Decision } from "@/db/schema";
import { chunks } from "@/lib/chunks";
import { MAX_FAILED_ATTEMPTS } from "@/lib/contact-change";
import { reserveCodeAttempt } from "@/lib/throttle/code-attempts";
import { hashToken } from "@/lib/tokens";
import { answerInTransaction } from "../answer-request";
import { countWrongBatchCode, lockBatchCode, readBatchCode } from "./batch-codes";
import { BatchEndNotices } from "./batch-end-notices";

export type AnswerBatchInput = {
  batchId: number;
  actorId: number;
  /** The confirmer's batch code (from the batch e-mail). */
  token: string;
  decision: Decision;
  /** Service by service: only these requests of the batch. Left out: every request awaiting the actor. */
  requestIds?: number[];
  clientAddress: string;
  now?: Date;
};

export type AnswerBatchResult =
  /** The batch does not exist for this account. */
  | { ok: false; reason: "not_found" }
  /** Too many wrong codes from this account or address lately: nothing was checked. */
  | { ok: false; reason: "throttled"; retryAt: Date }
  /** The code is wrong (counted); `attemptsLeft` more before it locks. */
  | { ok: false; reason: "wrong_code"; attemptsLeft: number }
  /** Locked after too many wrong codes, until a resend. */
  | { ok: false; reason: "locked" }
  /** No request of the batch (or of `requestIds`) waits for the actor's answer. */
  | { ok: false; reason: "nothing_to_answer" }
  | {
      ok: true;
      /** Requests answered now. */
      answered: number;
      /** Of those: applied, still waiting for someone else, refused, cancelled by the re-check. */
      done: number;
      waiting: number;
      refused: number;
      cancelled: number;
      /**
       * Not answered: a new billing contact behind with payments cannot accept (their code stays
       * valid for later), or the request expired meanwhile.
       */
      skipped: number;
    };

/**
 * Requests answered per transaction: each transaction holds SQLite's one write lock (and on
 * PostgreSQL its services' row locks) only this long, so a batch of 10,000 does not stall
 * everyone else's answers while it is applied.
 */
const REQUESTS_PER_TRANSACTION = 200;

/**
 * A confirmer answers a batch with its one code: every request awaiting them, or the ones named.
 * One code attempt is reserved against the account and address first, as for a request; the code
 * is checked against the batch (a wrong one counts once, per batch); each request is then
 * answered exactly as on its own page (answerInTransaction: spent once, applied with a re-check
 * when the last one accepts), which checks the code again under the request's locks.
 */
export async function answerBatch(db: Db, input: AnswerBatchInput): Promise<AnswerBatchResult> {
  const now = input.now ?? new Date();
  const reservation = await reserveCodeAttempt(db, {
    accountId: input.actorId,
    clientAddress: input.clientAddress,
    now,
  });
  if (!reservation.ok) return { ok: false, reason: "throttled", retryAt: reservation.retryAt };
  const result = await answerWithCode(db, input, now);
  if (result.ok || result.reason !== "wrong_code") await reservation.release();
  return result;
}

async function answerWithCode(db: Db, input: AnswerBatchInput, now: Date): Promise<AnswerBatchResult> {
  const { batchId, actorId } = input;
  const checked = await db.transaction(async (tx): Promise<AnswerBatchResult | null> => {
    const code = await lockBatchCode(tx, batchId, actorId);
    if (!code) return { ok: false, reason: "not_found" };
    if (code.failedAttempts >= MAX_FAILED_ATTEMPTS) return { ok: false, reason: "locked" };
    if (!input.token || hashToken(input.token) !== code.tokenHash) {
      await countWrongBatchCode(tx, code);
      return wrongCode(code.failedAttempts + 1);
    }
    return null;
  });
  if (checked) return checked;

  const awaiting = await awaitingRequestIds(db, input);
  if (awaiting.length === 0) return { ok: false, reason: "nothing_to_answer" };

  const tally = emptyTally();
  for (const part of chunks(awaiting, REQUESTS_PER_TRANSACTION)) {
    // Counted from what committed: a transaction PostgreSQL runs again counts once.
    const { counted, isCodeGone } = await db.transaction(async (tx) => {
      // A resend may have rotated the code since it was checked: stop there, counting nothing
      // against the new code (held until commit: on PostgreSQL its row, on SQLite the write lock).
      if ((await lockBatchCode(tx, batchId, actorId))?.tokenHash !== hashToken(input.token)) {
        return { counted: emptyTally(), isCodeGone: true };
      }
      const notices = new BatchEndNotices();
      const answered = await answerPart(tx, { input, requestIds: part, now, notices });
      await notices.flush(tx, now);
      return answered;
    });
    for (const key of Object.keys(tally) as (keyof Tally)[]) tally[key] += counted[key];
    if (isCodeGone) break;
  }
  if (tally.answered === 0 && tally.skipped === 0) {
    // Only a code rotated meanwhile gets here.
    const failed = (await readBatchCode(db.read, batchId, actorId))?.failedAttempts ?? MAX_FAILED_ATTEMPTS;
    return failed >= MAX_FAILED_ATTEMPTS ? { ok: false, reason: "locked" } : wrongCode(failed);
  }
  return { ok: true, ...tally };
}

/** The batch's pending requests still waiting for the actor's answer (only those named, if any), by id. */
async function awaitingRequestIds(db: Db, input: AnswerBatchInput): Promise<number[]> {
  const named = input.requestIds?.filter((id) => Number.isSafeInteger(id) && id > 0);
  if (named && named.length === 0) return [];
  const rows = await db.read
    .select({ id: changeRequests.id })
    .from(changeRequests)
    .innerJoin(confirmations, eq(confirmations.requestId, changeRequests.id))
    .where(
      and(
        eq(changeRequests.batchId, input.batchId),
        eq(changeRequests.state, "pending"),
        eq(confirmations.accountId, input.actorId),
        isNull(confirmations.decision),
        named ? inArray(changeRequests.id, named.slice(0, 500)) : undefined,
      ),
    )
    .orderBy(asc(changeRequests.id));
  return rows.map((row) => row.id);
}

type Tally = {
  answered: number;
  done: number;
  waiting: number;
  refused: number;
  cancelled: number;
  skipped: number;
};

const emptyTally = (): Tally => ({ answered: 0, done: 0, waiting: 0, refused: 0, cancelled: 0, skipped: 0 });

/** Answers `requestIds` one by one in `tx`; stops when the code no longer works (a resend rotated it). */
async function answerPart(
  tx: Tx,
  {
    input,
    requestIds,
    now,
    notices,
  }: { input: AnswerBatchInput; requestIds: number[]; now: Date; notices: BatchEndNotices },
): Promise<{ counted: Tally; isCodeGone: boolean }> {
  const counted = emptyTally();
  for (const requestId of requestIds) {
    const result = await answerInTransaction(tx, { ...input, requestId }, now, notices);
    if (result.ok) {
      counted.answered += 1;
      counted[result.outcome] += 1;
    } else if (result.reason === "wrong_code" || result.reason === "locked") {
      return { counted, isCodeGone: true };
    } else {
      counted.skipped += 1;
    }
  }
  return { counted, isCodeGone: false };
}

const wrongCode = (failedAttempts: number): AnswerBatchResult => ({
  ok: false,
  reason: "wrong_code",
  attemptsLeft: Math.max(0, MAX_FAILED_ATTEMPTS - failedAttempts),
});
