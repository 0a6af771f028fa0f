// `npm run db:generate`: drizzle-kit migrations for both engines from db/schema.sqlite.ts and
// db/schema.pg.ts. PostgreSQL's are then written without the `"public".` drizzle-kit puts before
// referenced tables, so the app (and each test's own schema) can live in any schema of its
// search_path; db/schema-parity.test.ts checks that none is left.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..");
const extra = process.argv.slice(2);
for (const config of ["drizzle.config.ts", "drizzle.pg.config.ts"]) {
  const result = spawnSync("npx", ["drizzle-kit", "generate", "--config", config, ...extra], {
    cwd: ROOT,
    stdio: "inherit",
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
const folder = path.join(ROOT, "db/migrations-pg");
for (const file of fs.readdirSync(folder).filter((name) => name.endsWith(".sql"))) {
  const full = path.join(folder, file);
  const text = fs.readFileSync(full, "utf8");
  if (text.includes('"public".')) fs.writeFileSync(full, text.replaceAll('"public".', ""));
}
