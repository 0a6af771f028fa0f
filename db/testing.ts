import { randomBytes } from "node:crypto";
import pg from "pg";
import { databaseDialect, databaseUrl } from "@/lib/config";
import { type Db, migrateDb, openDb } from "./client";

let admin: pg.Pool | undefined;

/** `url` with `search_path` set to `schema` (then public, where pg_trgm lives) for every connection. */
function inSchema(url: string, schema: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set("options", `-c search_path=${schema},public`);
  return parsed.toString();
}

/**
 * A migrated, empty database for one test. On SQLite it is in memory unless a file is given (for
 * tests that open several connections); on PostgreSQL (DATABASE_URL set) it is a fresh schema of
 * that database. Either way `openDb(db.location)` opens another connection to the same data.
 */
export async function openTestDb(file = ":memory:"): Promise<Db> {
  if (databaseDialect() === "sqlite") {
    const db = openDb(file);
    await migrateDb(db);
    return db;
  }
  const url = databaseUrl() as string;
  admin ??= new pg.Pool({ connectionString: url, max: 1 });
  const schema = `t_${process.pid}_${randomBytes(4).toString("hex")}`;
  await admin.query(`CREATE SCHEMA ${schema}`);
  const db = openDb(inSchema(url, schema));
  await migrateDb(db, { migrationsSchema: schema });
  return db;
}
