import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..");

function sourcesUnder(dir: string): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...sourcesUnder(file));
    else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) found.push(file);
  }
  return found;
}

// What only one engine's driver has. The use cases await drizzle's builders instead (db/client.ts).
const SQLITE_ONLY = [
  { name: ".get()/.all()/.run() on a query", pattern: /\)\s*\.(get|all|run)\(\s*\)/ },
  { name: "the SQLite client", pattern: /\$client\b|sqliteClientOf\(/ },
  { name: "better-sqlite3 itself", pattern: /from "better-sqlite3"/ },
  { name: "SQLite's transaction behaviour", pattern: /behavior:\s*"(immediate|deferred|exclusive)"/ },
  { name: "SQLite's JSON functions", pattern: /json_extract\(/ },
];

describe("the use cases and pages speak only the data-access layer", () => {
  const files = ["lib", "app", "components"]
    .flatMap(sourcesUnder)
    .filter((file) => !file.includes("/testing/"));

  it("finds the sources it checks", () => {
    expect(files.length).toBeGreaterThan(50);
  });

  it.each(SQLITE_ONLY)("no source uses $name", ({ pattern }) => {
    const offenders = files.filter((file) => pattern.test(fs.readFileSync(path.join(ROOT, file), "utf8")));
    expect(offenders).toEqual([]);
  });
});
