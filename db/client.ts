import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { type BetterSQLite3Database, drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { databasePath } from "@/lib/config";
import * as schema from "./schema";

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

/** A transaction on the app's database: synchronous, like the database itself. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

/** Whether SQLite refused a write because of a UNIQUE constraint. */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string })?.code === "SQLITE_CONSTRAINT_UNIQUE";
}

const MIGRATIONS_FOLDER = "db/migrations";

/** Opens a SQLite database in WAL mode with foreign keys on. `:memory:` works too. */
export function openDb(file: string): Db {
  if (file !== ":memory:") {
    fs.mkdirSync(path.dirname(path.resolve(/*turbopackIgnore: true*/ file)), { recursive: true });
  }
  const sqlite = new Database(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("synchronous = NORMAL");
  return drizzle(sqlite, { schema }) as Db;
}

/** Applies the committed drizzle-kit migrations. */
export function migrateDb(db: Db, migrationsFolder = MIGRATIONS_FOLDER): void {
  migrate(db, { migrationsFolder: path.resolve(/*turbopackIgnore: true*/ migrationsFolder) });
}

const globalForDb = globalThis as unknown as { serviceContactsDb?: Db };

/** The app's database, opened once per process from DATABASE_PATH. */
export function getDb(): Db {
  globalForDb.serviceContactsDb ??= openDb(databasePath());
  return globalForDb.serviceContactsDb;
}
