/**
 * A pool of worker threads (answer-request.worker.ts) that fire answerRequest calls at one
 * database (a SQLite file or a PostgreSQL URL, `Db.location`) at the same moment, each call
 * through its own connection.
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { AnswerRequestResult } from "../answer-request";
import type { AnswerAttempt, AnswerJob, AnswerWorkerMessage } from "./answer-request.worker";

export type { AnswerAttempt } from "./answer-request.worker";

const WORKER_FILE = pathToFileURL(fileURLToPath(new URL("./answer-request.worker.ts", import.meta.url))).href;
// tsx's ES module API, found through its package.json: `require.resolve` would pick its CommonJS
// build, which cannot register tsx's hooks in a worker on Node 20.
const TSX_API = (() => {
  const manifest = createRequire(import.meta.url).resolve("tsx/package.json");
  const { exports } = JSON.parse(fs.readFileSync(manifest, "utf8")) as {
    exports: { "./esm/api": { import: { default: string } } };
  };
  return pathToFileURL(path.join(path.dirname(manifest), exports["./esm/api"].import.default)).href;
})();
// Node 20 will not start a worker from a .ts file, so a tiny bootstrap loads it through tsx.
const BOOTSTRAP = `import(${JSON.stringify(TSX_API)}).then((api) => api.tsImport(${JSON.stringify(
  WORKER_FILE,
)}, ${JSON.stringify(WORKER_FILE)}));`;

export type AnswerWorkers = {
  /**
   * Spreads the attempts over the workers (round robin), lets them all go at once and returns
   * the results in the attempts' order. Each attempt has its own connection, opened before the
   * gate opens; a worker makes its several attempts one after the other.
   */
  race: (location: string, attempts: AnswerAttempt[]) => Promise<AnswerRequestResult[]>;
  terminate: () => Promise<void>;
};

function next<K extends AnswerWorkerMessage["kind"]>(
  worker: Worker,
  kind: K,
): Promise<Extract<AnswerWorkerMessage, { kind: K }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: AnswerWorkerMessage) => {
      worker.off("error", onError);
      worker.off("message", onMessage);
      if (message.kind === kind) resolve(message as Extract<AnswerWorkerMessage, { kind: K }>);
      else reject(new Error(`worker said ${JSON.stringify(message)} instead of ${kind}`));
    };
    const onError = (error: Error) => {
      worker.off("message", onMessage);
      reject(error);
    };
    worker.on("message", onMessage);
    worker.once("error", onError);
  });
}

/** Starts `count` workers and waits until each has loaded the app's modules. */
export async function startAnswerWorkers(count: number): Promise<AnswerWorkers> {
  const workers = Array.from({ length: count }, () => new Worker(BOOTSTRAP, { eval: true }));
  try {
    await Promise.all(workers.map((worker) => next(worker, "loaded")));
  } catch (error) {
    await Promise.all(workers.map((worker) => worker.terminate()));
    throw error;
  }
  return {
    async race(location, attempts) {
      const shares = workers.map(() => [] as { index: number; attempt: AnswerAttempt }[]);
      attempts.forEach((attempt, index) => {
        shares[index % workers.length]?.push({ index, attempt });
      });
      const busy = workers
        .map((worker, i) => ({ worker, share: shares[i] ?? [] }))
        .filter(({ share }) => share.length > 0);
      const gate = new SharedArrayBuffer(4);
      const ready = busy.map(({ worker }) => next(worker, "ready"));
      for (const { worker, share } of busy) {
        worker.postMessage({ location, attempts: share.map((s) => s.attempt), gate } satisfies AnswerJob);
      }
      await Promise.all(ready);
      // Every worker now blocks on the gate with its connections open: let them all go at once.
      const done = busy.map(({ worker }) => next(worker, "done"));
      Atomics.store(new Int32Array(gate), 0, 1);
      Atomics.notify(new Int32Array(gate), 0);
      const messages = await Promise.all(done);
      const results: AnswerRequestResult[] = new Array(attempts.length);
      busy.forEach(({ share }, i) => {
        share.forEach(({ index }, j) => {
          const outcome = messages[i]?.outcomes[j];
          if (!outcome || "error" in outcome) {
            throw new Error(`attempt ${index} failed: ${JSON.stringify(outcome)}`);
          }
          results[index] = outcome.result;
        });
      });
      return results;
    },
    async terminate() {
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };
}
