import { and, count, lte, sql } from "drizzle-orm";
import { type Db, type Dialect, rawRows } from "@/db/client";
import sqliteJournal from "@/db/migrations/meta/_journal.json";
import postgresJournal from "@/db/migrations-pg/meta/_journal.json";
import { outbox } from "@/db/schema";
import { isResendConfigured } from "@/lib/config";
import { providerPausedUntil } from "@/lib/email/provider-pause";
import { logFor } from "@/lib/log";

/** The body of `/api/health`: nothing more than an operator's probe needs, never an error's text. */
export type HealthReport =
  | {
      status: "ok";
      database: "ok";
      migrations: "current";
      mode: "demo" | "provider";
      outbox: { due: number; isProviderPaused: boolean; providerPausedUntil: string | null };
    }
  | {
      status: "error";
      database: "ok" | "error";
      migrations: "current" | "pending" | "unknown";
      /** Migrations of this build the database has not applied. */
      pendingMigrations?: number;
      mode: "demo" | "provider";
    };

/** The migrations this build was made with, per engine: journal entries, stamped as drizzle stamps them (`when`). */
const EXPECTED_MIGRATIONS: Record<Dialect, readonly { tag: string; when: number }[]> = {
  sqlite: sqliteJournal.entries,
  postgres: postgresJournal.entries,
};

/** The newest stamp in SQLite's `__drizzle_migrations`, null when none (or no table). */
async function newestAppliedSqlite(db: Db): Promise<number | null> {
  const [hasTable] = await rawRows(
    db.read,
    sql`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'`,
  );
  if (!hasTable) return null;
  const [last] = await rawRows<{ at: number | null }>(
    db.read,
    sql`SELECT MAX(CAST(created_at AS INTEGER)) AS at FROM __drizzle_migrations`,
  );
  return last?.at ?? null;
}

/**
 * The newest stamp in PostgreSQL's `__drizzle_migrations`, null when none (or no table). drizzle
 * keeps it in the schema given to the migrator: the connection's own schema when it was migrated
 * there (a schema per test, or per deployment), else drizzle's default schema "drizzle", which
 * `migrateDb` uses.
 */
async function newestAppliedPostgres(db: Db): Promise<number | null> {
  const [table] = await rawRows<{ schema: string | null }>(
    db.read,
    sql`SELECT n.nspname AS schema FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.oid = coalesce(to_regclass('__drizzle_migrations'), to_regclass('drizzle.__drizzle_migrations'))`,
  );
  if (!table?.schema) return null;
  // created_at is a bigint: read as text, which PostgreSQL's driver hands out for it anyway.
  const [last] = await rawRows<{ at: string | null }>(
    db.read,
    sql`SELECT MAX(created_at)::text AS at FROM ${sql.identifier(table.schema)}.__drizzle_migrations`,
  );
  return last?.at == null ? null : Number(last.at);
}

/**
 * Migrations of this build not yet applied to `db`, by drizzle's own rule: its migrator applies
 * every journal entry stamped later than the newest row of `__drizzle_migrations`.
 */
async function countPendingMigrations(db: Db): Promise<number> {
  const appliedUpTo =
    (db.dialect === "postgres" ? await newestAppliedPostgres(db) : await newestAppliedSqlite(db)) ??
    Number.NEGATIVE_INFINITY;
  return EXPECTED_MIGRATIONS[db.dialect].filter((migration) => migration.when > appliedUpTo).length;
}

/**
 * Whether the app can serve: the database answers and carries every migration of this build.
 * Also says which mode it runs in and how the outbox fares (e-mails due, provider paused).
 * Failures are logged, never returned: the report is public.
 */
export async function checkHealth(openDb: () => Db, now = new Date()): Promise<HealthReport> {
  const mode = isResendConfigured() ? "provider" : "demo";
  let db: Db;
  try {
    db = openDb();
    await rawRows(db.read, sql`SELECT 1`);
  } catch (error) {
    logFor("health").error({ err: error }, "health check: the database does not answer");
    return { status: "error", database: "error", migrations: "unknown", mode };
  }
  try {
    const pendingMigrations = await countPendingMigrations(db);
    if (pendingMigrations > 0) {
      logFor("health").warn({ pendingMigrations }, "health check: migrations not applied");
      return { status: "error", database: "ok", migrations: "pending", pendingMigrations, mode };
    }
    const [due] = await db.read
      .select({ count: count() })
      .from(outbox)
      .where(and(sql`${outbox.status} IN ('pending', 'sending')`, lte(outbox.nextAttemptAt, now)));
    const pausedUntil = mode === "provider" ? await providerPausedUntil(db.read, "resend", now) : null;
    return {
      status: "ok",
      database: "ok",
      migrations: "current",
      mode,
      outbox: {
        due: due?.count ?? 0,
        isProviderPaused: pausedUntil !== null,
        providerPausedUntil: pausedUntil?.toISOString() ?? null,
      },
    };
  } catch (error) {
    logFor("health").error({ err: error }, "health check failed");
    return { status: "error", database: "error", migrations: "unknown", mode };
  }
}
