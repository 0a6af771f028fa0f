// `npm run bench:api [-- calls]` (default 1,000): a bulk change from one script through the
// automation API, as issue 9 measures it. Seeds a fresh SQLite database (.test-data/bench-api/)
// with seed-large (xx900000-ovh administering `calls` services alone, among others), gives that account an application
// and an authorized consumer key (the use cases behind Profile › API access and the validation
// page), starts the app as `npm start` does on BENCH_PORT (default 3400), puts a TLS front before
// it, and has OVHcloud's official client call `POST /{service path}/{name}/changeContact` on every
// such service, one call after another (the administrator takes the technical contact back: one
// request and one e-mail each). Prints the total time, calls per second, p50/p99 per call, and
// how many calls the API's rate limit answered 429 (the client waits the Retry-After and retries).
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import https from "node:https";
import { createRequire } from "node:module";
import path from "node:path";
import { and, eq, ne } from "drizzle-orm";
import { openDb } from "@/db/client";
import { accounts, services } from "@/db/schema";
import { createApiApplication } from "@/lib/api/auth/create-api-application";
import { decideApiCredential } from "@/lib/api/auth/decide-api-credential";
import { requestApiCredential } from "@/lib/api/auth/request-api-credential";
import { OVH_SERVICE_PATHS } from "@/lib/api/ovh/ovh-vocabulary";
import { startTlsFront } from "./tls-front";

const ROOT = path.resolve(import.meta.dirname, "..");
const TSX_CLI = path.join(ROOT, "node_modules/tsx/dist/cli.mjs");
const CALLS = Number(process.argv[2] ?? 1000);
const PORT = Number(process.env.BENCH_PORT || 3400);
const DATA_DIR = path.join(ROOT, ".test-data/bench-api");
const DATABASE_PATH = path.join(DATA_DIR, "app.db");
const AUTH_SECRET = randomBytes(32).toString("base64url");
process.env.AUTH_SECRET = AUTH_SECRET; // the application secret is encrypted under it, as the app does

type OvhClient = { requestPromised: (method: string, path: string, params?: object) => Promise<unknown> };
const ovh = createRequire(import.meta.url)("@ovhcloud/node-ovh") as (options: object) => OvhClient;

if (!Number.isSafeInteger(CALLS) || CALLS < 1) throw new Error("usage: bench-api.ts [calls]");
fs.rmSync(DATA_DIR, { recursive: true, force: true });
fs.mkdirSync(DATA_DIR, { recursive: true });
const env = { ...process.env, DATABASE_PATH, AUTH_SECRET, PORT: String(PORT) };
// seed-large cycles the account's roles over four services: one in four it administers alone.
const seeded = spawnSync(process.execPath, [TSX_CLI, "scripts/seed-large.ts", String(4 * CALLS + 4)], {
  cwd: ROOT,
  stdio: "inherit",
  env,
});
if (seeded.status !== 0) throw new Error("seed-large failed");

// The keys, made as Profile › API access and the validation page make them.
const db = openDb(DATABASE_PATH);
const [admin] = await db.read.select().from(accounts).where(eq(accounts.customerId, "xx900000-ovh"));
if (!admin) throw new Error("seed-large made no xx900000-ovh");
const application = await createApiApplication(db, { accountId: admin.id, name: "Bulk" });
if (!application.ok) throw new Error(application.reason);
const credential = await requestApiCredential(db, {
  applicationKey: application.applicationKey,
  accessRules: [{ method: "POST", path: "/*/changeContact" }],
});
if (!credential.ok) throw new Error(credential.reason);
const decided = await decideApiCredential(db, {
  credentialToken: credential.credentialToken,
  accountId: admin.id,
  approve: true,
});
if (!decided.ok) throw new Error(decided.reason);
// The services it administers whose technical contact is someone else, each as its API path.
const paths = (
  await db.read
    .select({ name: services.name, type: services.type })
    .from(services)
    .where(and(eq(services.adminId, admin.id), ne(services.techId, admin.id)))
    .limit(CALLS)
).map((row) => `/${OVH_SERVICE_PATHS[row.type]}/${encodeURIComponent(row.name)}/changeContact`);
if (paths.length < CALLS) throw new Error(`only ${paths.length} services to change`);
await db.close();

const server: ChildProcess = spawn(process.execPath, [TSX_CLI, "scripts/start.ts"], {
  cwd: ROOT,
  detached: true,
  stdio: "ignore",
  env,
});
const stop = () => {
  try {
    process.kill(-(server.pid as number), "SIGTERM");
  } catch {
    // Already gone.
  }
};
process.on("exit", stop);
const deadline = Date.now() + 300_000;
for (;;) {
  try {
    if ((await fetch(`http://localhost:${PORT}/api/health`)).ok) break;
  } catch {
    // Not listening yet.
  }
  if (Date.now() > deadline) throw new Error("the app did not start");
  await new Promise((resolve) => setTimeout(resolve, 500));
}

const front = await startTlsFront(`http://localhost:${PORT}`);
https.globalAgent.options.ca = front.certificate;
const client = ovh({
  appKey: application.applicationKey,
  appSecret: application.applicationSecret,
  consumerKey: credential.consumerKey,
  host: "localhost",
  port: front.port,
  basePath: "/api/1.0",
});

const durations: number[] = [];
let throttled = 0;
const started = performance.now();
for (const servicePath of paths) {
  const callStarted = performance.now();
  for (;;) {
    try {
      await client.requestPromised("POST", servicePath, {
        contactTech: admin.customerId,
      });
      break;
    } catch (error) {
      const { error: status } = error as { error: number };
      if (status !== 429) throw new Error(`${servicePath}: ${JSON.stringify(error)}`);
      // OVH's client does not expose headers: wait the limit's refill time, as Retry-After says.
      throttled++;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
  durations.push(performance.now() - callStarted);
}
const total = (performance.now() - started) / 1000;
durations.sort((a, b) => a - b);
const at = (q: number) =>
  Math.round(durations[Math.min(durations.length - 1, Math.floor(q * durations.length))] ?? 0);
console.log(
  `${CALLS} changeContact calls in ${total.toFixed(1)} s (${(CALLS / total).toFixed(1)}/s), ` +
    `p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, ${throttled} answered 429. Target: ≤ 60 s.`,
);
await front.close();
stop();
process.exit(0);
