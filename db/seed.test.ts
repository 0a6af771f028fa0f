import { and, count, eq, isNull, lt, or } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { verifyCredentials } from "@/lib/auth/verify-credentials";
import { type Db, migrateDb, openDb } from "./client";
import { accounts, invoices, services } from "./schema";
import { DEMO_PASSWORD, seedDemoData } from "./seed";

const NOW = new Date("2026-04-15T10:00:00.000Z");

let db: Db;
let seeded: boolean;

beforeAll(async () => {
  db = openDb(":memory:");
  migrateDb(db);
  seeded = await seedDemoData(db, NOW);
});

function accountId(customerId: string): number {
  const row = db.select({ id: accounts.id }).from(accounts).where(eq(accounts.customerId, customerId)).get();
  if (!row) throw new Error(`no account ${customerId}`);
  return row.id;
}

/** Names of the services where the account holds `column`'s role. */
function namesWhere(
  column: typeof services.adminId | typeof services.techId | typeof services.billingId,
  customerId: string,
): string[] {
  return db
    .select({ name: services.name })
    .from(services)
    .where(eq(column, accountId(customerId)))
    .orderBy(services.name)
    .all()
    .map((row) => row.name);
}

function namesOfAnyRole(customerId: string): string[] {
  const id = accountId(customerId);
  return db
    .select({ name: services.name })
    .from(services)
    .where(or(eq(services.adminId, id), eq(services.techId, id), eq(services.billingId, id)))
    .orderBy(services.name)
    .all()
    .map((row) => row.name);
}

describe("seedDemoData", () => {
  it("reports that it created the data", () => {
    expect(seeded).toBe(true);
  });

  it("creates exactly the five demo accounts of UI.md", () => {
    expect(
      db
        .select({
          customerId: accounts.customerId,
          name: accounts.name,
          email: accounts.email,
          language: accounts.language,
        })
        .from(accounts)
        .orderBy(accounts.customerId)
        .all(),
    ).toEqual([
      { customerId: "aa100001-ovh", name: "Anna Nowak", email: "anna@example.test", language: "en" },
      {
        customerId: "bb200002-ovh",
        name: "Bartosz Wiśniewski",
        email: "bartosz@example.test",
        language: "en",
      },
      { customerId: "cc300003-ovh", name: "Celina Zielińska", email: "celina@example.test", language: "en" },
      { customerId: "dd400004-ovh", name: "Dawid Kowalczyk", email: "dawid@example.test", language: "en" },
      { customerId: "ee500005-ovh", name: "Ewa Lewandowska", email: "ewa@example.test", language: "en" },
    ]);
  });

  it("the demo password is demo-password", () => {
    expect(DEMO_PASSWORD).toBe("demo-password");
  });

  it.each([
    "aa100001-ovh",
    "bb200002-ovh",
    "cc300003-ovh",
    "dd400004-ovh",
    "ee500005-ovh",
    "anna@example.test",
  ])("%s signs in with the demo password and not with another", async (identifier) => {
    const ok = await verifyCredentials(db, {
      identifier,
      password: "demo-password",
      now: NOW,
      clientAddress: "192.0.2.1",
    });
    expect(ok.ok).toBe(true);
    const wrong = await verifyCredentials(db, {
      identifier,
      password: "demo-password2",
      now: NOW,
      clientAddress: "192.0.2.1",
    });
    expect(wrong).toEqual({ ok: false, reason: "invalid" });
  });

  it("the password is stored hashed", () => {
    const hashes = db.select({ hash: accounts.passwordHash }).from(accounts).all();
    for (const { hash } of hashes) {
      expect(hash).toMatch(/^scrypt\$/);
      expect(hash).not.toContain(DEMO_PASSWORD);
    }
  });

  it("Anna is the administrator of every service", () => {
    const [total] = db.select({ n: count() }).from(services).all();
    expect(namesWhere(services.adminId, "aa100001-ovh")).toHaveLength(total?.n ?? -1);
  });

  it("example.pl is a domain and shop.example.pl web hosting, with Bartosz as tech and Celina as billing", () => {
    const rows = db
      .select({
        name: services.name,
        type: services.type,
        adminId: services.adminId,
        techId: services.techId,
        billingId: services.billingId,
      })
      .from(services)
      .where(or(eq(services.name, "example.pl"), eq(services.name, "shop.example.pl")))
      .orderBy(services.name)
      .all();
    const [anna, bartosz, celina] = ["aa100001-ovh", "bb200002-ovh", "cc300003-ovh"].map(accountId);
    expect(rows).toEqual([
      { name: "example.pl", type: "domain", adminId: anna, techId: bartosz, billingId: celina },
      { name: "shop.example.pl", type: "web_hosting", adminId: anna, techId: bartosz, billingId: celina },
    ]);
  });

  it("Bartosz is the technical contact of example.pl and shop.example.pl only, and nothing else", () => {
    expect(namesWhere(services.techId, "bb200002-ovh")).toEqual(["example.pl", "shop.example.pl"]);
    expect(namesOfAnyRole("bb200002-ovh")).toEqual(["example.pl", "shop.example.pl"]);
  });

  it("Celina is the billing contact of example.pl and shop.example.pl only, and nothing else", () => {
    expect(namesWhere(services.billingId, "cc300003-ovh")).toEqual(["example.pl", "shop.example.pl"]);
    expect(namesOfAnyRole("cc300003-ovh")).toEqual(["example.pl", "shop.example.pl"]);
  });

  it("Dawid and Ewa hold no services", () => {
    expect(namesOfAnyRole("dd400004-ovh")).toEqual([]);
    expect(namesOfAnyRole("ee500005-ovh")).toEqual([]);
  });

  it("vps-42.example.net is a VPS where Anna holds all three roles", () => {
    const anna = accountId("aa100001-ovh");
    expect(
      db
        .select({
          type: services.type,
          adminId: services.adminId,
          techId: services.techId,
          billingId: services.billingId,
        })
        .from(services)
        .where(eq(services.name, "vps-42.example.net"))
        .all(),
    ).toEqual([{ type: "vps", adminId: anna, techId: anna, billingId: anna }]);
  });

  it("there are at least 60 other services, all Anna's alone, with unique names", () => {
    const anna = accountId("aa100001-ovh");
    const named = ["example.pl", "shop.example.pl", "vps-42.example.net"];
    const others = db
      .select({
        name: services.name,
        adminId: services.adminId,
        techId: services.techId,
        billingId: services.billingId,
      })
      .from(services)
      .all()
      .filter((row) => !named.includes(row.name));
    expect(others.length).toBeGreaterThanOrEqual(60);
    expect(new Set(others.map((row) => row.name)).size).toBe(others.length);
    expect(others.every((row) => row.adminId === anna && row.techId === anna && row.billingId === anna)).toBe(
      true,
    );
    expect(namesOfAnyRole("aa100001-ovh").filter((name) => named.includes(name))).toEqual(named);
  });

  it("My contacts of Anna needs more than one page", () => {
    expect(namesOfAnyRole("aa100001-ovh").length).toBeGreaterThan(50);
  });

  it("only Ewa has an overdue unpaid invoice", () => {
    const behind = db
      .selectDistinct({ customerId: accounts.customerId })
      .from(invoices)
      .innerJoin(accounts, eq(accounts.id, invoices.accountId))
      .where(and(isNull(invoices.paidAt), lt(invoices.dueAt, NOW)))
      .all();
    expect(behind).toEqual([{ customerId: "ee500005-ovh" }]);
  });

  it("Ewa's invoice stays overdue a month later", () => {
    const later = new Date(NOW.getTime() + 30 * 24 * 60 * 60 * 1000);
    const ewa = db
      .select({ n: count() })
      .from(invoices)
      .where(
        and(
          eq(invoices.accountId, accountId("ee500005-ovh")),
          isNull(invoices.paidAt),
          lt(invoices.dueAt, later),
        ),
      )
      .get();
    expect(ewa?.n).toBe(1);
  });

  it("a second call does nothing and says so", async () => {
    const before = {
      accounts: db.select().from(accounts).all(),
      services: db.select().from(services).all(),
      invoices: db.select().from(invoices).all(),
    };
    expect(await seedDemoData(db, NOW)).toBe(false);
    expect({
      accounts: db.select().from(accounts).all(),
      services: db.select().from(services).all(),
      invoices: db.select().from(invoices).all(),
    }).toEqual(before);
  });
});

describe("seedDemoData on a database that already has accounts", () => {
  it("adds nothing", async () => {
    const other = openDb(":memory:");
    migrateDb(other);
    other
      .insert(accounts)
      .values({ customerId: "xx1-ovh", name: "X", email: "x@example.test", passwordHash: "x" })
      .run();
    expect(await seedDemoData(other, NOW)).toBe(false);
    expect(other.select({ n: count() }).from(accounts).get()?.n).toBe(1);
    expect(other.select({ n: count() }).from(services).get()?.n).toBe(0);
    expect(other.select({ n: count() }).from(invoices).get()?.n).toBe(0);
  });
});
