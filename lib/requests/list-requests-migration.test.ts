import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { type Db, migrateDb, openDb, rawRows } from "@/db/client";
import { databaseDialect, databaseUrl } from "@/lib/config";

/**
 * The migration that brought My requests its keyset paging fills the columns it adds from the
 * rows already there: a database with requests keeps listing them for the right accounts.
 * (openTestDb is not used: it migrates to the end at once; this stops one migration short.)
 */

const dialect = databaseDialect();
const FOLDER = dialect === "postgres" ? "db/migrations-pg" : "db/migrations";
const TAG = dialect === "postgres" ? "0001_my_requests_keyset" : "0004_my_requests_keyset";

let db: Db | undefined;
let folder: string | undefined;

afterEach(async () => {
  await db?.close();
  if (folder) fs.rmSync(folder, { recursive: true, force: true });
});

/** A copy of the engine's migrations without TAG and what follows it. */
function migrationsBefore(tag: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "migrations-"));
  const journal = JSON.parse(fs.readFileSync(path.join(FOLDER, "meta/_journal.json"), "utf8")) as {
    entries: { tag: string }[];
  };
  const at = journal.entries.findIndex((entry) => entry.tag === tag);
  expect(at).toBeGreaterThan(0);
  const entries = journal.entries.slice(0, at);
  fs.mkdirSync(path.join(dir, "meta"));
  fs.writeFileSync(path.join(dir, "meta/_journal.json"), JSON.stringify({ ...journal, entries }));
  for (const entry of entries)
    fs.copyFileSync(path.join(FOLDER, `${entry.tag}.sql`), path.join(dir, `${entry.tag}.sql`));
  return dir;
}

/** An empty database of this engine (PostgreSQL: a schema of its own) and its migrations' schema. */
async function emptyDb(): Promise<{ db: Db; migrationsSchema?: string }> {
  if (dialect === "sqlite") return { db: openDb(":memory:") };
  const url = databaseUrl() as string;
  const schema = `m_${process.pid}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const parsed = new URL(url);
  parsed.searchParams.set("options", `-c search_path=${schema},public`);
  return { db: openDb(parsed.toString()), migrationsSchema: schema };
}

describe(`migration ${TAG}`, () => {
  it("copies each service's administrator onto its requests, and whether each confirmation's request is pending", async () => {
    const opened = await emptyDb();
    db = opened.db;
    folder = migrationsBefore(TAG);
    await migrateDb(db, { migrationsFolder: folder, migrationsSchema: opened.migrationsSchema });

    const expiresAt = dialect === "postgres" ? "2030-01-01T00:00:00.000Z" : Date.UTC(2030, 0, 1);
    const ids = await db.transaction(async (tx) => {
      const one = async (statement: ReturnType<typeof sql>) =>
        Number((await rawRows<{ id: number }>(tx, statement))[0]?.id);
      const account = (customerId: string) =>
        one(sql`INSERT INTO accounts (customer_id, name, email, password_hash)
          VALUES (${customerId}, ${customerId}, ${`${customerId}@example.test`}, 'x') RETURNING id`);
      const anna = await account("aa100001-ovh");
      const bartosz = await account("bb200002-ovh");
      const dawid = await account("dd400004-ovh");
      const service = await one(sql`INSERT INTO services (name, type, admin_id, tech_id, billing_id)
        VALUES ('example.pl', 'domain', ${anna}, ${bartosz}, ${anna}) RETURNING id`);
      const request = (state: string) =>
        one(sql`INSERT INTO change_requests (service_id, requested_by_id, old_contact_id, new_contact_id, state, expires_at)
          VALUES (${service}, ${bartosz}, ${bartosz}, ${dawid}, ${state}, ${expiresAt}) RETURNING id`);
      const pending = await request("pending");
      const refused = await request("refused");
      for (const [requestId, accountId] of [
        [pending, bartosz],
        [pending, dawid],
        [refused, bartosz],
        [refused, dawid],
      ] as const) {
        await one(sql`INSERT INTO confirmations (request_id, account_id, token_hash, token_issued_at)
          VALUES (${requestId}, ${accountId}, ${`hash-${requestId}-${accountId}`}, ${expiresAt}) RETURNING id`);
      }
      return { anna, dawid, service, pending, refused };
    });

    await migrateDb(db, { migrationsSchema: opened.migrationsSchema });
    const requests = await rawRows<{ id: number; admin: number }>(
      db.read,
      sql`SELECT id, service_admin_id AS admin FROM change_requests ORDER BY id`,
    );
    expect(requests.map((row) => [Number(row.id), Number(row.admin)])).toEqual([
      [ids.pending, ids.anna],
      [ids.refused, ids.anna],
    ]);
    const confirmations = await rawRows<{ requestId: number; isPending: number | boolean }>(
      db.read,
      sql`SELECT request_id AS "requestId", is_request_pending AS "isPending" FROM confirmations ORDER BY id`,
    );
    expect(
      confirmations.map((row) => [Number(row.requestId), row.isPending === true || row.isPending === 1]),
    ).toEqual([
      [ids.pending, true],
      [ids.pending, true],
      [ids.refused, false],
      [ids.refused, false],
    ]);

    // From now on the triggers keep both copies: a new administrator, a request that ends.
    await db.transaction(async (tx) => {
      await rawRows(
        tx,
        sql`UPDATE services SET admin_id = ${ids.dawid} WHERE id = ${ids.service} RETURNING id`,
      );
      await rawRows(
        tx,
        sql`UPDATE change_requests SET state = 'cancelled' WHERE id = ${ids.pending} RETURNING id`,
      );
    });
    const after = await rawRows<{ admin: number; pending: number }>(
      db.read,
      sql`SELECT (SELECT count(*) FROM change_requests WHERE service_admin_id = ${ids.dawid}) AS admin,
        (SELECT count(*) FROM confirmations WHERE is_request_pending = ${dialect === "postgres" ? true : 1}) AS pending`,
    );
    expect(after.map((row) => [Number(row.admin), Number(row.pending)])).toEqual([[2, 0]]);
  });
});
