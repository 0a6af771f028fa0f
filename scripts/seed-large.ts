// Gives one account many services (through the provider's bulk import, as a first load would), for the My contacts benchmark, and with --requests as many
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
import { importNdjson } from "@/lib/provider/provisioning/import-ndjson";
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

const prefix = customerId.split("-")[0] as string;
const otherIds = Array.from({ length: 20 }, (_, i) => `xo${String(i + 1).padStart(6, "0")}-ovh`);

/** The accounts and services as the lines of a bulk import, built as they are read. */
async function* seedLines(): AsyncIterable<string> {
  const account = (id: string, name: string) =>
    JSON.stringify({ kind: "account", customerId: id, name, email: `${id}@example.test`, passwordHash });
  yield account(customerId as string, "Large Account");
  for (const [i, id] of otherIds.entries()) yield account(id, `Other ${i + 1}`);
  for (let i = 0; i < total; i++) {
    const [admin, tech, billing] = rolesOf(i);
    yield JSON.stringify({
      kind: "service",
      type: SERVICE_TYPES[i % SERVICE_TYPES.length],
      name: serviceName(i),
      contactAdmin: admin,
      contactTech: tech,
      contactBilling: billing,
    });
  }
}

const started = performance.now();
const report = await importNdjson(db, seedLines(), { source: `seed-large:${customerId}` });
if (report.errors.length > 0) throw new Error(`seeding failed: ${JSON.stringify(report.errors.slice(0, 5))}`);
if (db.dialect === "postgres") await rawRows(db.read, sql`analyze services`);
else sqliteClientOf(db).pragma("optimize");
console.log(
  `Gave ${customerId} ${total} services in ${Math.round(performance.now() - started)} ms (${describeLocation(location)}).`,
);
const idOf = async (id: string): Promise<number> => {
  const [row] = await db.read.select({ id: accounts.id }).from(accounts).where(eq(accounts.customerId, id));
  if (!row) throw new Error(`no account ${id}`);
  return row.id;
};
const owner = await idOf(customerId);
const others: number[] = [];
for (const id of otherIds) others.push(await idOf(id));
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
function rolesOf(i: number): [string, string, string] {
  const owner = customerId as string;
  const other = otherIds[i % otherIds.length] as string;
  return [
    [owner, owner, owner],
    [owner, other, other],
    [other, owner, other],
    [other, other, owner],
  ][i % 4] as [string, string, string];
}

function serviceName(i: number): string {
  return `${prefix}-${String(i).padStart(7, "0")}.example.com`;
}
await db.close();
