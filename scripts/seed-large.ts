// Gives one account many services, for the My contacts benchmark, and with --requests as many
// contact change requests on the services it administers (half of them), for My requests, on
// SQLite (DATABASE_PATH) or PostgreSQL (DATABASE_URL):
//   npm run db:seed:large -- 100000 [--account xx900000-ovh] [--requests 10000]
import { eq, sql } from "drizzle-orm";
import { migrateDb, openDb, rawRows, sqliteClientOf } from "@/db/client";
import { accounts, SERVICE_TYPES } from "@/db/schema";
import { DEMO_PASSWORD } from "@/db/seed";
import { databasePath, databaseUrl, describeLocation } from "@/lib/config";
import { parseCustomerId } from "@/lib/customer-id";
import { hashPassword } from "@/lib/password";
import { seedRequests } from "@/lib/requests/testing/seed-requests";

export const LARGE_ACCOUNT_DEFAULT = "xx900000-ovh";

const args = process.argv.slice(2);
/** The value after `--name`, if the flag is given. */
const flag = (name: string): string | undefined => {
  const at = args.indexOf(name);
  return at >= 0 ? (args[at + 1] ?? "") : undefined;
};
const flagValues = new Set(
  ["--account", "--requests"].map((name) => args.indexOf(name) + 1).filter((at) => at > 0),
);
const total = Number(args.find((a, at) => /^\d+$/.test(a) && !flagValues.has(at)) ?? 10_000);
const customerId = parseCustomerId(flag("--account") ?? LARGE_ACCOUNT_DEFAULT);
if (!customerId) throw new Error("--account needs a customer ID like aa123456-ovh");
const requestCount = Number(flag("--requests") ?? 0);
if (!Number.isSafeInteger(requestCount) || requestCount < 0)
  throw new Error("--requests needs a number of requests");

const location = databaseUrl() ?? databasePath();
const db = openDb(location);
await migrateDb(db);
const passwordHash = await hashPassword(DEMO_PASSWORD);

async function ensureAccount(id: string, name: string): Promise<number> {
  return db.transaction(async (tx) => {
    const [found] = await tx.select({ id: accounts.id }).from(accounts).where(eq(accounts.customerId, id));
    if (found) return found.id;
    const [created] = await tx
      .insert(accounts)
      .values({ customerId: id, name, email: `${id}@example.test`, passwordHash })
      .returning({ id: accounts.id });
    if (!created) throw new Error(`account ${id} was not created`);
    return created.id;
  });
}

const owner = await ensureAccount(customerId, "Large Account");
const others: number[] = [];
for (let i = 0; i < 20; i++) {
  others.push(await ensureAccount(`xo${String(i + 1).padStart(6, "0")}-ovh`, `Other ${i + 1}`));
}
const prefix = customerId.split("-")[0] as string;
const started = performance.now();
if (db.dialect === "postgres") await seedOnPostgres();
else seedOnSqlite();
console.log(
  `Gave ${customerId} ${total} services in ${Math.round(performance.now() - started)} ms (${describeLocation(location)}).`,
);
if (requestCount > 0) {
  const requestsStarted = performance.now();
  // In every state, a twentieth pending and awaiting the account's answer (seed-requests.ts).
  const made = await seedRequests(db, {
    adminId: owner,
    otherIds: others,
    count: requestCount,
    now: new Date(),
  });
  if (db.dialect === "postgres") await rawRows(db.read, sql`analyze change_requests, confirmations`);
  else sqliteClientOf(db).pragma("optimize");
  console.log(
    `Gave ${customerId}'s services ${made} requests in ${Math.round(performance.now() - requestsStarted)} ms` +
      (made < requestCount ? ` (it administers only ${made} services without one).` : "."),
  );
}

/** A mix of roles: all three, admin only, tech only, billing only. */
function rolesOf(i: number): [number, number, number] {
  const other = others[i % others.length] as number;
  return [
    [owner, owner, owner],
    [owner, other, other],
    [other, owner, other],
    [other, other, owner],
  ][i % 4] as [number, number, number];
}

/**
 * Bulk insert on the SQLite connection itself: one prepared statement in one synchronous
 * transaction is what makes 100,000 rows take seconds.
 */
function seedOnSqlite(): void {
  const sqlite = sqliteClientOf(db);
  const insert = sqlite.prepare(
    "INSERT INTO services (name, type, admin_id, tech_id, billing_id) VALUES (?, ?, ?, ?, ?)",
  );
  sqlite.transaction(() => {
    for (let i = 0; i < total; i++) {
      const [admin, tech, billing] = rolesOf(i);
      insert.run(serviceName(i), SERVICE_TYPES[i % SERVICE_TYPES.length], admin, tech, billing);
    }
  })();
  sqlite.pragma("optimize");
}

/** PostgreSQL: the same rows in batches of 10,000 through unnest, then fresh statistics. */
async function seedOnPostgres(): Promise<void> {
  const BATCH = 10_000;
  for (let from = 0; from < total; from += BATCH) {
    const rows = Array.from({ length: Math.min(BATCH, total - from) }, (_, k) => from + k);
    // One bound array per column (sql.param: drizzle would otherwise spread an array into a list).
    const column = (pick: (i: number) => string | number) => sql.param(rows.map(pick));
    await db.transaction(async (tx) => {
      await rawRows(
        tx,
        sql`insert into services (name, type, admin_id, tech_id, billing_id)
          select * from unnest(${column(serviceName)}::text[], ${column((i) => SERVICE_TYPES[i % SERVICE_TYPES.length] as string)}::text[],
            ${column((i) => rolesOf(i)[0])}::int[], ${column((i) => rolesOf(i)[1])}::int[], ${column((i) => rolesOf(i)[2])}::int[])`,
      );
    });
  }
  await rawRows(db.read, sql`analyze services`);
}

function serviceName(i: number): string {
  return `${prefix}-${String(i).padStart(7, "0")}.example.com`;
}
await db.close();
