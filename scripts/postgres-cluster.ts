// A throwaway PostgreSQL 15 cluster for the tests: `initdb` in a temp folder (as the `postgres`
// user when run as root, since PostgreSQL refuses to run as root), started on a free port with
// fsync off, trust authentication on 127.0.0.1 only. Needs Debian's postgresql-15 (`.ci/run`
// installs it). TEST_POSTGRES_URL, when set, names a server to use instead.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

const BIN = "/usr/lib/postgresql/15/bin";

export type PostgresCluster = { url: string; stop: () => void };

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function asPostgres(command: string, args: string[]): string[] {
  return process.getuid?.() === 0
    ? ["runuser", "-u", "postgres", "--", command, ...args]
    : [command, ...args];
}

function run(command: string, args: string[]): void {
  const [file, ...rest] = asPostgres(command, args) as [string, ...string[]];
  const result = spawnSync(file, rest, { encoding: "utf8" });
  if (result.status !== 0) {
    throw new Error(`${command} failed (${result.status}): ${result.stderr || result.stdout}`);
  }
}

/** Starts a private cluster with one database, `service_contacts`, and pg_trgm in its public schema. */
export async function startPostgresCluster(): Promise<PostgresCluster> {
  if (process.env.TEST_POSTGRES_URL) return { url: process.env.TEST_POSTGRES_URL, stop: () => {} };
  if (!fs.existsSync(path.join(BIN, "initdb"))) {
    throw new Error(`PostgreSQL 15 is not installed (${BIN}): apt-get install -y postgresql-15`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sc-postgres-"));
  fs.chmodSync(dir, 0o777);
  if (process.getuid?.() === 0) execFileSync("chown", ["postgres", dir]);
  const data = path.join(dir, "data");
  run(path.join(BIN, "initdb"), ["-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"]);
  const port = await freePort();
  const settings = [
    `-p ${port}`,
    `-k ${dir}`,
    "-c listen_addresses=127.0.0.1",
    "-c fsync=off",
    "-c synchronous_commit=off",
    "-c full_page_writes=off",
    "-c max_connections=300",
  ].join(" ");
  run(path.join(BIN, "pg_ctl"), ["-D", data, "-o", settings, "-l", path.join(dir, "log"), "-w", "start"]);
  const psql = (sql: string, database = "postgres") =>
    run(path.join(BIN, "psql"), [
      "-h",
      "127.0.0.1",
      "-p",
      String(port),
      "-U",
      "postgres",
      "-d",
      database,
      "-qc",
      sql,
    ]);
  psql("CREATE DATABASE service_contacts");
  psql("CREATE EXTENSION IF NOT EXISTS pg_trgm", "service_contacts");
  const stop = () => {
    try {
      run(path.join(BIN, "pg_ctl"), ["-D", data, "-m", "immediate", "stop"]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
  return { url: `postgres://postgres@127.0.0.1:${port}/service_contacts`, stop };
}
