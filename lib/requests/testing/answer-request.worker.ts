/**
 * A worker thread that answers requests through database connections of its own, for the
 * concurrency tests of answer-request. For each job it opens one connection per attempt, says
 * `ready`, blocks on the job's shared gate until the test opens it for every worker at once,
 * then makes its attempts, reports and closes the connections. It stays alive for the next
 * job, since loading the app's modules through tsx is the slow part. Started by
 * `startAnswerWorkers` in answer-request-workers.ts.
 */
import { parentPort } from "node:worker_threads";
import { type Db, openDb } from "@/db/client";
import type { Decision } from "@/db/schema";
import { type AnswerRequestResult, answerRequest } from "@/lib/requests/answer-request";

/** One call of answerRequest; `now` travels as an ISO string. */
export type AnswerAttempt = {
  requestId: number;
  actorId: number;
  token: string;
  decision: Decision;
  now: string;
};

export type AnswerJob = {
  /** What `openDb` opens: the test database's `location` (a SQLite file or a PostgreSQL URL). */
  location: string;
  attempts: AnswerAttempt[];
  /** Int32 slot 0: 0 while closed, 1 once the test lets every worker go. */
  gate: SharedArrayBuffer;
};

/** What one attempt returned, or the error it threw (a test then fails on it). */
export type AttemptOutcome = { result: AnswerRequestResult } | { error: string; code?: string };

export type AnswerWorkerMessage =
  | { kind: "loaded" }
  | { kind: "ready" }
  | { kind: "done"; outcomes: AttemptOutcome[] }
  | { kind: "error"; message: string };

if (parentPort) {
  const port = parentPort;
  const post = (message: AnswerWorkerMessage) => port.postMessage(message);
  port.on("message", async (job: AnswerJob) => {
    const connections: Db[] = [];
    try {
      for (const _ of job.attempts) connections.push(openDb(job.location));
      post({ kind: "ready" });
      Atomics.wait(new Int32Array(job.gate), 0, 0);
      const outcomes: AttemptOutcome[] = [];
      for (const [i, attempt] of job.attempts.entries()) {
        try {
          outcomes.push({
            result: await answerRequest(connections[i] as Db, { ...attempt, now: new Date(attempt.now) }),
          });
        } catch (error) {
          outcomes.push({
            error: error instanceof Error ? error.message : String(error),
            code: (error as { code?: string })?.code,
          });
        }
      }
      post({ kind: "done", outcomes });
    } catch (error) {
      post({ kind: "error", message: error instanceof Error ? error.message : String(error) });
    } finally {
      for (const connection of connections) await connection.close();
    }
  });
  post({ kind: "loaded" });
}
