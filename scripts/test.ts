// `npm test`: unit tests (vitest: all on SQLite, the database tests again on PostgreSQL), then
// browser tests (Playwright against the production build), then one plain line
// `N passed, N failed` counting both, for CI. PostgreSQL is a private cluster started here.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { startPostgresCluster } from "./postgres-cluster";

const ROOT = path.resolve(import.meta.dirname, "..");
const RESULTS = path.join(ROOT, "test-results");
fs.mkdirSync(RESULTS, { recursive: true });
const unitJson = path.join(RESULTS, "unit.json");
const e2eJson = path.join(RESULTS, "e2e.json");
fs.rmSync(unitJson, { force: true });
fs.rmSync(e2eJson, { force: true });

const postgres = await startPostgresCluster();
process.on("exit", () => postgres.stop());

function run(args: string[], env: Record<string, string> = {}): number {
  const result = spawnSync("npx", args, {
    cwd: ROOT,
    stdio: "inherit",
    env: { ...process.env, TEST_POSTGRES_URL: postgres.url, ...env },
  });
  return result.status ?? 1;
}

function readJson(file: string): Record<string, unknown> | null {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return null;
  }
}

const unitStatus = run([
  "vitest",
  "run",
  "--reporter=default",
  "--reporter=json",
  `--outputFile.json=${unitJson}`,
]);
const e2eStatus = run(["playwright", "test"], { PLAYWRIGHT_JSON_OUTPUT_NAME: e2eJson });

const unit = readJson(unitJson) as { numPassedTests?: number; numFailedTests?: number } | null;
const e2e = readJson(e2eJson) as {
  stats?: { expected?: number; unexpected?: number; flaky?: number };
} | null;
const passed = (unit?.numPassedTests ?? 0) + (e2e?.stats?.expected ?? 0) + (e2e?.stats?.flaky ?? 0);
let failed = (unit?.numFailedTests ?? 0) + (e2e?.stats?.unexpected ?? 0);
// A runner that crashed before reporting still fails the run.
if (unitStatus !== 0 && !unit?.numFailedTests) failed += 1;
if (e2eStatus !== 0 && !e2e?.stats?.unexpected) failed += 1;
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed > 0 || unitStatus !== 0 || e2eStatus !== 0 ? 1 : 0);
