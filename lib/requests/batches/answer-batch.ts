import type { Db } from "@/db/client";
import type { Decision } from "@/db/schema";

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
  /** The code is wrong (counted), or locked after too many wrong ones until a resend. */
  | { ok: false; reason: "wrong_code" | "locked" }
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
 * A confirmer answers a batch with its one code: every request awaiting them, or the ones named.
 * The code is checked against the batch (a wrong one counts once, per batch); each request is then
 * answered as on its own page (spent once, applied with a re-check when the last one accepts).
 */
export async function answerBatch(db: Db, input: AnswerBatchInput): Promise<AnswerBatchResult> {
  void db;
  void input;
  throw new Error("not implemented");
}
