import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { type SQL, sql } from "drizzle-orm";
import { type BetterSQLite3Database, drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { drizzle as drizzlePg, type NodePgDatabase } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import type { BaseSQLiteDatabase, SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
import pg from "pg";
import { databaseDialect, databasePath, databaseUrl } from "@/lib/config";
import { logFor } from "@/lib/log";
import * as pgSchema from "./schema.pg";
import type * as schema from "./schema.sqlite";
import * as sqliteSchema from "./schema.sqlite";

/**
 * The data-access layer every use case is written against: asynchronous, so that the same code
 * runs on the embedded SQLite file and on a PostgreSQL server shared by several instances.
 *
 * Use cases build queries with drizzle's builder and `await` them; they never call `.get()`,
 * `.all()`, `.run()` or `.values()` (SQLite-only) and read a write's effect with `.returning()`
 * (a test keeps it so). Writes happen only inside {@link Db.transaction}: the reader has no
 * insert, update or delete.
 */
type Builder = BaseSQLiteDatabase<"async", unknown, typeof schema>;

/** The query builder inside a transaction. */
export type Tx = Pick<Builder, "select" | "selectDistinct" | "insert" | "update" | "delete" | "$count">;

/** The query builder outside a transaction: reads only, each one seeing committed data. */
export type Reader = Pick<Builder, "select" | "selectDistinct" | "$count">;

export type Dialect = "sqlite" | "postgres";

export type Db = {
  readonly dialect: Dialect;
  /** What {@link openDb} takes to open another connection to this database (a file or a URL). */
  readonly location: string;
  readonly read: Reader;
  /**
   * Runs `fn` in one transaction and commits what it wrote, or rolls back when it throws.
   * SQLite: `BEGIN IMMEDIATE` (one writer at a time), and this process's transactions queue for
   * the one writing connection, so a transaction never waits for its own process.
   * PostgreSQL: READ COMMITTED; a use case that reads and then writes takes its row locks first
   * ({@link lockRows}, {@link lockKey}), so concurrent instances act on a row one after another.
   * A transaction that dies in a deadlock or a serialization failure is run again (up to 3 times).
   */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
};

function errorCode(error: unknown): string | undefined {
  const own = (error as { code?: unknown })?.code;
  if (typeof own === "string") return own;
  const cause = (error as { cause?: unknown })?.cause;
  return cause ? errorCode(cause) : undefined;
}

/** Whether the database refused a write because of a UNIQUE constraint. */
export function isUniqueViolation(error: unknown): boolean {
  const code = errorCode(error);
  return code === "SQLITE_CONSTRAINT_UNIQUE" || code === "23505";
}

/** PostgreSQL's executors have `execute`; SQLite's have `all`. Only this module asks. */
function isPostgres(executor: Reader | Tx): executor is Reader & Pick<NodePgDatabase, "execute"> {
  return "execute" in executor;
}

/** Rows of a statement the builder cannot express (full-text search, merged scans). */
export async function rawRows<T>(executor: Reader | Tx, query: SQL): Promise<T[]> {
  if (isPostgres(executor)) return (await executor.execute(query)).rows as T[];
  return (executor as unknown as BetterSQLite3Database).all<T>(query);
}

/**
 * Locks the rows `where` selects in `table` until the transaction ends (PostgreSQL `FOR UPDATE`).
 * On SQLite the transaction already holds the database's only write lock.
 */
export async function lockRows(tx: Tx, table: SQLiteTable, where: SQL): Promise<void> {
  if (isPostgres(tx)) await tx.execute(sql`select 1 from ${table} where ${where} for update`);
}

/**
 * Serialises the transactions that name the same key (a throttle's counter) until they end
 * (PostgreSQL's transaction-level advisory lock). On SQLite the write lock already does.
 */
export async function lockKey(tx: Tx, key: string): Promise<void> {
  if (isPostgres(tx)) await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`);
}

/**
 * Makes a `select` claim rows: on PostgreSQL `FOR UPDATE SKIP LOCKED`, so senders in several
 * instances each take a different row instead of queueing for the same one. SQLite's one writer
 * needs nothing.
 */
export function skipLocked<Q>(query: Q): Q {
  const lockable = query as { for?: (strength: "update", config: { skipLocked: boolean }) => Q };
  return typeof lockable.for === "function" ? lockable.for("update", { skipLocked: true }) : query;
}

/** A top-level field of a JSON column as text (`{"requestId": 12}` → `'12'`), on either engine. */
export function jsonField(column: SQLiteColumn, key: string): SQL<string | null> {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new Error(`not a JSON key: ${key}`);
  return databaseDialect() === "postgres"
    ? sql<string | null>`(${column} ->> ${key})`
    : sql<string | null>`cast(json_extract(${column}, ${`$.${key}`}) as text)`;
}

const MIGRATIONS_FOLDER = "db/migrations";
const PG_MIGRATIONS_FOLDER = "db/migrations-pg";

type SqliteDb = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

/** How many prepared statements a SQLite connection keeps for reuse (the least recent go first). */
export const STATEMENT_CACHE_SIZE = 256;

/**
 * Makes `sqlite.prepare` reuse the statement it prepared last time for the same SQL text: drizzle
 * prepares every query it runs, and compiling a list page's statements cost it about as much as
 * running them (README "Performance"). Values are bound parameters, so a query's text repeats
 * from request to request. Safe because better-sqlite3 runs a statement to its end before
 * returning (nothing here iterates) and recompiles one whose schema changed; the only state a
 * statement keeps between runs, drizzle's raw mode, is reset on every reuse.
 */
function cachePreparedStatements(sqlite: Database.Database): void {
  const prepare = sqlite.prepare.bind(sqlite);
  const cache = new Map<string, Database.Statement>();
  sqlite.prepare = ((source: string) => {
    const cached = cache.get(source);
    if (cached) {
      // Most recently used last: a Map iterates in insertion order.
      cache.delete(source);
      cache.set(source, cached);
      if (cached.reader) cached.raw(false);
      return cached;
    }
    const statement = prepare(source);
    cache.set(source, statement);
    if (cache.size > STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
    return statement;
  }) as typeof sqlite.prepare;
}

function openConnection(file: string, options: { readonly?: boolean } = {}): SqliteDb {
  const sqlite = new Database(file, { readonly: options.readonly ?? false });
  cachePreparedStatements(sqlite);
  if (!options.readonly) {
    sqlite.pragma("journal_mode = WAL");
    sqlite.pragma("synchronous = NORMAL");
  }
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  return drizzle(sqlite, { schema: sqliteSchema }) as SqliteDb;
}

const sqliteConnection = Symbol("sqliteConnection");

/** One at a time: this process's transactions take turns on the writing connection. */
function createQueue(): <T>(task: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return (task) => {
    const run = tail.then(task, task);
    tail = run.catch(() => undefined);
    return run;
  };
}

const fileQueues = new Map<string, ReturnType<typeof createQueue>>();

/**
 * The queue of every connection of this process to `file`: a second Db on the same file (a test
 * playing two instances) takes turns with the first instead of blocking the thread in
 * `busy_timeout` while the first's transaction awaits.
 */
function queueOfFile(file: string): ReturnType<typeof createQueue> {
  const key = path.resolve(/*turbopackIgnore: true*/ file);
  let queue = fileQueues.get(key);
  if (!queue) {
    queue = createQueue();
    fileQueues.set(key, queue);
  }
  return queue;
}

/**
 * Opens a SQLite database in WAL mode with foreign keys on. A file gets a second, read-only
 * connection for reads outside transactions, so a read never sees another request's open
 * transaction; `:memory:` works too, with one connection.
 */
function openSqlite(file: string): Db {
  const inMemory = file === ":memory:";
  if (!inMemory) {
    fs.mkdirSync(path.dirname(path.resolve(/*turbopackIgnore: true*/ file)), { recursive: true });
  }
  const writer = openConnection(file);
  let reader: SqliteDb | undefined;
  const enqueue = inMemory ? createQueue() : queueOfFile(file);
  return {
    dialect: "sqlite",
    location: file,
    get read() {
      if (inMemory) return writer as unknown as Reader;
      // Opened on first use: the file and its WAL exist by then.
      reader ??= openConnection(file, { readonly: true });
      return reader as unknown as Reader;
    },
    transaction: (fn) =>
      enqueue(async () => {
        writer.$client.exec("BEGIN IMMEDIATE");
        try {
          const result = await fn(writer as unknown as Tx);
          writer.$client.exec("COMMIT");
          return result;
        } catch (error) {
          if (writer.$client.inTransaction) writer.$client.exec("ROLLBACK");
          throw error;
        }
      }),
    close: () =>
      enqueue(async () => {
        reader?.$client.close();
        writer.$client.close();
      }),
    [sqliteConnection]: writer,
  } as Db;
}

const RETRIED_CODES = new Set(["40001", "40P01"]);

let retriedTransactions = 0;

/**
 * How many PostgreSQL transactions this process has run again after a deadlock or a
 * serialization failure: each is logged, and a test of lock order expects none.
 */
export function retriedTransactionCount(): number {
  return retriedTransactions;
}

/** A pool of connections to PostgreSQL; each transaction runs on one of them. */
function openPostgres(url: string): Db {
  const pool = new pg.Pool({ connectionString: url, max: Number(process.env.DATABASE_POOL_SIZE) || 10 });
  const orm = drizzlePg(pool, { schema: pgSchema });
  let closing: Promise<void> | undefined;
  return {
    dialect: "postgres",
    location: url,
    read: orm as unknown as Reader,
    async transaction(fn) {
      for (let attempt = 1; ; attempt++) {
        try {
          return await orm.transaction((tx) => fn(tx as unknown as Tx));
        } catch (error) {
          const code = errorCode(error) ?? "";
          if (attempt >= 3 || !RETRIED_CODES.has(code)) throw error;
          retriedTransactions++;
          logFor("database").warn(
            { code, attempt },
            "transaction run again after a deadlock or serialization failure",
          );
        }
      }
    },
    // Idempotent, as SQLite's is: pg's pool refuses a second end().
    close: () => (closing ??= pool.end()),
    [postgresOrm]: orm,
  } as Db;
}

const postgresOrm = Symbol("postgresOrm");

/**
 * Runs `fn` while no other process runs it on the same database: instances starting together on
 * one PostgreSQL migrate and seed one after another (a session-level advisory lock on a connection
 * of its own). SQLite's migrations run in one transaction of their own already.
 */
export async function whileHoldingSetupLock<T>(db: Db, fn: () => Promise<T>): Promise<T> {
  if (db.dialect !== "postgres") return fn();
  const client = new pg.Client({ connectionString: db.location });
  await client.connect();
  try {
    await client.query("select pg_advisory_lock(hashtextextended('service-contacts:setup', 0))");
    return await fn();
  } finally {
    await client.end();
  }
}

/** Opens the database at `location`: a `postgres://` URL, or a SQLite file (`:memory:` too). */
export function openDb(location: string): Db {
  return /^postgres(ql)?:\/\//.test(location) ? openPostgres(location) : openSqlite(location);
}

/** The SQLite connection under a Db, for the few jobs that are SQLite's own (bulk seeding, pragmas). */
export function sqliteClientOf(db: Db): Database.Database {
  return (db as unknown as { [sqliteConnection]: SqliteDb })[sqliteConnection].$client;
}

/** Applies the committed drizzle-kit migrations of the database's engine. */
export async function migrateDb(
  db: Db,
  options: { migrationsFolder?: string; migrationsSchema?: string } = {},
): Promise<void> {
  if (db.dialect === "postgres") {
    const orm = (db as unknown as { [postgresOrm]: NodePgDatabase })[postgresOrm];
    const migrationsFolder = path.resolve(
      /*turbopackIgnore: true*/ options.migrationsFolder ?? PG_MIGRATIONS_FOLDER,
    );
    await migratePg(orm, { migrationsFolder, migrationsSchema: options.migrationsSchema });
    return;
  }
  const writer = (db as unknown as { [sqliteConnection]: SqliteDb })[sqliteConnection];
  const migrationsFolder = path.resolve(
    /*turbopackIgnore: true*/ options.migrationsFolder ?? MIGRATIONS_FOLDER,
  );
  migrate(writer, { migrationsFolder });
}

const globalForDb = globalThis as unknown as { serviceContactsDb?: Db };

/** The app's database, opened once per process from DATABASE_URL, else the file at DATABASE_PATH. */
export function getDb(): Db {
  globalForDb.serviceContactsDb ??= openDb(databaseUrl() ?? databasePath());
  return globalForDb.serviceContactsDb;
}
