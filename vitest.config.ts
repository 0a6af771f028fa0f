import fs from "node:fs";
import path from "node:path";
import { defineConfig } from "vitest/config";

const INCLUDE = [
  "lib/**/*.test.ts",
  "lib/**/*.test.tsx",
  "db/**/*.test.ts",
  "scripts/**/*.test.ts",
  "e2e/**/*.unit.test.ts",
  "app/**/*.test.ts",
];

/** Test files that open a database (`openTestDb`, directly or through a fixture): they run on both engines. */
function databaseTests(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (
        /\.test\.tsx?$/.test(entry.name) &&
        /openTestDb|testing\/[\w-]+-fixtures"/.test(fs.readFileSync(file, "utf8"))
      ) {
        found.push(path.relative(import.meta.dirname, file));
      }
    }
  };
  for (const dir of ["lib", "db", "app", "scripts"]) walk(path.join(import.meta.dirname, dir));
  return found.sort();
}

// `npm test` sets TEST_POSTGRES_URL to a private PostgreSQL cluster (scripts/postgres-cluster.ts).
const postgresUrl = process.env.TEST_POSTGRES_URL;

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: INCLUDE,
    environment: "node",
    // Password hashing and child processes are slow when CI runs browsers beside them.
    testTimeout: 20_000,
    // Vitest's default on 2 cores is one worker, and most database tests wait on PostgreSQL or on
    // child processes: three at once took the suite from about 250 to 175 s here.
    maxWorkers: 3,
    projects: [
      { extends: true, test: { name: "sqlite", env: { DATABASE_URL: "" } } },
      ...(postgresUrl
        ? [
            {
              extends: true as const,
              test: { name: "postgres", include: databaseTests(), env: { DATABASE_URL: postgresUrl } },
            },
          ]
        : []),
    ],
  },
});
