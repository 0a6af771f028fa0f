import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { type Db, migrateDb, openDb, rawRows, STATEMENT_CACHE_SIZE, sqliteClientOf } from "./client";
// The SQLite schema itself: under the PostgreSQL test run, "./schema" is PostgreSQL's.
import { accounts } from "./schema.sqlite";

// SQLite only: PostgreSQL's driver prepares nothing per query here.
describe("the SQLite connection reuses prepared statements", () => {
  let db: Db;
  afterEach(async () => db?.close());

  async function freshDb(): Promise<Db> {
    db = openDb(":memory:");
    const client = sqliteClientOf(db);
    client.exec("CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT NOT NULL)");
    client.exec("INSERT INTO things (name) VALUES ('one'), ('two')");
    return db;
  }

  it("gives the same statement for the same SQL, and a new one for other SQL", async () => {
    const client = sqliteClientOf(await freshDb());
    const first = client.prepare("SELECT name FROM things WHERE id = ?");
    expect(client.prepare("SELECT name FROM things WHERE id = ?")).toBe(first);
    expect(client.prepare("SELECT id FROM things WHERE id = ?")).not.toBe(first);
  });

  it("hands back a statement drizzle left in raw mode as one that returns objects", async () => {
    const client = sqliteClientOf(await freshDb());
    const statement = client.prepare("SELECT id, name FROM things ORDER BY id");
    expect(statement.raw(true).all()).toEqual([
      [1, "one"],
      [2, "two"],
    ]);
    expect(client.prepare("SELECT id, name FROM things ORDER BY id").all()).toEqual([
      { id: 1, name: "one" },
      { id: 2, name: "two" },
    ]);
  });

  it("keeps drizzle's builder (raw mode) and raw SQL (objects) right when they share a text", async () => {
    db = openDb(":memory:");
    await migrateDb(db);
    await db.transaction(async (tx) => {
      await tx
        .insert(accounts)
        .values({ customerId: "ab1-ovh", name: "A", email: "a@example.com", passwordHash: "x" });
    });
    const built = () => db.read.select({ id: accounts.id }).from(accounts);
    expect(await built()).toEqual([{ id: 1 }]);
    // The very text the builder prepared, now through rawRows, which reads objects.
    expect(await rawRows(db.read, sql.raw('select "id" from "accounts"'))).toEqual([{ id: 1 }]);
    expect(await built()).toEqual([{ id: 1 }]);
  });

  it("still answers after the schema changed under a kept statement", async () => {
    const client = sqliteClientOf(await freshDb());
    expect(client.prepare("SELECT * FROM things WHERE id = 1").get()).toEqual({ id: 1, name: "one" });
    client.exec("ALTER TABLE things ADD COLUMN note TEXT");
    expect(client.prepare("SELECT * FROM things WHERE id = 1").get()).toEqual({
      id: 1,
      name: "one",
      note: null,
    });
  });

  it(`keeps at most ${STATEMENT_CACHE_SIZE}, dropping the least recently used`, async () => {
    const client = sqliteClientOf(await freshDb());
    const kept = client.prepare("SELECT 0");
    const first = client.prepare("SELECT 1");
    for (let i = 2; i <= STATEMENT_CACHE_SIZE; i++) {
      client.prepare(`SELECT ${i}`);
      // Used again and again, so it stays.
      expect(client.prepare("SELECT 0")).toBe(kept);
    }
    expect(client.prepare("SELECT 1")).not.toBe(first);
    expect(client.prepare("SELECT 0")).toBe(kept);
  });
});
