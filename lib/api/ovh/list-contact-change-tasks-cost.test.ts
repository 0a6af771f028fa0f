import { type SQL, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Db, rawRows, sqliteClientOf } from "@/db/client";
import { accounts } from "@/db/schema";
import { analyzeOnPostgres, openTestDb } from "@/db/testing";
import { seedRequests, seedServices } from "@/lib/requests/testing/seed-requests";
import { listContactChangeTasks, stateCondition, taskIdsQuery } from "./list-contact-change-tasks";
import { OVH_TASK_STATES, type OvhTaskState } from "./ovh-vocabulary";

/**
 * `GET /me/task/contactChange` for an administrator of 10,000 requests (and another's 10,000
 * beside them): every id, read from the party indexes, in a time a script does not notice.
 */

const NOW = new Date("2026-06-01T12:00:00.000Z");

let db: Db;
let owner: number;
let neighbour: number;

async function addAccount(customerId: string): Promise<number> {
  const [row] = await db.transaction((tx) =>
    tx
      .insert(accounts)
      .values({ customerId, name: customerId, email: `${customerId}@example.test`, passwordHash: "x" })
      .returning({ id: accounts.id }),
  );
  return (row as { id: number }).id;
}

/** What each state filter must return, counted the plain way (by effective state). */
async function expectedIds(accountId: number, state?: OvhTaskState): Promise<number[]> {
  const rows = await rawRows<{ id: number; state: string; expiresAt: number | string | Date }>(
    db.read,
    sql`SELECT id, state, expires_at AS "expiresAt" FROM change_requests
      WHERE ${accountId} IN (requested_by_id, old_contact_id, new_contact_id, service_admin_id)`,
  );
  const ovhState = (row: (typeof rows)[number]) => {
    const expires = new Date(typeof row.expiresAt === "number" ? row.expiresAt : String(row.expiresAt));
    const effective = row.state === "pending" && expires.getTime() <= NOW.getTime() ? "expired" : row.state;
    return (
      {
        pending: "validatingByCustomers",
        done: "done",
        refused: "refused",
        expired: "expired",
        cancelled: "aborted",
      } as Record<string, OvhTaskState>
    )[effective];
  };
  return rows
    .filter((row) => state === undefined || ovhState(row) === state)
    .map((row) => Number(row.id))
    .sort((a, b) => b - a);
}

beforeAll(async () => {
  db = await openTestDb();
  owner = await addAccount("aa100001-ovh");
  neighbour = await addAccount("bb200002-ovh");
  const others: number[] = [];
  for (let i = 0; i < 20; i++) others.push(await addAccount(`zz${i + 1}-ovh`));
  await seedServices(db, { prefix: "owned", count: 10_000, adminId: owner, otherIds: others });
  await seedServices(db, { prefix: "next-door", count: 10_000, adminId: neighbour, otherIds: others });
  expect(await seedRequests(db, { adminId: owner, otherIds: others, count: 10_000, now: NOW })).toBe(10_000);
  expect(await seedRequests(db, { adminId: neighbour, otherIds: others, count: 10_000, now: NOW })).toBe(
    10_000,
  );
  if (db.dialect === "sqlite") sqliteClientOf(db).exec("ANALYZE");
  else await rawRows(db.read, sql`VACUUM ANALYZE`);
}, 120_000);

afterAll(async () => {
  await db?.close();
});

/** The plan's lines that read change_requests without an index (SQLite) or sequentially (PostgreSQL). */
async function fullScans(query: SQL): Promise<string[]> {
  if (db.dialect === "sqlite") {
    const plan = await rawRows<{ detail: string }>(db.read, sql`EXPLAIN QUERY PLAN ${query}`);
    const details = plan.map((row) => row.detail);
    if (process.env.SHOW_PLAN) console.log(details);
    return details.filter((detail) => /SCAN change_requests(?! USING)/.test(detail));
  }
  const { nodes } = await analyzeOnPostgres(db.read, query, () => true);
  return nodes
    .filter((node) => node["Node Type"] === "Seq Scan" && node["Relation Name"] === "change_requests")
    .map((node) => node["Node Type"]);
}

describe("the task list at 10,000 requests", () => {
  it("lists every one of the administrator's tasks, newest first, and none of the neighbour's", async () => {
    const started = performance.now();
    const ids = await listContactChangeTasks(db, { accountId: owner, filters: {}, now: NOW });
    const elapsed = performance.now() - started;
    expect(ids).toEqual(await expectedIds(owner));
    expect(ids).toHaveLength(10_000);
    // Generous for a loaded CI machine; the query itself takes a few tens of milliseconds.
    expect(elapsed).toBeLessThan(2_000);
  });

  it.each(OVH_TASK_STATES)("filters by state %s as the task reads it now", async (state) => {
    const ids = await listContactChangeTasks(db, { accountId: owner, filters: { state }, now: NOW });
    expect(ids).toEqual(await expectedIds(owner, state));
  });

  it("reads change_requests only through indexes, whatever the filter", async () => {
    // The check sees a full scan where there is one.
    expect(await fullScans(sql`SELECT id FROM change_requests WHERE end_reason = 'withdrawn'`)).not.toEqual(
      [],
    );
    for (const state of [undefined, "validatingByCustomers", "expired", "done"] as const) {
      const query = taskIdsQuery(db.read, {
        accountId: owner,
        state: stateCondition(state, NOW) ?? undefined,
        askingId: state === "done" ? owner : undefined,
      });
      expect(await fullScans(query.getSQL()), String(state)).toEqual([]);
    }
  });
});
