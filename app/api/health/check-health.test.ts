import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type Db, openDb, sqliteClientOf } from "@/db/client";
import journal from "@/db/migrations/meta/_journal.json";
import { openTestDb } from "@/db/testing";
import { enqueueEmail } from "@/lib/email/enqueue-email";
import { recordProviderFailure } from "@/lib/email/provider-pause";
import { changeRequestProps } from "@/lib/email/testing/email-fixtures";
import { checkHealth } from "./check-health";
import { dynamic, GET } from "./route";

const NOW = new Date("2026-01-01T10:00:00.000Z");

let dir: string;
let db: Db;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "health-"));
  vi.stubEnv("RESEND_API_KEY", "");
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await db?.close();
  (globalThis as { serviceContactsDb?: Db }).serviceContactsDb = undefined;
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A database migrated with only the first `count` migrations of this build. */
function databaseWithMigrations(count: number): Db {
  const folder = path.join(dir, "migrations");
  fs.mkdirSync(path.join(folder, "meta"), { recursive: true });
  const entries = journal.entries.slice(0, count);
  for (const entry of entries) {
    fs.copyFileSync(path.join("db/migrations", `${entry.tag}.sql`), path.join(folder, `${entry.tag}.sql`));
  }
  fs.writeFileSync(path.join(folder, "meta/_journal.json"), JSON.stringify({ ...journal, entries }));
  const opened = openDb(path.join(dir, "app.db"));
  // drizzle's migrator on the connection itself: migrateDb applies every migration of the build.
  if (count > 0) migrate(drizzle(sqliteClientOf(opened)), { migrationsFolder: folder });
  return opened;
}

describe("checkHealth", () => {
  it("is ok on a database with every migration, and says the mode and how the outbox fares", async () => {
    db = await openTestDb();
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
    db = databaseWithMigrations(journal.entries.length - 1);
    expect(await checkHealth(() => db, NOW)).toEqual({
      status: "error",
      database: "ok",
      migrations: "pending",
      pendingMigrations: 1,
      mode: "demo",
    });
  });

  it("is an error on a database never migrated", async () => {
    db = databaseWithMigrations(0);
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

    db = await openTestDb();
    await db.close();
    expect(JSON.stringify(await checkHealth(() => db, NOW))).not.toMatch(/SQLITE|closed|Error|at /);
  });
});

describe("GET /api/health", () => {
  const serveFrom = (opened: Db) => {
    (globalThis as { serviceContactsDb?: Db }).serviceContactsDb = opened;
  };

  it("answers 200 with the report, never from a cache", async () => {
    db = databaseWithMigrations(journal.entries.length);
    serveFrom(db);
    const response = await GET();
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("application/json");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.json()).toMatchObject({ status: "ok", database: "ok", migrations: "current" });
    expect(dynamic).toBe("force-dynamic");
  });

  it("answers 503 when a migration is missing", async () => {
    db = databaseWithMigrations(journal.entries.length - 1);
    serveFrom(db);
    const response = await GET();
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ status: "error", migrations: "pending" });
  });
});
