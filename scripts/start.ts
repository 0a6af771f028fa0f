// `npm start`: the embedded default with no setup. Creates and keeps an auth secret (with
// DATABASE_URL, for instances sharing PostgreSQL, AUTH_SECRET must be given instead),
// applies migrations, seeds the demo data on an empty database, builds when the build
// is missing or older than the sources, then serves on PORT (default 3000): on the loopback
// interface only in demo mode (no e-mail provider), see scripts/serve.ts.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { resendWebhookSecret } from "@/lib/config";
import { ensureAuthSecret } from "./auth-secret";
import { prepareDatabase } from "./prepare-db";
import { listenHostsOrExit, serve } from "./serve";

const ROOT = path.resolve(import.meta.dirname, "..");
const NEXT_BIN = path.join(ROOT, "node_modules/next/dist/bin/next");
const BUILD_INPUTS = [
  "app",
  "components",
  "lib",
  "db",
  "i18n",
  "messages",
  "public",
  "auth.ts",
  "proxy.ts",
  "instrumentation.ts",
  "next.config.ts",
  "postcss.config.mjs",
  "tsconfig.json",
  "package-lock.json",
];

function newestMtime(entry: string): number {
  const full = path.join(ROOT, entry);
  if (!fs.existsSync(full)) return 0;
  const stat = fs.statSync(full);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const child of fs.readdirSync(full)) newest = Math.max(newest, newestMtime(path.join(entry, child)));
  return newest;
}

function isBuildStale(): boolean {
  const buildId = path.join(ROOT, ".next/BUILD_ID");
  if (!fs.existsSync(buildId)) return true;
  const builtAt = fs.statSync(buildId).mtimeMs;
  return BUILD_INPUTS.some((entry) => newestMtime(entry) > builtAt);
}

// Refused before anything else: demo mode beyond this machine (scripts/serve.ts).
listenHostsOrExit();
// A mistyped webhook secret stops the start, instead of refusing every bounce Resend reports.
try {
  resendWebhookSecret();
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
ensureAuthSecret();
await prepareDatabase({ seed: true });
if (isBuildStale()) {
  console.log("Building the app…");
  const build = spawnSync(process.execPath, [NEXT_BIN, "build"], { cwd: ROOT, stdio: "inherit" });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
await serve();
