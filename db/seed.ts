import { count, desc, eq } from "drizzle-orm";
import { hashPassword } from "@/lib/password";
import { importNdjson } from "@/lib/provider/provisioning/import-ndjson";
import { type Db, lockKey, type Reader } from "./client";
import { accounts, importRuns, invoices, type ServiceType } from "./schema";

export const DEMO_PASSWORD = "demo-password";

export const DEMO_ACCOUNTS = [
  { customerId: "aa100001-ovh", name: "Anna Nowak", email: "anna@example.test" },
  { customerId: "bb200002-ovh", name: "Bartosz Wiśniewski", email: "bartosz@example.test" },
  { customerId: "cc300003-ovh", name: "Celina Zielińska", email: "celina@example.test" },
  { customerId: "dd400004-ovh", name: "Dawid Kowalczyk", email: "dawid@example.test" },
  { customerId: "ee500005-ovh", name: "Ewa Lewandowska", email: "ewa@example.test" },
] as const;

const DAY_MS = 24 * 60 * 60 * 1000;

/** Anna's other services, so that My contacts has more than one page. */
function otherDemoServices(): { name: string; type: ServiceType }[] {
  const kinds: { type: ServiceType; name: (n: string) => string }[] = [
    { type: "domain", name: (n) => `nowak-${n}.pl` },
    { type: "web_hosting", name: (n) => `hosting-${n}.example.pl` },
    { type: "email", name: (n) => `mail-${n}.example.pl` },
    { type: "dedicated_server", name: (n) => `ns${n}.example.net` },
  ];
  return Array.from({ length: 72 }, (_, i) => {
    const kind = kinds[i % kinds.length] as (typeof kinds)[number];
    return { type: kind.type, name: kind.name(String(Math.floor(i / kinds.length) + 1).padStart(2, "0")) };
  });
}

/** The import run that creates the demo data: the claim that only one instance seeds. */
const DEMO_SEED_SOURCE = "demo-seed";

/** The demo accounts and services as the lines of an import (lib/provider/provisioning). */
async function* demoLines(passwordHash: string): AsyncIterable<string> {
  for (const account of DEMO_ACCOUNTS) {
    yield JSON.stringify({ kind: "account", ...account, passwordHash });
  }
  const service = (type: ServiceType, name: string, admin: string, tech: string, billing: string) =>
    JSON.stringify({
      kind: "service",
      type,
      name,
      contactAdmin: admin,
      contactTech: tech,
      contactBilling: billing,
    });
  yield service("domain", "example.pl", ANNA, "bb200002-ovh", "cc300003-ovh");
  yield service("web_hosting", "shop.example.pl", ANNA, "bb200002-ovh", "cc300003-ovh");
  yield service("vps", "vps-42.example.net", ANNA, ANNA, ANNA);
  for (const other of otherDemoServices()) yield service(other.type, other.name, ANNA, ANNA, ANNA);
}

const ANNA = "aa100001-ovh";

/** The invoice written last: once it exists, the demo seed is whole. */
const LAST_DEMO_INVOICE = "FR-2026-0003";

/**
 * Where the demo data stands: `empty` (no account: seed it), `unfinished` (a seed began and did
 * not end: a crash; take it up again), or `seeded` (done, or the database holds a provider's own
 * accounts, which are not ours to add to).
 */
async function demoSeedState(
  executor: Reader,
): Promise<{ state: "empty" | "unfinished" | "seeded"; lastWrite?: Date }> {
  const [run] = await executor
    .select({ finishedAt: importRuns.finishedAt, updatedAt: importRuns.updatedAt })
    .from(importRuns)
    .where(eq(importRuns.source, DEMO_SEED_SOURCE))
    .orderBy(desc(importRuns.id))
    .limit(1);
  if (run) {
    if (run.finishedAt !== null) {
      const [invoice] = await executor
        .select({ id: invoices.id })
        .from(invoices)
        .where(eq(invoices.reference, LAST_DEMO_INVOICE));
      if (invoice) return { state: "seeded" };
    }
    return { state: "unfinished", lastWrite: run.updatedAt };
  }
  const [existing] = await executor.select({ n: count() }).from(accounts);
  return { state: (existing?.n ?? 0) > 0 ? "seeded" : "empty" };
}

/**
 * An unfinished seed whose run wrote nothing for this long was stopped (a crash), not still at
 * work in another instance: the demo data is a single batch written in well under a second.
 */
const STALE_SEED_MS = 10_000;

/**
 * Creates the demo data of UI.md when the database has no account yet, through the provider's
 * bulk import, as a provider's first load would. Returns whether it did.
 */
export async function seedDemoData(db: Db, now = new Date()): Promise<boolean> {
  // Checked first outside a transaction: a seeded database costs no password hash and no lock.
  if ((await demoSeedState(db.read)).state === "seeded") return false;
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  // Instances starting together seed once: the first claims the seed's import run under the key,
  // the others then find its run (or its accounts) and leave it. A seed that a crash (kill -9)
  // stopped halfway is taken up again at the next start, from its last committed line.
  const isClaimed = await db.transaction(async (tx) => {
    await lockKey(tx, "seed-demo-data");
    const { state, lastWrite } = await demoSeedState(tx);
    if (state === "empty") {
      await tx.insert(importRuns).values({ source: DEMO_SEED_SOURCE, createdAt: now, updatedAt: now });
      return true;
    }
    // Instances starting together on PostgreSQL already take turns (prepare-db's setup lock);
    // this keeps a second one off a seed that is still being written without it.
    return state === "unfinished" && now.getTime() - (lastWrite as Date).getTime() >= STALE_SEED_MS;
  });
  if (!isClaimed) return false;
  const report = await importNdjson(db, demoLines(passwordHash), {
    source: DEMO_SEED_SOURCE,
    resume: true,
    now: () => now,
  });
  if (report.errors.length > 0)
    throw new Error(`the demo data did not import: ${JSON.stringify(report.errors)}`);
  const [anna, celina, ewa] = await Promise.all(
    [ANNA, "cc300003-ovh", "ee500005-ovh"].map(async (customerId) => {
      const [row] = await db.read
        .select({ id: accounts.id })
        .from(accounts)
        .where(eq(accounts.customerId, customerId));
      if (!row) throw new Error(`account ${customerId} was not created`);
      return row.id;
    }),
  );
  // Invoices are the app's own record of payments, not the provider's: written here.
  await db.transaction(async (tx) => {
    await tx
      .insert(invoices)
      .values([
        {
          accountId: anna as number,
          reference: "FR-2026-0001",
          amountCents: 12_300,
          dueAt: new Date(now.getTime() - 30 * DAY_MS),
          paidAt: new Date(now.getTime() - 35 * DAY_MS),
        },
        {
          accountId: celina as number,
          reference: "FR-2026-0002",
          amountCents: 4_900,
          // Paid, so that a demo database kept for weeks still lets Celina's billing role move.
          dueAt: new Date(now.getTime() - 10 * DAY_MS),
          paidAt: new Date(now.getTime() - 12 * DAY_MS),
        },
        {
          accountId: ewa as number,
          reference: LAST_DEMO_INVOICE,
          amountCents: 9_900,
          dueAt: new Date(now.getTime() - 20 * DAY_MS),
        },
      ])
      .onConflictDoNothing();
  });
  return true;
}
