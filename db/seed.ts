import { count } from "drizzle-orm";
import { hashPassword } from "@/lib/password";
import { type Db, lockKey, type Reader } from "./client";
import { accounts, invoices, type NewService, type ServiceType, services } from "./schema";

export const DEMO_PASSWORD = "demo-password";

export const DEMO_ACCOUNTS = [
  { customerId: "aa100001-ovh", name: "Anna Nowak", email: "anna@example.test", language: "en" },
  { customerId: "bb200002-ovh", name: "Bartosz Wiśniewski", email: "bartosz@example.test", language: "en" },
  { customerId: "cc300003-ovh", name: "Celina Zielińska", email: "celina@example.test", language: "en" },
  { customerId: "dd400004-ovh", name: "Dawid Kowalczyk", email: "dawid@example.test", language: "en" },
  { customerId: "ee500005-ovh", name: "Ewa Lewandowska", email: "ewa@example.test", language: "en" },
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

/** Creates the demo data of UI.md when the database has no account yet. Returns whether it did. */
export async function seedDemoData(db: Db, now = new Date()): Promise<boolean> {
  const hasAccounts = async (executor: Reader) => {
    const [existing] = await executor.select({ n: count() }).from(accounts);
    return (existing?.n ?? 0) > 0;
  };
  // Checked first outside a transaction: a seeded database costs no password hash and no lock.
  if (await hasAccounts(db.read)) return false;
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  return db.transaction(async (tx) => {
    // Instances starting together seed once: the first holds the key, the others then find its accounts.
    await lockKey(tx, "seed-demo-data");
    if (await hasAccounts(tx)) return false;
    const ids = new Map<string, number>();
    for (const account of DEMO_ACCOUNTS) {
      const [row] = await tx
        .insert(accounts)
        .values({ ...account, passwordHash })
        .returning({ id: accounts.id });
      if (!row) throw new Error(`account ${account.customerId} was not created`);
      ids.set(account.customerId, row.id);
    }
    const id = (customerId: string) => ids.get(customerId) as number;
    const anna = id("aa100001-ovh");
    const rows: NewService[] = [
      {
        name: "example.pl",
        type: "domain",
        adminId: anna,
        techId: id("bb200002-ovh"),
        billingId: id("cc300003-ovh"),
      },
      {
        name: "shop.example.pl",
        type: "web_hosting",
        adminId: anna,
        techId: id("bb200002-ovh"),
        billingId: id("cc300003-ovh"),
      },
      { name: "vps-42.example.net", type: "vps", adminId: anna, techId: anna, billingId: anna },
      ...otherDemoServices().map((s) => ({ ...s, adminId: anna, techId: anna, billingId: anna })),
    ];
    await tx.insert(services).values(rows);
    await tx.insert(invoices).values([
      {
        accountId: anna,
        reference: "FR-2026-0001",
        amountCents: 12_300,
        dueAt: new Date(now.getTime() - 30 * DAY_MS),
        paidAt: new Date(now.getTime() - 35 * DAY_MS),
      },
      {
        accountId: id("cc300003-ovh"),
        reference: "FR-2026-0002",
        amountCents: 4_900,
        // Paid, so that a demo database kept for weeks still lets Celina's billing role move.
        dueAt: new Date(now.getTime() - 10 * DAY_MS),
        paidAt: new Date(now.getTime() - 12 * DAY_MS),
      },
      {
        accountId: id("ee500005-ovh"),
        reference: "FR-2026-0003",
        amountCents: 9_900,
        dueAt: new Date(now.getTime() - 20 * DAY_MS),
      },
    ]);
    return true;
  });
}
