import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, count, eq, isNull, lt, or } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { verifyCredentials } from "@/lib/auth/verify-credentials";
import { type Db, openDb } from "./client";
import { accounts, importRuns, invoices, services } from "./schema";
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemoData } from "./seed";
import { openTestDb } from "./testing";

const NOW = new Date("2026-04-15T10:00:00.000Z");

let db: Db;
let seeded: boolean;

beforeAll(async () => {
  db = await openTestDb();
  seeded = await seedDemoData(db, NOW);
});

async function accountId(customerId: string): Promise<number> {
  const [row] = await db.read
    .select({ id: accounts.id })
    .from(accounts)
    .where(eq(accounts.customerId, customerId));
  if (!row) throw new Error(`no account ${customerId}`);
  return row.id;
}

/** Names of the services where the account holds `column`'s role. */
async function namesWhere(
  column: typeof services.adminId | typeof services.techId | typeof services.billingId,
  customerId: string,
): Promise<string[]> {
  const rows = await db.read
    .select({ name: services.name })
    .from(services)
    .where(eq(column, await accountId(customerId)))
    .orderBy(services.name);
  return rows.map((row) => row.name);
}

async function namesOfAnyRole(customerId: string): Promise<string[]> {
  const id = await accountId(customerId);
  const rows = await db.read
    .select({ name: services.name })
    .from(services)
    .where(or(eq(services.adminId, id), eq(services.techId, id), eq(services.billingId, id)))
    .orderBy(services.name);
  return rows.map((row) => row.name);
}

describe("seedDemoData", () => {
  it("reports that it created the data", () => {
    expect(seeded).toBe(true);
  });

  it("creates exactly the five demo accounts of UI.md", async () => {
    expect(
      await db.read
        .select({
          customerId: accounts.customerId,
          name: accounts.name,
          email: accounts.email,
          language: accounts.language,
        })
        .from(accounts)
        .orderBy(accounts.customerId),
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

  it("the password is stored hashed", async () => {
    const hashes = await db.read.select({ hash: accounts.passwordHash }).from(accounts);
    for (const { hash } of hashes) {
      expect(hash).toMatch(/^scrypt\$/);
      expect(hash).not.toContain(DEMO_PASSWORD);
    }
  });

  it("Anna is the administrator of every service", async () => {
    const [total] = await db.read.select({ n: count() }).from(services);
    expect(await namesWhere(services.adminId, "aa100001-ovh")).toHaveLength(total?.n ?? -1);
  });

  it("example.pl is a domain and shop.example.pl web hosting, with Bartosz as tech and Celina as billing", async () => {
    const rows = await db.read
      .select({
        name: services.name,
        type: services.type,
        adminId: services.adminId,
        techId: services.techId,
        billingId: services.billingId,
      })
      .from(services)
      .where(or(eq(services.name, "example.pl"), eq(services.name, "shop.example.pl")))
      .orderBy(services.name);
    const anna = await accountId("aa100001-ovh");
    const bartosz = await accountId("bb200002-ovh");
    const celina = await accountId("cc300003-ovh");
    expect(rows).toEqual([
      { name: "example.pl", type: "domain", adminId: anna, techId: bartosz, billingId: celina },
      { name: "shop.example.pl", type: "web_hosting", adminId: anna, techId: bartosz, billingId: celina },
    ]);
  });

  it("Bartosz is the technical contact of example.pl and shop.example.pl only, and nothing else", async () => {
    expect(await namesWhere(services.techId, "bb200002-ovh")).toEqual(["example.pl", "shop.example.pl"]);
    expect(await namesOfAnyRole("bb200002-ovh")).toEqual(["example.pl", "shop.example.pl"]);
  });

  it("Celina is the billing contact of example.pl and shop.example.pl only, and nothing else", async () => {
    expect(await namesWhere(services.billingId, "cc300003-ovh")).toEqual(["example.pl", "shop.example.pl"]);
    expect(await namesOfAnyRole("cc300003-ovh")).toEqual(["example.pl", "shop.example.pl"]);
  });

  it("Dawid and Ewa hold no services", async () => {
    expect(await namesOfAnyRole("dd400004-ovh")).toEqual([]);
    expect(await namesOfAnyRole("ee500005-ovh")).toEqual([]);
  });

  it("vps-42.example.net is a VPS where Anna holds all three roles", async () => {
    const anna = await accountId("aa100001-ovh");
    expect(
      await db.read
        .select({
          type: services.type,
          adminId: services.adminId,
          techId: services.techId,
          billingId: services.billingId,
        })
        .from(services)
        .where(eq(services.name, "vps-42.example.net")),
    ).toEqual([{ type: "vps", adminId: anna, techId: anna, billingId: anna }]);
  });

  it("there are at least 60 other services, all Anna's alone, with unique names", async () => {
    const anna = await accountId("aa100001-ovh");
    const named = ["example.pl", "shop.example.pl", "vps-42.example.net"];
    const others = (
      await db.read
        .select({
          name: services.name,
          adminId: services.adminId,
          techId: services.techId,
          billingId: services.billingId,
        })
        .from(services)
    ).filter((row) => !named.includes(row.name));
    expect(others.length).toBeGreaterThanOrEqual(60);
    expect(new Set(others.map((row) => row.name)).size).toBe(others.length);
    expect(others.every((row) => row.adminId === anna && row.techId === anna && row.billingId === anna)).toBe(
      true,
    );
    expect((await namesOfAnyRole("aa100001-ovh")).filter((name) => named.includes(name))).toEqual(named);
  });

  it("My contacts of Anna needs more than one page", async () => {
    expect((await namesOfAnyRole("aa100001-ovh")).length).toBeGreaterThan(50);
  });

  it("only Ewa has an overdue unpaid invoice", async () => {
    const behind = await db.read
      .selectDistinct({ customerId: accounts.customerId })
      .from(invoices)
      .innerJoin(accounts, eq(accounts.id, invoices.accountId))
      .where(and(isNull(invoices.paidAt), lt(invoices.dueAt, NOW)));
    expect(behind).toEqual([{ customerId: "ee500005-ovh" }]);
  });

  it("Ewa's invoice stays overdue a month later", async () => {
    const later = new Date(NOW.getTime() + 30 * 24 * 60 * 60 * 1000);
    const [ewa] = await db.read
      .select({ n: count() })
      .from(invoices)
      .where(
        and(
          eq(invoices.accountId, await accountId("ee500005-ovh")),
          isNull(invoices.paidAt),
          lt(invoices.dueAt, later),
        ),
      );
    expect(ewa?.n).toBe(1);
  });

  it("a second call does nothing and says so", async () => {
    const before = {
      accounts: await db.read.select().from(accounts),
      services: await db.read.select().from(services),
      invoices: await db.read.select().from(invoices),
    };
    expect(await seedDemoData(db, NOW)).toBe(false);
    expect({
      accounts: await db.read.select().from(accounts),
      services: await db.read.select().from(services),
      invoices: await db.read.select().from(invoices),
    }).toEqual(before);
  });
});

describe("seedDemoData on a database that already has accounts", () => {
  it("adds nothing", async () => {
    const other = await openTestDb();
    await other.transaction(async (tx) => {
      await tx
        .insert(accounts)
        .values({ customerId: "xx1-ovh", name: "X", email: "x@example.test", passwordHash: "x" });
    });
    expect(await seedDemoData(other, NOW)).toBe(false);
    expect(await other.read.$count(accounts)).toBe(1);
    expect(await other.read.$count(services)).toBe(0);
    expect(await other.read.$count(invoices)).toBe(0);
    await other.close();
  });
});

describe("seedDemoData after a crash halfway (kill -9 during the first start)", () => {
  it("takes the seed up again at the next start and ends with the whole demo data", async () => {
    const crashed = await openTestDb();
    // What a start killed after claiming the seed leaves: its import run, unfinished, and some rows.
    await crashed.transaction(async (tx) => {
      const crashedAt = new Date(NOW.getTime() - 60_000);
      await tx.insert(importRuns).values({ source: "demo-seed", createdAt: crashedAt, updatedAt: crashedAt });
      await tx.insert(accounts).values({
        customerId: "aa100001-ovh",
        name: "Anna Nowak",
        email: "anna@example.test",
        passwordHash: "x",
      });
    });
    expect(await seedDemoData(crashed, NOW)).toBe(true);
    expect(await crashed.read.$count(accounts)).toBe(DEMO_ACCOUNTS.length);
    expect(await crashed.read.$count(services)).toBe(await db.read.$count(services));
    expect(await crashed.read.$count(invoices)).toBe(3);
    // Anna's password is the demo one again, and the next start leaves it all alone.
    expect(
      await verifyCredentials(crashed, {
        identifier: "aa100001-ovh",
        password: DEMO_PASSWORD,
        now: NOW,
        clientAddress: "192.0.2.1",
      }),
    ).toMatchObject({ ok: true });
    expect(await seedDemoData(crashed, NOW)).toBe(false);
    await crashed.close();
  });

  it("writes the invoices when the crash came between the import and them", async () => {
    const crashed = await openTestDb();
    await seedDemoData(crashed, new Date(NOW.getTime() - 60_000));
    await crashed.transaction((tx) => tx.delete(invoices));
    expect(await seedDemoData(crashed, NOW)).toBe(true);
    expect(await crashed.read.$count(invoices)).toBe(3);
    expect(await crashed.read.$count(accounts)).toBe(DEMO_ACCOUNTS.length);
    await crashed.close();
  });
});

describe("seedDemoData from instances starting together", () => {
  it("creates the demo data once, and the other instance says it did nothing", async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), "seed-"));
    const first = await openTestDb(path.join(folder, "app.db"));
    const second = openDb(first.location);
    try {
      const results = await Promise.all([seedDemoData(first, NOW), seedDemoData(second, NOW)]);
      expect(results.sort()).toEqual([false, true]);
      expect(await first.read.$count(accounts)).toBe(DEMO_ACCOUNTS.length);
      expect(await first.read.$count(invoices)).toBe(3);
    } finally {
      await second.close();
      await first.close();
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});
