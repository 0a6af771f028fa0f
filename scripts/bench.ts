// `npm run bench [-- 10000 100000]`: My contacts against a bare signed-in page of the same
// app, on the production build, with autocannon. For each size it seeds a fresh database
// (.test-data/bench-<size>/app.db) with seed-large, starts the app as `npm start` does,
// signs in as the large account over HTTP, warms up, then loads, with the same connections and
// duration: /bench/bare, My contacts' first page, a page from the middle of the list (keyset:
// `?after=` the service half-way, page 1,000 at 100,000 services), and a search that matches one
// service of the account (the trigram index). Prints req/s and p50/p99 of each and their ratios
// against the targets. Exits non-zero only when something broke.
//
// Environment: BENCH_DURATION (s, default 10), BENCH_WARMUP (s, default 3),
// BENCH_CONNECTIONS (default 10), BENCH_PORT (default 3300),
// BENCH_START_TIMEOUT (s, default 300: a build may come first).
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { sql } from "drizzle-orm";
import { openDb, rawRows } from "@/db/client";
import { DEMO_PASSWORD } from "@/db/seed";

const ROOT = path.resolve(import.meta.dirname, "..");
const TSX_CLI = path.join(ROOT, "node_modules/tsx/dist/cli.mjs");
// seed-large.ts's default account (importing that script would run it).
const ACCOUNT = "xx900000-ovh";
const SESSION_COOKIE = "authjs.session-token";

const envNumber = (name: string, fallback: number) => {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
};
const DURATION = envNumber("BENCH_DURATION", 10);
const WARMUP = envNumber("BENCH_WARMUP", 3);
const CONNECTIONS = envNumber("BENCH_CONNECTIONS", 10);
const PORT = envNumber("BENCH_PORT", 3300);
const START_TIMEOUT_S = envNumber("BENCH_START_TIMEOUT", 300);
const BASE_URL = `http://localhost:${PORT}`; // not 127.0.0.1: see STACK.md

const numericArgs = process.argv.slice(2).filter((a) => /^\d+$/.test(a));
const SIZES = numericArgs.length > 0 ? numericArgs.map(Number) : [10_000, 100_000];

const TARGET_RATIO = 0.7;
const TARGET_P99_GROWTH = 1.3;

// autocannon ships no types; this is the part of its programmatic API used here.
type AutocannonResult = {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodeStats: Record<string, { count: number }>;
};
type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  headers?: Record<string, string>;
}) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

class BenchError extends Error {}

// ---------------------------------------------------------------- the server

let server: ChildProcess | null = null;
const serverLog: string[] = [];

function startServer(databasePath: string): ChildProcess {
  const child = spawn(process.execPath, [TSX_CLI, "scripts/start.ts"], {
    cwd: ROOT,
    // Its own process group, so tsx, start.ts and `next start` all stop together.
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, DATABASE_PATH: databasePath, PORT: String(PORT), BENCH_PAGES: "1" },
  });
  const onData = (chunk: Buffer) => {
    for (const line of chunk.toString().split("\n")) {
      if (!line.trim()) continue;
      serverLog.push(line);
      if (serverLog.length > 80) serverLog.shift();
      if (/Building the app|error/i.test(line)) console.log(`  [server] ${line}`);
    }
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  return child;
}

async function stopServer(): Promise<void> {
  const child = server;
  server = null;
  if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-(child.pid as number), signal);
    } catch {
      // Already gone.
    }
  };
  killGroup("SIGTERM");
  const timer = setTimeout(() => killGroup("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
  killGroup("SIGKILL"); // anything left in the group
}

async function get(url: string, init: RequestInit = {}): Promise<Response> {
  return fetch(url, { redirect: "manual", signal: AbortSignal.timeout(30_000), ...init });
}

async function isAnswering(): Promise<boolean> {
  try {
    await get(`${BASE_URL}/login`, { signal: AbortSignal.timeout(2_000) });
    return true;
  } catch {
    return false;
  }
}

async function waitForServer(child: ChildProcess): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_S * 1000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new BenchError(`the server exited (${child.exitCode ?? child.signalCode}) before answering`);
    }
    try {
      const response = await get(`${BASE_URL}/login`, { signal: AbortSignal.timeout(5_000) });
      if (response.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new BenchError(`the server did not answer within ${START_TIMEOUT_S} s`);
}

// ---------------------------------------------------------------- signing in

function setCookies(response: Response): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const header of response.headers.getSetCookie()) {
    const [pair = ""] = header.split(";");
    const eq = pair.indexOf("=");
    if (eq > 0) cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1));
  }
  return cookies;
}

/** The real credentials flow of Auth.js: CSRF token, then the callback; returns the Cookie header. */
async function signIn(): Promise<string> {
  const csrf = await get(`${BASE_URL}/api/auth/csrf`);
  if (csrf.status !== 200) throw new BenchError(`GET /api/auth/csrf answered ${csrf.status}`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const csrfCookies = [...setCookies(csrf)].map(([name, value]) => `${name}=${value}`).join("; ");
  const callback = await get(`${BASE_URL}/api/auth/callback/credentials`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: csrfCookies },
    body: new URLSearchParams({
      csrfToken,
      identifier: ACCOUNT,
      password: DEMO_PASSWORD,
      callbackUrl: `${BASE_URL}/contacts`,
    }),
  });
  const session = setCookies(callback).get(SESSION_COOKIE);
  if (!session) {
    throw new BenchError(`signing in as ${ACCOUNT} set no session cookie (status ${callback.status})`);
  }
  return `${SESSION_COOKIE}=${session}`;
}

/** The name My contacts lists first for the account: it must appear on the page. */
async function firstServiceName(databasePath: string): Promise<string> {
  const db = openDb(databasePath);
  try {
    const [row] = await rawRows<{ name: string }>(
      db.read,
      sql`SELECT s.name FROM services s JOIN accounts a ON a.customer_id = ${ACCOUNT}
         WHERE a.id IN (s.admin_id, s.tech_id, s.billing_id) ORDER BY s.name, s.id LIMIT 1`,
    );
    if (!row) throw new BenchError(`${ACCOUNT} has no services in ${databasePath}`);
    return row.name;
  } finally {
    await db.close();
  }
}

/**
 * The pages measured, each with a text its answer must contain: the bare page, My contacts from
 * the start, from the middle of the list, and searched for one service.
 */
async function benchPages(databasePath: string, size: number): Promise<{ path: string; expected: string }[]> {
  const db = openDb(databasePath);
  try {
    const nameAt = async (index: number) => {
      const [row] = await rawRows<{ name: string }>(
        db.read,
        sql`SELECT name FROM services WHERE admin_id = (SELECT id FROM accounts WHERE customer_id = ${ACCOUNT}) OR tech_id = (SELECT id FROM accounts WHERE customer_id = ${ACCOUNT}) OR billing_id = (SELECT id FROM accounts WHERE customer_id = ${ACCOUNT}) ORDER BY name, id LIMIT 1 OFFSET ${index}`,
      );
      return (row as { name: string }).name;
    };
    const middle = Math.floor(size / 2);
    const rare = await nameAt(Math.floor(size / 3));
    return [
      { path: "/bench/bare", expected: ACCOUNT },
      { path: "/contacts", expected: await firstServiceName(databasePath) },
      {
        path: `/contacts?after=${encodeURIComponent(await nameAt(middle - 1))}`,
        expected: await nameAt(middle),
      },
      { path: `/contacts?q=${encodeURIComponent(rare.replace(/\.example\.com$/, ""))}`, expected: rare },
    ];
  } finally {
    await db.close();
  }
}

async function checkPage(pathname: string, cookie: string, expected: string): Promise<void> {
  const response = await get(`${BASE_URL}${pathname}`, { headers: { cookie } });
  const body = await response.text();
  if (response.status !== 200) throw new BenchError(`GET ${pathname} answered ${response.status}`);
  if (!body.includes(expected)) throw new BenchError(`GET ${pathname} does not contain "${expected}"`);
}

// ---------------------------------------------------------------- loading

type Measure = { size: number; page: string; rps: number; p50: number; p99: number; requests: number };

async function load(pathname: string, cookie: string, duration: number): Promise<AutocannonResult> {
  const result = await autocannon({
    url: `${BASE_URL}${pathname}`,
    connections: CONNECTIONS,
    duration,
    headers: { cookie },
  });
  if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0) {
    const codes = Object.entries(result.statusCodeStats)
      .map(([code, { count }]) => `${code}×${count}`)
      .join(", ");
    throw new BenchError(
      `${pathname}: ${result.non2xx} non-2xx (${codes}), ${result.errors} errors, ${result.timeouts} timeouts`,
    );
  }
  return result;
}

async function benchSize(size: number): Promise<Measure[]> {
  const dir = path.join(ROOT, ".test-data", `bench-${size}`);
  const databasePath = path.join(dir, "app.db");
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });

  console.log(`\n== ${size} services (${path.relative(ROOT, databasePath)})`);
  const seed = spawnSync(process.execPath, [TSX_CLI, "scripts/seed-large.ts", String(size)], {
    cwd: ROOT,
    stdio: "inherit",
    timeout: 600_000,
    env: { ...process.env, DATABASE_PATH: databasePath },
  });
  if (seed.status !== 0) throw new BenchError(`seed-large failed (${seed.status ?? seed.signal})`);

  if (await isAnswering()) throw new BenchError(`something already answers on ${BASE_URL}; set BENCH_PORT`);
  console.log(`Starting the app on ${BASE_URL} (npm start; builds first if stale)…`);
  server = startServer(databasePath);
  try {
    await waitForServer(server);
    const cookie = await signIn();
    const pages = await benchPages(databasePath, size);
    for (const page of pages) await checkPage(page.path, cookie, page.expected);
    console.log(`Signed in as ${ACCOUNT}; warming up ${WARMUP} s per page…`);
    for (const { path: page } of pages) await load(page, cookie, WARMUP);

    const measures: Measure[] = [];
    for (const { path: page } of pages) {
      console.log(`Loading ${page}: ${CONNECTIONS} connections, ${DURATION} s…`);
      const result = await load(page, cookie, DURATION);
      measures.push({
        size,
        page,
        rps: result.requests.average,
        p50: result.latency.p50,
        p99: result.latency.p99,
        requests: result.requests.total,
      });
    }
    return measures;
  } finally {
    await stopServer();
  }
}

// ---------------------------------------------------------------- report

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? "").length))) ?? [];
  const line = (row: string[]) => `| ${row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(" | ")} |`;
  const [head = [], ...body] = rows;
  return [line(head), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...body.map(line)].join("\n");
}

function report(measures: Measure[]): void {
  console.log(
    `\nautocannon, ${CONNECTIONS} connections, ${DURATION} s per page, account ${ACCOUNT}, build of \`npm start\`\n`,
  );
  console.log(
    table([
      ["services", "page", "req/s", "p50 ms", "p99 ms", "requests"],
      ...measures.map((m) => [
        m.size.toLocaleString("en-US"),
        m.page,
        m.rps.toFixed(1),
        String(m.p50),
        String(m.p99),
        String(m.requests),
      ]),
    ]),
  );
  const find = (size: number, page: string) => measures.find((m) => m.size === size && m.page === page);
  const verdict = (pass: boolean) => (pass ? "PASS" : "FAIL");
  console.log("");
  for (const size of SIZES) {
    const bare = find(size, "/bench/bare");
    if (!bare) continue;
    for (const list of measures.filter((m) => m.size === size && m.page !== "/bench/bare")) {
      const ratio = list.rps / bare.rps;
      console.log(
        `${size.toLocaleString("en-US")} services: ${list.page} at ${(ratio * 100).toFixed(1)} % of /bench/bare's req/s ` +
          `(target ≥ ${TARGET_RATIO * 100} %): ${verdict(ratio >= TARGET_RATIO)}`,
      );
    }
  }
  const [smallest, ...larger] = [...SIZES].sort((a, b) => a - b);
  const base = smallest === undefined ? undefined : find(smallest, "/contacts");
  for (const size of larger) {
    const contacts = find(size, "/contacts");
    if (!base || !contacts) continue;
    const growth = contacts.p99 / base.p99;
    console.log(
      `/contacts p99(${size.toLocaleString("en-US")}) / p99(${base.size.toLocaleString("en-US")}) = ` +
        `${growth.toFixed(2)} (target ≤ ${TARGET_P99_GROWTH}): ${verdict(growth <= TARGET_P99_GROWTH)}`,
    );
  }
}

// ---------------------------------------------------------------- main

const perSizeBudgetS = START_TIMEOUT_S + 4 * (WARMUP + DURATION) + 660;
const watchdog = setTimeout(
  async () => {
    console.error("\nbench: took too long; stopping.");
    await stopServer();
    process.exit(1);
  },
  SIZES.length * perSizeBudgetS * 1000,
);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, async () => {
    await stopServer();
    process.exit(130);
  });
}

try {
  const measures: Measure[] = [];
  for (const size of SIZES) measures.push(...(await benchSize(size)));
  report(measures);
  clearTimeout(watchdog);
  process.exit(0);
} catch (error) {
  await stopServer();
  console.error(`\nbench failed: ${error instanceof Error ? error.message : String(error)}`);
  if (!(error instanceof BenchError) || /server/.test(String(error))) {
    if (serverLog.length > 0) console.error(`Last server output:\n${serverLog.join("\n")}`);
  }
  process.exit(1);
}
