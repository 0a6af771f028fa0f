/**
 * A worker thread that submits edit forms through its own database connection, for the
 * concurrency tests of request-contact-change. For each job it opens the database, says
 * `ready`, blocks on the job's shared gate until the test opens it for every worker at once,
 * then submits, reports and closes its connection. It stays alive for the next job, since
 * loading the app's modules through tsx is the slow part. Started by `startSubmissionWorkers`
 * in request-contact-change.test.ts.
 */
import { parentPort } from "node:worker_threads";
import { openDb } from "@/db/client";
import {
  type RequestContactChangeInput,
  type RequestContactChangeResult,
  requestContactChange,
} from "@/lib/requests/request-contact-change";

export type SubmissionJob = {
  /** What `openDb` opens: the test database's `location` (a SQLite file or a PostgreSQL URL). */
  location: string;
  /** `now` travels as an ISO string. */
  input: Omit<RequestContactChangeInput, "now"> & { now: string };
  /** Int32 slot 0: 0 while closed, 1 once the test lets every worker go. */
  gate: SharedArrayBuffer;
};

export type SubmissionWorkerMessage =
  | { kind: "loaded" }
  | { kind: "ready" }
  | { kind: "done"; result: RequestContactChangeResult }
  | { kind: "error"; message: string; code?: string };

if (parentPort) {
  const port = parentPort;
  const post = (message: SubmissionWorkerMessage) => port.postMessage(message);
  port.on("message", async (job: SubmissionJob) => {
    const db = openDb(job.location);
    try {
      post({ kind: "ready" });
      Atomics.wait(new Int32Array(job.gate), 0, 0);
      post({
        kind: "done",
        result: await requestContactChange(db, { ...job.input, now: new Date(job.input.now) }),
      });
    } catch (error) {
      post({
        kind: "error",
        message: error instanceof Error ? error.message : String(error),
        code: (error as { code?: string })?.code,
      });
    } finally {
      await db.close();
    }
  });
  post({ kind: "loaded" });
}
