// `npm run bench [-- 10000 100000] [--db sqlite|postgres|both] [--instances N]`: My contacts and
// My requests against a bare signed-in page of the same app, on the production build, with
// autocannon, on each engine. For each engine and size it seeds a fresh database with seed-large
// (SQLite: .test-data/bench-<size>/app.db; PostgreSQL: a database bench_<size>, created for the
// run and dropped after it), starts N instances of the app as `npm start` does on consecutive
// ports, sharing the database and AUTH_SECRET, signs in as the large account over HTTP, checks
// every page on every instance, warms up, then loads, with the same connections (spread over the
// instances): /bench/bare, My contacts' first page, a page from the middle of the list (keyset:
// `?after=` the service half-way), a search that matches one service of the account (the trigram
// index), and My requests' first and middle pages (`?before=`, a tenth as many requests as
// services). The pages take turns, in rounds (BENCH_ROUNDS), so each list page is compared with
// the bare page's load of its own round. Prints req/s and p50/p99 of each, then the issue's
// targets: every list page ≥ 70 % of the bare page's req/s (the median of the rounds); its p50 at
// each larger size within 1.2× of the smallest's; PostgreSQL's req/s within 1.5× of SQLite's on one
// instance. Missed targets are reported; the exit status is non-zero only when something broke
// (any non-2xx answer).
//
// PostgreSQL: BENCH_POSTGRES_URL or TEST_POSTGRES_URL names a server whose user may CREATE
// DATABASE; without either, a private cluster is started for the run (scripts/postgres-cluster.ts)
// and removed after it.
//
// Environment: BENCH_DURATION (s per page over all rounds, default 12), BENCH_ROUNDS (default 4),
// BENCH_WARMUP (s, default 3),
// BENCH_CONNECTIONS (default 10, in total over the instances), BENCH_PORT (default 3300: the
// first instance's; the others take the next ports), BENCH_START_TIMEOUT (s, default 300: a
// build may come first).
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import pg from "pg";
import { type Db, openDb, rawRows } from "@/db/client";
import { DEMO_PASSWORD } from "@/db/seed";
import { type PostgresCluster, startPostgresCluster } from "./postgres-cluster";

const ROOT = path.resolve(import.meta.dirname, "..");
const TSX_CLI = path.join(ROOT, "node_modules/tsx/dist/cli.mjs");
// seed-large.ts's default account (importing that script would run it).
const ACCOUNT = "xx900000-ovh";
const SESSION_COOKIE = "authjs.session-token";

const envNumber = (name: string, fallback: number) => {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
};
const DURATION = envNumber("BENCH_DURATION", 12);
const ROUNDS = Math.max(1, Math.floor(envNumber("BENCH_ROUNDS", 4)));
// Whole seconds: autocannon's unit.
const ROUND_DURATION = Math.max(1, Math.round(DURATION / ROUNDS));
const WARMUP = envNumber("BENCH_WARMUP", 3);
const CONNECTIONS = envNumber("BENCH_CONNECTIONS", 10);
const FIRST_PORT = envNumber("BENCH_PORT", 3300);
const START_TIMEOUT_S = envNumber("BENCH_START_TIMEOUT", 300);
// Not 127.0.0.1: see STACK.md. One host for every instance, so the session cookie goes to all.
const baseUrl = (port: number) => `http://localhost:${port}`;

type Engine = "sqlite" | "postgres";
const ENGINE_NAMES: Record<Engine, string> = { sqlite: "SQLite", postgres: "PostgreSQL" };

const USAGE = "usage: npm run bench -- [sizes…] [--db sqlite|postgres|both] [--instances N]";

function parseCommandLine(): { sizes: number[]; engines: Engine[]; instances: number } {
  const usageError = (message: string): never => {
    console.error(`${message}\n${USAGE}`);
    process.exit(2);
  };
  let parsed: { values: { db: string; instances: string }; positionals: string[] };
  try {
    parsed = parseArgs({
      args: process.argv.slice(2),
      options: { db: { type: "string", default: "sqlite" }, instances: { type: "string", default: "1" } },
      allowPositionals: true,
    });
  } catch (error) {
    return usageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  const engines: Record<string, Engine[]> = {
    sqlite: ["sqlite"],
    postgres: ["postgres"],
    both: ["sqlite", "postgres"],
  };
  const chosen = engines[values.db] ?? usageError(`--db ${values.db}: sqlite, postgres or both`);
  const instances = Number(values.instances);
  if (!Number.isInteger(instances) || instances < 1) usageError(`--instances ${values.instances}: a count`);
  if (instances > CONNECTIONS) {
    usageError(`--instances ${instances} needs at least as many BENCH_CONNECTIONS (${CONNECTIONS})`);
  }
  // Two services at least: the middle page starts after the first.
  const badSize = positionals.find((a) => !/^\d+$/.test(a) || Number(a) < 2);
  if (badSize !== undefined) usageError(`${badSize}: a size is a number of services, 2 or more`);
  const sizes = positionals.length > 0 ? positionals.map(Number) : [10_000, 100_000];
  return { sizes, engines: chosen, instances };
}

const { sizes: SIZES, engines: ENGINES, instances: INSTANCES } = parseCommandLine();
const PORTS = Array.from({ length: INSTANCES }, (_, i) => FIRST_PORT + i);
// The connections each instance gets: 10 over 3 instances is 4, 3, 3.
const CONNECTIONS_PER_INSTANCE = PORTS.map(
  (_, i) => Math.floor(CONNECTIONS / INSTANCES) + (i < CONNECTIONS % INSTANCES ? 1 : 0),
);

const TARGET_SHARE_OF_BARE = 0.7;
const TARGET_P50_GROWTH = 1.2;
const TARGET_POSTGRES_SLOWDOWN = 1.5;
// For the watchdog: the 6 pages measured, and room for more.
const MAX_PAGES = 8;

// autocannon ships no types; this is the part of its programmatic API used here. Each instance
// gets its own autocannon run with skipAggregateResult; aggregateResult then merges their latency
// histograms, as autocannon does for its own workers.
type RunResult = {
  totalCompletedRequests: number;
  samples: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodeStats: Record<string, { count: number }>;
};
type Aggregate = RunResult & { latency: { p50: number; p99: number } };
type Autocannon = ((options: {
  url: string;
  connections: number;
  duration: number;
  headers?: Record<string, string>;
  skipAggregateResult: true;
}) => Promise<RunResult>) & {
  aggregateResult: (results: RunResult[], options: { url: string; connections: number }) => Aggregate;
};
const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

class BenchError extends Error {}

// ---------------------------------------------------------------- the servers

let servers: ChildProcess[] = [];
const serverLog: string[] = [];

function startServer(port: number, env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, [TSX_CLI, "scripts/start.ts"], {
    cwd: ROOT,
    // Its own process group, so tsx, start.ts and `next start` all stop together.
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...env, PORT: String(port), BENCH_PAGES: "1" },
  });
  const tag = INSTANCES > 1 ? `[server :${port}]` : "[server]";
  const onData = (chunk: Buffer) => {
    for (const line of chunk.toString().split("\n")) {
      if (!line.trim()) continue;
      serverLog.push(`${tag} ${line}`);
      if (serverLog.length > 80 * INSTANCES) serverLog.shift();
      if (/Building the app|error/i.test(line)) console.log(`  ${tag} ${line}`);
    }
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  servers.push(child);
  return child;
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (!child.pid || child.exitCode !== null || child.signalCode !== null) return;
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

async function stopServers(): Promise<void> {
  const stopping = servers;
  servers = [];
  await Promise.all(stopping.map(stopServer));
}

async function get(url: string, init: RequestInit = {}): Promise<Response> {
  return fetch(url, { redirect: "manual", signal: AbortSignal.timeout(30_000), ...init });
}

async function isAnswering(port: number): Promise<boolean> {
  try {
    await get(`${baseUrl(port)}/login`, { signal: AbortSignal.timeout(2_000) });
    return true;
  } catch {
    return false;
  }
}

async function waitForServer(child: ChildProcess, port: number): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_S * 1000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new BenchError(
        `the server on :${port} exited (${child.exitCode ?? child.signalCode}) before answering`,
      );
    }
    try {
      const response = await get(`${baseUrl(port)}/login`, { signal: AbortSignal.timeout(5_000) });
      if (response.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new BenchError(`the server on :${port} did not answer within ${START_TIMEOUT_S} s`);
}

/**
 * The first instance alone (it may build, and it prepares the database), then the others
 * together: the build is fresh and the database ready by then.
 */
async function startServers(env: NodeJS.ProcessEnv): Promise<void> {
  for (const port of PORTS) {
    if (await isAnswering(port))
      throw new BenchError(`something already answers on :${port}; set BENCH_PORT`);
  }
  const [first, ...others] = PORTS as [number, ...number[]];
  console.log(
    `Starting ${INSTANCES === 1 ? "the app" : `${INSTANCES} instances`} on ` +
      `${PORTS.map(baseUrl).join(", ")} (npm start; builds first if stale)…`,
  );
  await waitForServer(startServer(first, env), first);
  await Promise.all(others.map((port) => waitForServer(startServer(port, env), port)));
}

// ---------------------------------------------------------------- the databases

/** One fresh, seeded database for a size on an engine, and how the app reaches it. */
type BenchDatabase = { location: string; env: NodeJS.ProcessEnv; drop: () => Promise<void> };

// Every instance of a run shares it; on SQLite, start.ts would otherwise keep one beside the file.
const AUTH_SECRET = process.env.AUTH_SECRET || randomBytes(32).toString("base64url");

let cluster: PostgresCluster | null = null;

/** The PostgreSQL server to create the bench databases on: the one named, or a private cluster. */
async function postgresServerUrl(): Promise<string> {
  const named = process.env.BENCH_POSTGRES_URL || process.env.TEST_POSTGRES_URL;
  if (named) return named;
  if (!cluster) {
    console.log("Starting a private PostgreSQL cluster (scripts/postgres-cluster.ts)…");
    cluster = await startPostgresCluster();
  }
  return cluster.url;
}

function stopCluster(): void {
  const stopping = cluster;
  cluster = null;
  stopping?.stop();
}

async function onServer(serverUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

async function createDatabase(engine: Engine, size: number): Promise<BenchDatabase> {
  const { DATABASE_URL: _url, DATABASE_PATH: _path, ...env } = process.env;
  env.AUTH_SECRET = AUTH_SECRET;
  if (engine === "sqlite") {
    const dir = path.join(ROOT, ".test-data", `bench-${size}`);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    const location = path.join(dir, "app.db");
    console.log(`\n== SQLite, ${size} services (${path.relative(ROOT, location)})`);
    return { location, env: { ...env, DATABASE_PATH: location }, drop: async () => {} };
  }
  const serverUrl = await postgresServerUrl();
  const name = `bench_${size}`;
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const location = url.toString();
  const drop = () => onServer(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await drop();
  await onServer(serverUrl, `CREATE DATABASE ${name}`);
  console.log(`\n== PostgreSQL, ${size} services (database ${name} on ${url.host})`);
  return { location, env: { ...env, DATABASE_URL: location }, drop };
}

/** The account's requests at each size: the issue's 10,000 for 100,000 services. */
const requestCount = (size: number) => Math.max(2, Math.floor(size / 10));

function seed(database: BenchDatabase, size: number): void {
  const result = spawnSync(
    process.execPath,
    [TSX_CLI, "scripts/seed-large.ts", String(size), "--requests", String(requestCount(size))],
    {
      cwd: ROOT,
      stdio: "inherit",
      timeout: 600_000,
      env: database.env,
    },
  );
  if (result.status !== 0) throw new BenchError(`seed-large failed (${result.status ?? result.signal})`);
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

/**
 * The real credentials flow of Auth.js, on the first instance: CSRF token, then the callback;
 * returns the Cookie header. The session is a row in the shared database, so every instance
 * accepts it.
 */
async function signIn(): Promise<string> {
  const base = baseUrl(FIRST_PORT);
  const csrf = await get(`${base}/api/auth/csrf`);
  if (csrf.status !== 200) throw new BenchError(`GET /api/auth/csrf answered ${csrf.status}`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const csrfCookies = [...setCookies(csrf)].map(([name, value]) => `${name}=${value}`).join("; ");
  const callback = await get(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: csrfCookies },
    body: new URLSearchParams({
      csrfToken,
      identifier: ACCOUNT,
      password: DEMO_PASSWORD,
      callbackUrl: `${base}/contacts`,
    }),
  });
  const session = setCookies(callback).get(SESSION_COOKIE);
  if (!session) {
    throw new BenchError(`signing in as ${ACCOUNT} set no session cookie (status ${callback.status})`);
  }
  return `${SESSION_COOKIE}=${session}`;
}

// ---------------------------------------------------------------- the pages

/**
 * A page measured: `key` names it across sizes and engines (its path depends on the data),
 * `label` in the table, `expected` a text its answer must contain.
 */
type BenchPage = { key: string; label: string; path: string; expected: string; note?: string };

/**
 * My contacts: from the start, from the middle of the list, and searched for one service. The
 * names are ordered as the page orders them (name, then id).
 */
async function contactsPages(db: Db, size: number): Promise<BenchPage[]> {
  const nameAt = async (index: number) => {
    const [row] = await rawRows<{ name: string }>(
      db.read,
      sql`SELECT s.name FROM services s JOIN accounts a ON a.customer_id = ${ACCOUNT}
         WHERE a.id IN (s.admin_id, s.tech_id, s.billing_id) ORDER BY s.name, s.id LIMIT 1 OFFSET ${index}`,
    );
    if (!row) throw new BenchError(`${ACCOUNT} has fewer than ${index + 1} services in ${db.location}`);
    return row.name;
  };
  const middle = Math.floor(size / 2);
  const rare = await nameAt(Math.floor(size / 3));
  return [
    { key: "contacts", label: "/contacts", path: "/contacts", expected: await nameAt(0) },
    {
      key: "contacts-middle",
      label: "/contacts?after=… (middle)",
      path: `/contacts?after=${encodeURIComponent(await nameAt(middle - 1))}`,
      expected: await nameAt(middle),
    },
    {
      key: "contacts-search",
      label: "/contacts?q=… (one match)",
      path: `/contacts?q=${encodeURIComponent(rare.replace(/\.example\.com$/, ""))}`,
      expected: rare,
    },
  ];
}

/**
 * My requests, seeded with a request on each of a tenth of the account's services (seed-large
 * --requests; the account administers them all, so it sees every request): the first page, and a
 * page from the middle (keyset: `?before=` the request half-way, newest first), which must show
 * the request just older than that one.
 */
async function requestsPages(db: Db): Promise<BenchPage[]> {
  const ids = await rawRows<{ id: number }>(db.read, sql`SELECT id FROM change_requests ORDER BY id DESC`);
  const middle = Math.floor(ids.length / 2);
  const bound = ids[middle]?.id;
  const shown = ids[middle + 1]?.id;
  if (bound === undefined || shown === undefined) {
    throw new BenchError(`${ACCOUNT} has fewer than 2 requests in ${db.location}`);
  }
  return [
    { key: "requests", label: "/requests", path: "/requests", expected: `href="/requests/${ids[0]?.id}"` },
    {
      key: "requests-middle",
      label: "/requests?before=… (middle)",
      path: `/requests?before=${bound}`,
      expected: `href="/requests/${shown}"`,
    },
  ];
}

async function benchPages(location: string, size: number): Promise<BenchPage[]> {
  const db = openDb(location);
  try {
    return [
      { key: "bare", label: "/bench/bare", path: "/bench/bare", expected: ACCOUNT },
      ...(await contactsPages(db, size)),
      ...(await requestsPages(db)),
    ];
  } finally {
    await db.close();
  }
}

async function checkPage(port: number, page: BenchPage, cookie: string): Promise<void> {
  const response = await get(`${baseUrl(port)}${page.path}`, { headers: { cookie } });
  const body = await response.text();
  if (response.status !== 200) throw new BenchError(`GET :${port}${page.path} answered ${response.status}`);
  if (!body.includes(page.expected)) {
    throw new BenchError(`GET :${port}${page.path} does not contain "${page.expected}"`);
  }
}

// ---------------------------------------------------------------- loading

type Measure = {
  engine: Engine;
  size: number;
  page: BenchPage;
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  /** Per round, this page's req/s over the bare page's in the same round. */
  shares: number[];
};

/** One autocannon run per instance, all at once, each with its share of the connections. */
async function load(pathname: string, cookie: string, duration: number): Promise<RunResult[]> {
  const runs = await Promise.all(
    PORTS.map((port, i) =>
      autocannon({
        url: `${baseUrl(port)}${pathname}`,
        connections: CONNECTIONS_PER_INSTANCE[i] as number,
        duration,
        headers: { cookie },
        skipAggregateResult: true,
      }),
    ),
  );
  for (const run of runs) {
    if (run.non2xx > 0 || run.errors > 0 || run.timeouts > 0) {
      const codes = Object.entries(run.statusCodeStats)
        .map(([code, { count }]) => `${code}×${count}`)
        .join(", ");
      throw new BenchError(
        `${pathname}: ${run.non2xx} non-2xx (${codes}), ${run.errors} errors, ${run.timeouts} timeouts`,
      );
    }
  }
  return runs;
}

/** Requests per second of runs made side by side: each one's mean per-second count, summed. */
function rpsOf(runs: RunResult[]): number {
  return runs.reduce((sum, run) => sum + run.totalCompletedRequests / Math.max(run.samples, 1), 0);
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

/**
 * Every page loaded in turn, ROUNDS times over, ROUND_DURATION seconds each time. A list page's
 * share of the bare page is the median of its rounds' shares, each against the bare page's load
 * of the same round: on a shared machine the speed of everything drifts by ±15 % within a
 * minute, which a bare page measured once, a minute before the list, would count as the list's.
 */
async function benchSize(engine: Engine, size: number): Promise<Measure[]> {
  const database = await createDatabase(engine, size);
  try {
    seed(database, size);
    await startServers(database.env);
    const cookie = await signIn();
    const pages = await benchPages(database.location, size);
    for (const port of PORTS) for (const page of pages) await checkPage(port, page, cookie);
    console.log(`Signed in as ${ACCOUNT}; warming up ${WARMUP} s per page…`);
    for (const page of pages) await load(page.path, cookie, WARMUP);

    const runs = new Map<string, RunResult[][]>(pages.map((page) => [page.key, []]));
    for (let round = 1; round <= ROUNDS; round++) {
      console.log(
        `Round ${round} of ${ROUNDS}: each page for ${ROUND_DURATION} s, ${CONNECTIONS} connections…`,
      );
      for (const page of pages) runs.get(page.key)?.push(await load(page.path, cookie, ROUND_DURATION));
    }
    const bareRounds = runs.get("bare") ?? [];
    return pages.map((page) => {
      const rounds = runs.get(page.key) ?? [];
      const all = rounds.flat();
      const requests = all.reduce((sum, run) => sum + run.totalCompletedRequests, 0);
      // Answers still on their way when the time is up count neither as requests nor as errors.
      if (requests === 0) {
        throw new BenchError(
          `${page.path}: no answer within ${ROUND_DURATION} s (a busy machine? set a longer BENCH_DURATION)`,
        );
      }
      const latency = autocannon.aggregateResult(all, {
        url: `${baseUrl(FIRST_PORT)}${page.path}`,
        connections: CONNECTIONS,
      }).latency;
      const shares = rounds.map((round, i) => rpsOf(round) / rpsOf(bareRounds[i] ?? []));
      return {
        engine,
        size,
        page,
        rps: rounds.reduce((sum, round) => sum + rpsOf(round), 0) / rounds.length,
        p50: latency.p50,
        p99: latency.p99,
        requests,
        shares,
      };
    });
  } finally {
    await stopServers();
    // Not to hide why the run failed, if it did.
    await database.drop().catch((error) => console.error(`Could not drop the bench database: ${error}`));
  }
}

// ---------------------------------------------------------------- report

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? "").length))) ?? [];
  const line = (row: string[]) => `| ${row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(" | ")} |`;
  const [head = [], ...body] = rows;
  return [line(head), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...body.map(line)].join("\n");
}

const count = (n: number) => n.toLocaleString("en-US");
const percent = (ratio: number) => `${(ratio * 100).toFixed(1)} %`;
const verdict = (isMet: boolean) => (isMet ? "met" : "MISSED");

function reportSetup(): string[] {
  const lines = [
    `autocannon, ${CONNECTIONS} connections, ${ROUNDS} rounds of ${ROUND_DURATION} s per page (every page in ` +
      `turn each round), account ${ACCOUNT}, build of \`npm start\`, ` +
      `${INSTANCES === 1 ? "one instance" : `${INSTANCES} instances`}. req/s: the mean of the rounds; ` +
      "of bare: the median of the rounds' shares, each against the bare page's load of the same round.",
  ];
  if (INSTANCES > 1) {
    lines.push(
      `Load spread as one autocannon per instance (${CONNECTIONS_PER_INSTANCE.join(" + ")} connections), run together: ` +
        "req/s is their sum, p50/p99 come from their merged latency histogram.",
    );
    if (ENGINES.includes("sqlite")) {
      lines.push(
        `SQLite: the ${INSTANCES} instances share one database file, and SQLite serialises writers ` +
          "(one write transaction at a time over all instances).",
      );
    }
  }
  return lines;
}

function report(measures: Measure[]): void {
  console.log(`\n${reportSetup().join("\n")}\n`);
  const find = (engine: Engine, size: number, key: string) =>
    measures.find((m) => m.engine === engine && m.size === size && m.page.key === key);
  console.log(
    table([
      ["engine", "services", "page", "req/s", "p50 ms", "p99 ms", "requests", "of bare", "rounds"],
      ...measures.map((m) => {
        const isList = m.page.key !== "bare";
        return [
          ENGINE_NAMES[m.engine],
          count(m.size),
          m.page.label,
          m.rps.toFixed(1),
          String(m.p50),
          String(m.p99),
          String(m.requests),
          isList ? percent(median(m.shares)) : "",
          isList ? `${percent(Math.min(...m.shares))} – ${percent(Math.max(...m.shares))}` : "",
        ];
      }),
    ]),
  );
  const notes = new Map(measures.flatMap((m) => (m.page.note ? [[m.page.label, m.page.note]] : [])));
  for (const [label, note] of notes) console.log(`${label}: ${note}.`);

  const results: boolean[] = [];
  const check = (line: string, isMet: boolean) => {
    results.push(isMet);
    console.log(`${line}: ${verdict(isMet)}`);
  };
  const listKeys = [...new Set(measures.map((m) => m.page.key))].filter((key) => key !== "bare");
  const labelOf = (key: string) => measures.find((m) => m.page.key === key)?.page.label ?? key;

  console.log(
    `\nEvery list page at ≥ ${TARGET_SHARE_OF_BARE * 100} % of /bench/bare's req/s (median of the rounds):`,
  );
  for (const engine of ENGINES) {
    for (const size of SIZES) {
      for (const key of listKeys) {
        const list = find(engine, size, key);
        if (!list) continue;
        const ratio = median(list.shares);
        check(
          `  ${ENGINE_NAMES[engine]}, ${count(size)}: ${list.page.label} at ${percent(ratio)}`,
          ratio >= TARGET_SHARE_OF_BARE,
        );
      }
    }
  }

  const [smallest, ...larger] = [...SIZES].sort((a, b) => a - b);
  if (smallest !== undefined && larger.length > 0) {
    console.log(
      `\nEach list page's p50 at a larger size within ${TARGET_P50_GROWTH}× of ${count(smallest)}'s:`,
    );
    for (const engine of ENGINES) {
      for (const size of larger) {
        for (const key of listKeys) {
          const base = find(engine, smallest, key);
          const grown = find(engine, size, key);
          if (!base || !grown) continue;
          const growth = grown.p50 / base.p50;
          check(
            `  ${ENGINE_NAMES[engine]}: ${labelOf(key)} p50(${count(size)}) / p50(${count(smallest)}) = ` +
              `${grown.p50} / ${base.p50} ms = ${growth.toFixed(2)}`,
            growth <= TARGET_P50_GROWTH,
          );
        }
      }
    }
  }

  if (ENGINES.length === 2) {
    const isOneInstance = INSTANCES === 1;
    console.log(
      `\nPostgreSQL's req/s within ${TARGET_POSTGRES_SLOWDOWN}× of SQLite's on one instance` +
        (isOneInstance
          ? ":"
          : ` (not judged: this run used ${INSTANCES} instances; run with --instances 1):`),
    );
    for (const size of SIZES) {
      for (const key of ["bare", ...listKeys]) {
        const lite = find("sqlite", size, key);
        const postgres = find("postgres", size, key);
        if (!lite || !postgres) continue;
        const slowdown = lite.rps / postgres.rps;
        const line = `  ${count(size)}: ${labelOf(key)} SQLite / PostgreSQL = ${slowdown.toFixed(2)}`;
        if (isOneInstance) check(line, slowdown <= TARGET_POSTGRES_SLOWDOWN);
        else console.log(line);
      }
    }
  }

  const missed = results.filter((isMet) => !isMet).length;
  console.log(
    `\n${missed === 0 ? "All targets met" : `${missed} of ${results.length} targets missed`} ` +
      "(missed targets are reported, not failures).",
  );
}

// ---------------------------------------------------------------- main

async function cleanUp(): Promise<void> {
  await stopServers();
  stopCluster();
}

const perRunBudgetS = 2 * START_TIMEOUT_S + MAX_PAGES * (WARMUP + ROUNDS * ROUND_DURATION) + 660;
const watchdog = setTimeout(
  async () => {
    console.error("\nbench: took too long; stopping.");
    await cleanUp();
    process.exit(1);
  },
  (ENGINES.length * SIZES.length * perRunBudgetS + 120) * 1000,
);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, async () => {
    await cleanUp();
    process.exit(130);
  });
}

try {
  if (INSTANCES > 1 && ENGINES.includes("sqlite")) console.log(reportSetup().at(-1));
  const measures: Measure[] = [];
  for (const engine of ENGINES) {
    for (const size of SIZES) measures.push(...(await benchSize(engine, size)));
  }
  await cleanUp();
  report(measures);
  clearTimeout(watchdog);
  process.exit(0);
} catch (error) {
  await cleanUp();
  console.error(`\nbench failed: ${error instanceof Error ? error.message : String(error)}`);
  if (!(error instanceof BenchError) || /server/.test(String(error))) {
    if (serverLog.length > 0) console.error(`Last server output:\n${serverLog.join("\n")}`);
  }
  process.exit(1);
}
