import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type Db, migrateDb, openDb } from "@/db/client";
import sqliteJournal from "@/db/migrations/meta/_journal.json";
import postgresJournal from "@/db/migrations-pg/meta/_journal.json";
import { openTestDb } from "@/db/testing";
import { databaseDialect, databaseUrl } from "@/lib/config";
import { enqueueEmail } from "@/lib/email/enqueue-email";
import { recordProviderFailure } from "@/lib/email/provider-pause";
import { changeRequestProps } from "@/lib/email/testing/email-fixtures";
import { checkHealth } from "./check-health";
import { dynamic, GET } from "./route";

const NOW = new Date("2026-01-01T10:00:00.000Z");

let dir: string;
/** The databases the test opened, each closed once after it (a PostgreSQL pool ends only once). */
const opened: Db[] = [];
const keep = (db: Db): Db => {
  opened.push(db);
  return db;
};

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "health-"));
  vi.stubEnv("RESEND_API_KEY", "");
});
afterEach(async () => {
  vi.unstubAllEnvs();
  for (const db of opened.splice(0)) await db.close();
  (globalThis as { serviceContactsDb?: Db }).serviceContactsDb = undefined;
  fs.rmSync(dir, { recursive: true, force: true });
});

const isPostgres = databaseDialect() === "postgres";
/** This engine's migrations of the build. */
const MIGRATIONS_FOLDER = isPostgres ? "db/migrations-pg" : "db/migrations";
const journal = isPostgres ? postgresJournal : sqliteJournal;

/**
 * A database nothing was migrated in: a file, or on PostgreSQL a fresh schema of the test
 * database (where drizzle keeps its journal too: `migrationsSchema`).
 */
async function emptyDatabase(): Promise<{ db: Db; migrationsSchema?: string }> {
  if (!isPostgres) return { db: openDb(path.join(dir, "app.db")) };
  const url = new URL(databaseUrl() as string);
  const schema = `t_${process.pid}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA ${schema}`);
  } finally {
    await admin.end();
  }
  url.searchParams.set("options", `-c search_path=${schema},public`);
  return { db: openDb(url.toString()), migrationsSchema: schema };
}

/** A database migrated with only the first `count` migrations of this build. */
async function databaseWithMigrations(count: number): Promise<Db> {
  const folder = path.join(dir, "migrations");
  fs.mkdirSync(path.join(folder, "meta"), { recursive: true });
  const entries = journal.entries.slice(0, count);
  for (const entry of entries) {
    fs.copyFileSync(path.join(MIGRATIONS_FOLDER, `${entry.tag}.sql`), path.join(folder, `${entry.tag}.sql`));
  }
  fs.writeFileSync(path.join(folder, "meta/_journal.json"), JSON.stringify({ ...journal, entries }));
  const { db, migrationsSchema } = await emptyDatabase();
  if (count > 0) await migrateDb(db, { migrationsFolder: folder, migrationsSchema });
  return db;
}

describe("checkHealth", () => {
  it("is ok on a database with every migration, and says the mode and how the outbox fares", async () => {
    const db = keep(await openTestDb());
    await db.transaction((tx) =>
      enqueueEmail(tx, {
        to: "a@example.test",
        language: "en",
        template: "change-request",
        props: changeRequestProps(),
        now: NOW,
      }),
    );
    expect(await checkHealth(() => db, NOW)).toEqual({
      status: "ok",
      database: "ok",
      migrations: "current",
      mode: "demo",
      outbox: { due: 1, isProviderPaused: false, providerPausedUntil: null },
    });

    vi.stubEnv("RESEND_API_KEY", "re_test_key");
    await recordProviderFailure(db, {
      provider: "resend",
      error: "429",
      retryAfterMs: 30_000,
      startedAt: NOW,
      now: NOW,
    });
    expect(await checkHealth(() => db, NOW)).toMatchObject({
      status: "ok",
      mode: "provider",
      outbox: { due: 1, isProviderPaused: true, providerPausedUntil: "2026-01-01T10:00:30.000Z" },
    });
  });

  it("is an error when the database misses the last migration", async () => {
    const db = keep(await databaseWithMigrations(journal.entries.length - 1));
    expect(await checkHealth(() => db, NOW)).toEqual({
      status: "error",
      database: "ok",
      migrations: "pending",
      pendingMigrations: 1,
      mode: "demo",
    });
  });

  it("is an error on a database never migrated", async () => {
    const db = keep(await databaseWithMigrations(0));
    expect(await checkHealth(() => db, NOW)).toMatchObject({
      status: "error",
      migrations: "pending",
      pendingMigrations: journal.entries.length,
    });
  });

  it("is an error when the database does not answer, and never tells why", async () => {
    const report = await checkHealth(() => {
      throw new Error("SQLITE_CANTOPEN: unable to open database file /srv/secret/app.db");
    }, NOW);
    expect(report).toEqual({ status: "error", database: "error", migrations: "unknown", mode: "demo" });

    const closed = await openTestDb();
    await closed.close();
    expect(JSON.stringify(await checkHealth(() => closed, NOW))).not.toMatch(/SQLITE|closed|Error|at /);
  });
});

describe("GET /api/health", () => {
  const serveFrom = (db: Db) => {
    (globalThis as { serviceContactsDb?: Db }).serviceContactsDb = db;
  };

  it("answers 200 with the report, never from a cache", async () => {
    const db = keep(await databaseWithMigrations(journal.entries.length));
    serveFrom(db);
    const response = await GET();
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("application/json");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.json()).toMatchObject({ status: "ok", database: "ok", migrations: "current" });
    expect(dynamic).toBe("force-dynamic");
  });

  it("answers 503 when a migration is missing", async () => {
    const db = keep(await databaseWithMigrations(journal.entries.length - 1));
    serveFrom(db);
    const response = await GET();
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ status: "error", migrations: "pending" });
  });
});
