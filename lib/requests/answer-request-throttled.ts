import type { Db } from "@/db/client";
import type { Decision } from "@/db/schema";
import { reserveCodeAttempt } from "@/lib/throttle/code-attempts";
import { type AnswerRequestResult, answerRequest } from "./answer-request";

export type ThrottledAnswerResult =
  | AnswerRequestResult
  /** Too many wrong codes from this account or client address lately: nothing was checked. */
  | { ok: false; reason: "throttled"; retryAt: Date };

/**
 * An answer with a validation code, as every door takes it (the request pages and the API): one
 * code attempt is reserved against the account and the client address before the code is
 * checked (lib/throttle/code-attempts.ts), then answerRequest decides; only a wrong code keeps
 * counting against the throttle.
 */
export async function answerRequestThrottled(
  db: Db,
  input: {
    requestId: number;
    actorId: number;
    token: string;
    decision: Decision;
    clientAddress: string;
    now?: Date;
  },
): Promise<ThrottledAnswerResult> {
  const { clientAddress, ...answer } = input;
  const reservation = await reserveCodeAttempt(db, {
    accountId: input.actorId,
    clientAddress,
    now: input.now,
  });
  if (!reservation.ok) return { ok: false, reason: "throttled", retryAt: reservation.retryAt };
  const result = await answerRequest(db, answer);
  if (result.ok || result.reason !== "wrong_code") await reservation.release();
  return result;
}
