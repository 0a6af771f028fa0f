// Imports accounts and services from an NDJSON file (one account or service a line, as
// lib/provider/provisioning/provisioning-schemas.ts describes), into the SQLite file at
// DATABASE_PATH or PostgreSQL at DATABASE_URL, migrating it first:
//   npm run import -- FILE [--resume]
// --resume continues the last unfinished import of FILE after its last committed line. Prints
// progress and each refused line; exits 1 when any line was refused.
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { migrateDb, openDb, whileHoldingSetupLock } from "@/db/client";
import { databasePath, databaseUrl, describeLocation } from "@/lib/config";
import { importNdjson } from "@/lib/provider/provisioning";

const args = process.argv.slice(2);
const file = args.find((arg) => !arg.startsWith("--"));
const unknownFlags = args.filter((arg) => arg.startsWith("--") && arg !== "--resume");
if (!file || unknownFlags.length > 0) {
  console.error("usage: npm run import -- FILE [--resume]");
  process.exit(2);
}
if (!fs.existsSync(file)) {
  console.error(`no file ${file}`);
  process.exit(2);
}

const location = databaseUrl() ?? databasePath();
const db = openDb(location);
try {
  await whileHoldingSetupLock(db, () => migrateDb(db));
  const started = performance.now();
  const lines = readline.createInterface({
    input: fs.createReadStream(file),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  const report = await importNdjson(db, lines, {
    // The absolute path: the same file resumes from wherever the command is run.
    source: path.resolve(file),
    resume: args.includes("--resume"),
    onLineError: (error) => console.error(`line ${error.line}: ${error.message}`),
    onProgress: (progress) => {
      const seconds = (performance.now() - started) / 1000;
      console.log(
        `line ${progress.linesDone}: ${progress.accounts} accounts, ${progress.services} services, ${progress.errors} refused (${seconds.toFixed(1)} s)`,
      );
    },
  });
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `Imported ${file} into ${describeLocation(location)} from line ${report.fromLine}: ${report.linesRead} lines read, ` +
      `${report.accounts} accounts and ${report.services} services applied, ${report.errors.length + report.moreErrors} refused, in ${seconds.toFixed(1)} s (run ${report.runId}).`,
  );
  process.exitCode = report.errors.length + report.moreErrors > 0 ? 1 : 0;
} finally {
  await db.close();
}
