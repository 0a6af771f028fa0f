// Gives one account many services, for the My contacts benchmark:
//   npm run db:seed:large -- 10000 [--account xx900000-ovh]
import { eq } from "drizzle-orm";
import { migrateDb, openDb, sqliteClientOf } from "@/db/client";
import { accounts, SERVICE_TYPES } from "@/db/schema";
import { DEMO_PASSWORD } from "@/db/seed";
import { databasePath } from "@/lib/config";
import { parseCustomerId } from "@/lib/customer-id";
import { hashPassword } from "@/lib/password";

export const LARGE_ACCOUNT_DEFAULT = "xx900000-ovh";

const args = process.argv.slice(2);
const total = Number(args.find((a) => /^\d+$/.test(a)) ?? 10_000);
const accountFlag = args.indexOf("--account");
const customerId = parseCustomerId(accountFlag >= 0 ? (args[accountFlag + 1] ?? "") : LARGE_ACCOUNT_DEFAULT);
if (!customerId) throw new Error("--account needs a customer ID like aa123456-ovh");

const db = openDb(databasePath());
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
// Bulk insert on the SQLite connection itself: one prepared statement in one synchronous
// transaction is what makes 100,000 rows take seconds.
const sqlite = sqliteClientOf(db);
const insert = sqlite.prepare(
  "INSERT INTO services (name, type, admin_id, tech_id, billing_id) VALUES (?, ?, ?, ?, ?)",
);
const started = performance.now();
sqlite.transaction(() => {
  for (let i = 0; i < total; i++) {
    const other = others[i % others.length] as number;
    // A mix of roles: all three, admin only, tech only, billing only.
    const [admin, tech, billing] = [
      [owner, owner, owner],
      [owner, other, other],
      [other, owner, other],
      [other, other, owner],
    ][i % 4] as [number, number, number];
    const type = SERVICE_TYPES[i % SERVICE_TYPES.length];
    insert.run(
      `${customerId.split("-")[0]}-${String(i).padStart(7, "0")}.example.com`,
      type,
      admin,
      tech,
      billing,
    );
  }
})();
sqlite.pragma("optimize");
console.log(
  `Gave ${customerId} ${total} services in ${Math.round(performance.now() - started)} ms (${databasePath()}).`,
);
await db.close();
