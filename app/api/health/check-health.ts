import { sql } from "drizzle-orm";
import { type Db, rawRows } from "@/db/client";
import journal from "@/db/migrations/meta/_journal.json";
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

/** The migrations this build was made with: journal entries, stamped as drizzle stamps them (`when`). */
const EXPECTED_MIGRATIONS: readonly { tag: string; when: number }[] = journal.entries;

/**
 * Migrations of this build not yet applied to `db`, by drizzle's own rule: its migrator applies
 * every journal entry stamped later than the newest row of `__drizzle_migrations`.
 */
async function countPendingMigrations(db: Db): Promise<number> {
  const [hasTable] = await rawRows(
    db.read,
    sql`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'`,
  );
  if (!hasTable) return EXPECTED_MIGRATIONS.length;
  const [last] = await rawRows<{ at: number | null }>(
    db.read,
    sql`SELECT MAX(CAST(created_at AS INTEGER)) AS at FROM __drizzle_migrations`,
  );
  const appliedUpTo = last?.at ?? Number.NEGATIVE_INFINITY;
  return EXPECTED_MIGRATIONS.filter((migration) => migration.when > appliedUpTo).length;
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
      .select({ count: sql<number>`count(*)` })
      .from(outbox)
      .where(sql`${outbox.status} IN ('pending', 'sending') AND ${outbox.nextAttemptAt} <= ${now.getTime()}`);
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
