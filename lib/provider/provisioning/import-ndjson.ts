import type { Db } from "@/db/client";
import type { ImportReport } from "./index";

export type ImportOptions = {
  /** Names the import in import_runs (a file's path, or a name the API client gives). */
  source: string;
  /** Resume the last unfinished run of `source` after its last committed line. */
  resume?: boolean;
  /** Called after each committed batch (the HTTP door streams progress from it). */
  onProgress?: (progress: { linesDone: number; accounts: number; services: number; errors: number }) => void;
};

/**
 * Upserts accounts and services from NDJSON lines (importLineSchema), in batches, each batch one
 * transaction; a line that is not valid or cannot be applied is reported with its number and the
 * rest goes on. Reads `lines` as a stream and never holds the file.
 */
export async function importNdjson(
  _db: Db,
  _lines: AsyncIterable<string>,
  _options: ImportOptions,
): Promise<ImportReport> {
  throw new Error("not implemented");
}
