import type { Db } from "@/db/client";
import { isRowId } from "@/db/row-id";
import type { Decision } from "@/db/schema";
import { kickOutboxSender } from "@/lib/email/outbox-sender";
import { answerRequestThrottled } from "@/lib/requests/answer-request-throttled";
import { secondsUntil } from "@/lib/throttle/throttle-policy";
import { type ApiResponse, notFound, ok, tooManyRequests } from "./api-response";
import { TASK_NOT_FOUND, taskRefusalResponse } from "./task-refusal-response";

/**
 * `POST /me/task/contactChange/{id}/accept` and `…/refuse`: the page's answer, through the same
 * door. The code attempt is reserved against the account and the client address first (the
 * throttle the page applies, lib/throttle/code-attempts.ts), then answerRequest decides; only a
 * wrong code keeps counting. 200 with `null` when the answer is taken, whatever it led to (the
 * task then reads `done`, `refused`, `aborted`, or still `validatingByCustomers`).
 */
export async function answerContactChangeTask(
  db: Db,
  input: {
    taskId: number;
    accountId: number;
    token: string;
    decision: Decision;
    clientAddress: string;
    now: Date;
  },
): Promise<ApiResponse> {
  // An id no row can have: absent, before any attempt is counted (the page's form refuses it too).
  if (!isRowId(input.taskId)) return notFound(TASK_NOT_FOUND);
  const { now } = input;
  const result = await answerRequestThrottled(db, {
    requestId: input.taskId,
    actorId: input.accountId,
    token: input.token,
    decision: input.decision,
    clientAddress: input.clientAddress,
    now,
  });
  if (!result.ok && result.reason === "throttled") {
    const seconds = secondsUntil(result.retryAt, now);
    return tooManyRequests(`Too many wrong tokens lately. Try again in ${seconds} s.`, seconds);
  }
  // An answer queues e-mails (the end of the task), and so does an expiry it records.
  kickOutboxSender();
  return result.ok ? ok(null) : taskRefusalResponse(result, now);
}
