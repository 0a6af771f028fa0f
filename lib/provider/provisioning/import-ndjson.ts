import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { type Db, isUniqueViolation, type Tx } from "@/db/client";
import { importRuns } from "@/db/schema";
import { applyImportBatch, type BatchOutcome, type NumberedLine } from "./apply-import-batch";
import type { ImportLineError, ImportReport } from "./index";
import { parseImportLine } from "./parse-import-line";

export type ImportOptions = {
  /** Names the import in import_runs (a file's path, or a name the API client gives). */
  source: string;
  /** Resume the last unfinished run of `source` after its last committed line. */
  resume?: boolean;
  /** Called after each committed batch (the HTTP door streams progress from it). */
  onProgress?: (progress: { linesDone: number; accounts: number; services: number; errors: number }) => void;
  /** Called for each refused line once its batch is committed, beyond the report's first 1,000 too. */
  onLineError?: (error: ImportLineError) => void;
  /** Lines per transaction (tests make it small). */
  batchSize?: number;
  /** The clock, for tests. */
  now?: () => Date;
};

/** Lines per transaction: big enough that a commit's cost is spread thin, small enough to hold little. */
export const IMPORT_BATCH_SIZE = 2_000;
/** Errors the report lists; the rest are only counted (`moreErrors`). */
const MAX_REPORTED_ERRORS = 1_000;

/**
 * Upserts accounts and services from NDJSON lines (importLineSchema), in batches, each batch one
 * transaction; a line that is not valid or cannot be applied is reported with its number and the
 * rest goes on. Reads `lines` as a stream and never holds the file.
 *
 * Each batch's progress is written to import_runs in the batch's own transaction, so a run that
 * stopped (a crash, a killed process) resumes exactly after its last committed line.
 */
export async function importNdjson(
  db: Db,
  lines: AsyncIterable<string>,
  options: ImportOptions,
): Promise<ImportReport> {
  // Taken before anything is awaited: a readline interface (a file, a request's body) emits lines
  // whether or not anyone listens, and drops those that come before its iterator exists.
  const iterator = lines[Symbol.asyncIterator]();
  const clock = options.now ?? (() => new Date());
  const batchSize = options.batchSize ?? IMPORT_BATCH_SIZE;
  const run = await startRun(db, options, clock());
  const report: ImportReport = {
    runId: run.id,
    fromLine: run.linesDone + 1,
    linesRead: 0,
    accounts: 0,
    services: 0,
    errors: [],
    moreErrors: 0,
  };
  const addErrors = (errors: ImportLineError[]) => {
    for (const error of errors) {
      options.onLineError?.(error);
      if (report.errors.length < MAX_REPORTED_ERRORS) report.errors.push(error);
      else report.moreErrors += 1;
    }
  };

  let number = 0;
  let batch: NumberedLine[] = [];
  let refused: ImportLineError[] = [];
  let lastNumber = run.linesDone;
  let committedNumber = run.linesDone;
  const commit = async () => {
    const outcome = await applyBatch(db, {
      runId: run.id,
      batch,
      refused,
      linesDone: lastNumber,
      now: clock(),
    });
    report.accounts += outcome.accounts;
    report.services += outcome.services;
    addErrors(outcome.errors);
    batch = [];
    refused = [];
    committedNumber = lastNumber;
    options.onProgress?.({
      linesDone: lastNumber,
      accounts: report.accounts,
      services: report.services,
      errors: report.errors.length + report.moreErrors,
    });
  };

  for await (const text of { [Symbol.asyncIterator]: () => iterator }) {
    number += 1;
    if (number <= run.linesDone) continue;
    report.linesRead += 1;
    lastNumber = number;
    const parsed = parseImportLine(text);
    if (parsed?.ok) batch.push({ number, line: parsed.line });
    else if (parsed) refused.push({ line: number, message: parsed.message });
    if (batch.length + refused.length >= batchSize) await commit();
  }
  // The last lines, and blank ones at the end, which move the run's progress too.
  if (lastNumber > committedNumber) await commit();
  await db.transaction(async (tx) => {
    await tx
      .update(importRuns)
      .set({ finishedAt: clock(), updatedAt: clock() })
      .where(eq(importRuns.id, run.id));
  });
  return report;
}

/** The run to continue (the last unfinished one of `source`, when resuming) or a new one. */
async function startRun(
  db: Db,
  options: ImportOptions,
  now: Date,
): Promise<{ id: number; linesDone: number }> {
  return db.transaction(async (tx) => {
    if (options.resume) {
      const [unfinished] = await tx
        .select({ id: importRuns.id, linesDone: importRuns.linesDone })
        .from(importRuns)
        .where(and(eq(importRuns.source, options.source), isNull(importRuns.finishedAt)))
        .orderBy(desc(importRuns.id))
        .limit(1);
      if (unfinished) return unfinished;
    }
    const [created] = await tx
      .insert(importRuns)
      .values({ source: options.source, createdAt: now, updatedAt: now })
      .returning({ id: importRuns.id, linesDone: importRuns.linesDone });
    return created as { id: number; linesDone: number };
  });
}

/**
 * Applies a batch and records the run's progress in one transaction. Should another writer take
 * a customer ID, an address or a service between the batch's lookups and its writes (the database
 * refuses it as a duplicate, which ends the whole transaction on PostgreSQL), the batch is done
 * again line by line, each line in a transaction of its own, so only that line is refused.
 */
async function applyBatch(
  db: Db,
  input: { runId: number; batch: NumberedLine[]; refused: ImportLineError[]; linesDone: number; now: Date },
): Promise<BatchOutcome> {
  try {
    return await db.transaction((tx) => applyAndRecord(tx, input));
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
  }
  const outcome: BatchOutcome = { accounts: 0, services: 0, errors: [...input.refused] };
  for (const [index, entry] of input.batch.entries()) {
    const isLast = index === input.batch.length - 1;
    // The run's progress moves with each line; the lines refused before are counted with the last.
    const step = {
      ...input,
      batch: [entry],
      refused: isLast ? input.refused : [],
      linesDone: isLast ? input.linesDone : entry.number,
    };
    try {
      const done = await db.transaction((tx) => applyAndRecord(tx, step));
      outcome.accounts += done.accounts;
      outcome.services += done.services;
      outcome.errors.push(...done.errors);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const lost = {
        line: entry.number,
        message: "another writer changed the same account or service; try again",
      };
      outcome.errors.push(...step.refused, lost);
      await db.transaction((tx) =>
        recordProgress(tx, { ...step, applied: 0, failed: step.refused.length + 1 }),
      );
    }
  }
  outcome.errors.sort((a, b) => a.line - b.line);
  return outcome;
}

async function applyAndRecord(
  tx: Tx,
  input: { runId: number; batch: NumberedLine[]; refused: ImportLineError[]; linesDone: number; now: Date },
): Promise<BatchOutcome> {
  const applied = await applyImportBatch(tx, input.batch, input.now);
  const errors = [...input.refused, ...applied.errors].sort((a, b) => a.line - b.line);
  await recordProgress(tx, { ...input, applied: applied.accounts + applied.services, failed: errors.length });
  return { ...applied, errors };
}

async function recordProgress(
  tx: Tx,
  input: { runId: number; linesDone: number; applied: number; failed: number; now: Date },
): Promise<void> {
  await tx
    .update(importRuns)
    .set({
      linesDone: input.linesDone,
      applied: sql`${importRuns.applied} + ${input.applied}`,
      failed: sql`${importRuns.failed} + ${input.failed}`,
      updatedAt: input.now,
    })
    .where(eq(importRuns.id, input.runId));
}
