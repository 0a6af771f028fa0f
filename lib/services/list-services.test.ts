import { eq, sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { type Db, rawRows, sqliteClientOf, type Tx } from "@/db/client";
import { accounts, type ContactType, type ServiceType, services } from "@/db/schema";
import { openTestDb } from "@/db/testing";
import {
  buildServicePageSql,
  likePattern,
  listServices,
  PAGE_SIZE,
  parseServiceListQuery,
  planSearch,
  SEARCH_INDEX_MATCH_LIMIT,
  type ServiceListQuery,
  type ServicePage,
} from "./list-services";

const freshDb = (): Promise<Db> => openTestDb();

async function addAccount(db: Db, customerId: string): Promise<number> {
  const [row] = await db.transaction((tx) =>
    tx
      .insert(accounts)
      .values({ customerId, name: customerId, email: `${customerId}@example.test`, passwordHash: "x" })
      .returning({ id: accounts.id }),
  );
  return (row as { id: number }).id;
}

type Contacts = { admin: number; tech: number; billing: number };

async function insertService(tx: Tx, name: string, type: ServiceType, contacts: Contacts): Promise<number> {
  const [row] = await tx
    .insert(services)
    .values({ name, type, adminId: contacts.admin, techId: contacts.tech, billingId: contacts.billing })
    .returning({ id: services.id });
  return (row as { id: number }).id;
}

function addService(db: Db, name: string, type: ServiceType, contacts: Contacts): Promise<number> {
  return db.transaction((tx) => insertService(tx, name, type, contacts));
}

/** `count` domains in one transaction, a thousand to a statement; `service(i)` gives the i-th. */
async function addManyDomains(
  db: Db,
  count: number,
  service: (i: number) => { name: string } & Contacts,
): Promise<void> {
  await db.transaction(async (tx) => {
    for (let start = 0; start < count; start += 1000) {
      const chunk = Array.from({ length: Math.min(1000, count - start) }, (_, k) => {
        const { name, admin, tech, billing } = service(start + k);
        return { name, type: "domain" as const, adminId: admin, techId: tech, billingId: billing };
      });
      await tx.insert(services).values(chunk);
    }
  });
}

const query = (overrides: Partial<ServiceListQuery> = {}): ServiceListQuery => ({
  search: "",
  type: null,
  role: null,
  cursor: null,
  ...overrides,
});

const names = async (db: Db, accountId: number, overrides: Partial<ServiceListQuery> = {}) =>
  (await listServices(db, accountId, query(overrides))).rows.map((row) => row.name);

describe("parseServiceListQuery", () => {
  it("an empty URL asks for the first page of everything", () => {
    expect(parseServiceListQuery({})).toEqual({ search: "", type: null, role: null, cursor: null });
  });

  it("reads valid values", () => {
    expect(parseServiceListQuery({ q: "example", type: "vps", role: "billing", after: "m.pl" })).toEqual({
      search: "example",
      type: "vps",
      role: "billing",
      cursor: { direction: "after", name: "m.pl", id: null },
    });
  });

  it.each(["domain", "web_hosting", "vps", "dedicated_server", "email"])(
    "accepts the service type %s",
    (type) => {
      expect(parseServiceListQuery({ type }).type).toBe(type);
    },
  );

  it.each(["admin", "tech", "billing"])("accepts the role %s", (role) => {
    expect(parseServiceListQuery({ role }).role).toBe(role);
  });

  it("reads a position to page from, with an id only where it is a valid one", () => {
    expect(parseServiceListQuery({ before: "m.pl", beforeId: "12" }).cursor).toEqual({
      direction: "before",
      name: "m.pl",
      id: 12,
    });
    for (const id of ["0", "-1", "abc", "99999999999999999999"]) {
      expect(parseServiceListQuery({ after: "m.pl", afterId: id }).cursor?.id).toBeNull();
    }
  });

  it("an empty or absurdly long position is no position; the old page numbers mean the first page", () => {
    expect(parseServiceListQuery({ after: "" }).cursor).toBeNull();
    expect(parseServiceListQuery({ after: "x".repeat(501) }).cursor).toBeNull();
    expect(parseServiceListQuery({ page: "3" }).cursor).toBeNull();
  });

  it.each(["VPS", "server", "web-hosting", " vps", "__proto__", "toString"])(
    "ignores the type %j",
    (type) => {
      expect(parseServiceListQuery({ type }).type).toBeNull();
    },
  );

  it.each(["Admin", "owner", "technical", "billing ", "constructor"])("ignores the role %j", (role) => {
    expect(parseServiceListQuery({ role }).role).toBeNull();
  });

  it("a repeated parameter takes its first value", () => {
    expect(
      parseServiceListQuery({
        q: ["first", "second"],
        type: ["email", "vps"],
        role: ["tech", "admin"],
        after: ["b.pl", "a.pl"],
      }),
    ).toEqual({
      search: "first",
      type: "email",
      role: "tech",
      cursor: { direction: "after", name: "b.pl", id: null },
    });
  });

  it("a repeated parameter whose first value is bad is ignored, not replaced by a later one", () => {
    expect(parseServiceListQuery({ type: ["bad", "vps"], role: ["bad", "tech"] })).toEqual({
      search: "",
      type: null,
      role: null,
      cursor: null,
    });
  });

  it("an empty array counts as absent", () => {
    expect(parseServiceListQuery({ q: [], type: [], role: [], after: [] })).toEqual({
      search: "",
      type: null,
      role: null,
      cursor: null,
    });
  });

  it("the search is trimmed", () => {
    expect(parseServiceListQuery({ q: "  shop.example.pl \t" }).search).toBe("shop.example.pl");
  });

  it("the search is trimmed first, then capped at 100 characters", () => {
    const search = parseServiceListQuery({ q: `   ${"a".repeat(100)}bcd` }).search;
    expect(search).toBe("a".repeat(100));
  });

  it("a search of only spaces is no search", () => {
    expect(parseServiceListQuery({ q: "    " }).search).toBe("");
  });

  it("unknown parameters are ignored", () => {
    expect(parseServiceListQuery({ sort: "desc", limit: "1000", q: undefined })).toEqual({
      search: "",
      type: null,
      role: null,
      cursor: null,
    });
  });
});

describe("likePattern", () => {
  it("wraps the search in % for a substring match", () => {
    expect(likePattern("example")).toBe("%example%");
  });

  it("escapes _, % and the escape character itself", () => {
    expect(likePattern("a_b")).toBe("%a\\_b%");
    expect(likePattern("100%")).toBe("%100\\%%");
    expect(likePattern("a\\b")).toBe("%a\\\\b%");
    expect(likePattern("_%\\_")).toBe("%\\_\\%\\\\\\_%");
  });

  it("leaves other characters alone", () => {
    expect(likePattern("shop.example-1*?[]")).toBe("%shop.example-1*?[]%");
  });
});

describe("listServices", () => {
  let db: Db;
  let anna: number;
  let bob: number;
  let carl: number;
  let dawid: number;
  let eve: number;
  const ids: Record<string, number> = {};

  beforeEach(async () => {
    db = await freshDb();
    anna = await addAccount(db, "aa100001-ovh");
    bob = await addAccount(db, "bb200002-ovh");
    carl = await addAccount(db, "cc300003-ovh");
    dawid = await addAccount(db, "dd400004-ovh");
    eve = await addAccount(db, "ee500005-ovh");
    const add = async (name: string, type: ServiceType, admin: number, tech: number, billing: number) => {
      ids[name] = await addService(db, name, type, { admin, tech, billing });
    };
    await add("shop.example.pl", "web_hosting", anna, bob, carl);
    await add("example.pl", "domain", anna, bob, carl);
    await add("vps-42.example.net", "vps", anna, anna, anna);
    await add("mail.example.com", "email", bob, anna, carl);
    await add("alpha.example.org", "dedicated_server", bob, carl, anna);
    await add("mixed.example.pl", "domain", anna, anna, carl);
    await add("eve.example.pl", "domain", eve, eve, eve);
    await add("eve-tech.example.pl", "domain", eve, bob, eve);
  });

  it("lists the services the account is a contact of, once each, sorted by name", async () => {
    expect(await names(db, anna)).toEqual([
      "alpha.example.org",
      "example.pl",
      "mail.example.com",
      "mixed.example.pl",
      "shop.example.pl",
      "vps-42.example.net",
    ]);
  });

  it("a service where the account holds all three roles appears once", async () => {
    expect((await names(db, anna)).filter((name) => name === "vps-42.example.net")).toHaveLength(1);
  });

  it("services with the same name are ordered by id", async () => {
    const first = await addService(db, "twin.example.pl", "domain", { admin: eve, tech: anna, billing: eve });
    const second = await addService(db, "twin.example.pl", "email", {
      admin: anna,
      tech: anna,
      billing: anna,
    });
    const twins = (await listServices(db, anna, query({ search: "twin" }))).rows;
    expect(twins.map((row) => [row.id, row.type])).toEqual([
      [first, "domain"],
      [second, "email"],
    ]);
  });

  it("each row carries the service's type and its three contacts' ids and customer IDs", async () => {
    const rows = (await listServices(db, anna, query())).rows;
    expect(rows.find((row) => row.name === "alpha.example.org")).toEqual({
      id: ids["alpha.example.org"],
      name: "alpha.example.org",
      type: "dedicated_server",
      admin: { id: bob, customerId: "bb200002-ovh" },
      tech: { id: carl, customerId: "cc300003-ovh" },
      billing: { id: anna, customerId: "aa100001-ovh" },
    });
    expect(rows.find((row) => row.name === "example.pl")).toEqual({
      id: ids["example.pl"],
      name: "example.pl",
      type: "domain",
      admin: { id: anna, customerId: "aa100001-ovh" },
      tech: { id: bob, customerId: "bb200002-ovh" },
      billing: { id: carl, customerId: "cc300003-ovh" },
    });
  });

  it("another account's services never appear", async () => {
    const annas = await names(db, anna);
    expect(annas).not.toContain("eve.example.pl");
    expect(annas).not.toContain("eve-tech.example.pl");
    expect(await names(db, eve)).toEqual(["eve-tech.example.pl", "eve.example.pl"]);
    expect(await names(db, anna, { search: "eve" })).toEqual([]);
  });

  it("each account sees exactly the services where it is admin, tech or billing", async () => {
    expect(await names(db, bob)).toEqual([
      "alpha.example.org",
      "eve-tech.example.pl",
      "example.pl",
      "mail.example.com",
      "shop.example.pl",
    ]);
    expect(await names(db, carl)).toEqual([
      "alpha.example.org",
      "example.pl",
      "mail.example.com",
      "mixed.example.pl",
      "shop.example.pl",
    ]);
  });

  it("an account with no services gets an empty first page", async () => {
    expect(await listServices(db, dawid, query())).toEqual({ rows: [], next: null, previous: null });
  });

  it.each<[ContactType, string[]]>([
    ["admin", ["example.pl", "mixed.example.pl", "shop.example.pl", "vps-42.example.net"]],
    ["tech", ["mail.example.com", "mixed.example.pl", "vps-42.example.net"]],
    ["billing", ["alpha.example.org", "vps-42.example.net"]],
  ])(
    "the role filter %s keeps only the services where the account holds that role",
    async (role, expected) => {
      expect(await names(db, anna, { role })).toEqual(expected);
    },
  );

  it("the type filter keeps only that type", async () => {
    expect(await names(db, anna, { type: "domain" })).toEqual(["example.pl", "mixed.example.pl"]);
    expect(await names(db, anna, { type: "vps" })).toEqual(["vps-42.example.net"]);
    expect(await names(db, dawid, { type: "vps" })).toEqual([]);
  });

  it("type, role and search filters combine", async () => {
    expect(await names(db, anna, { type: "domain", role: "tech" })).toEqual(["mixed.example.pl"]);
    expect(await names(db, anna, { type: "domain", search: "shop" })).toEqual([]);
    expect(await names(db, anna, { role: "admin", search: ".pl" })).toEqual([
      "example.pl",
      "mixed.example.pl",
      "shop.example.pl",
    ]);
  });

  it("the search matches a substring anywhere in the name", async () => {
    expect(await names(db, anna, { search: "example.pl" })).toEqual([
      "example.pl",
      "mixed.example.pl",
      "shop.example.pl",
    ]);
    expect(await names(db, anna, { search: "ample.c" })).toEqual(["mail.example.com"]);
    expect(await names(db, anna, { search: "net" })).toEqual(["vps-42.example.net"]);
  });

  it("the search is case-insensitive", async () => {
    expect(await names(db, anna, { search: "SHOP.Example" })).toEqual(["shop.example.pl"]);
  });

  it("a search that matches nothing gives an empty page", async () => {
    expect(await listServices(db, anna, query({ search: "nothing-like-this" }))).toEqual({
      rows: [],
      next: null,
      previous: null,
    });
  });

  it("_, % and \\ in the search are matched literally", async () => {
    const contacts = { admin: anna, tech: bob, billing: carl };
    for (const name of ["a_b.pl", "axb.pl", "100%.pl", "1000.pl", "back\\slash.pl", "backxslash.pl"]) {
      await addService(db, name, "domain", contacts);
    }
    expect(await names(db, anna, { search: "a_b" })).toEqual(["a_b.pl"]);
    expect(await names(db, anna, { search: "_" })).toEqual(["a_b.pl"]);
    expect(await names(db, anna, { search: "100%" })).toEqual(["100%.pl"]);
    expect(await names(db, anna, { search: "%" })).toEqual(["100%.pl"]);
    expect(await names(db, anna, { search: "back\\slash" })).toEqual(["back\\slash.pl"]);
    expect(await names(db, anna, { search: "\\" })).toEqual(["back\\slash.pl"]);
  });

  it("a position past the end gives an empty page rather than an error", async () => {
    const past = { direction: "after", name: "zzzz", id: null } as const;
    expect(await listServices(db, anna, query({ cursor: past }))).toEqual({
      rows: [],
      next: null,
      previous: null,
    });
  });
});

describe("listServices paging", () => {
  it("pages hold 50 services", () => {
    expect(PAGE_SIZE).toBe(50);
  });

  /**
   * `count` services of the account, named so that their order is known, holding one, two or
   * three roles in turn (so a page that counted roles instead of services would come out short),
   * among another account's services named to interleave with them.
   */
  async function accountWithServices(count: number) {
    const db = await freshDb();
    const owner = await addAccount(db, "aa100001-ovh");
    const other = await addAccount(db, "bb200002-ovh");
    const roleMixes = [
      { admin: owner, tech: other, billing: other },
      { admin: other, tech: owner, billing: other },
      { admin: other, tech: other, billing: owner },
      { admin: owner, tech: owner, billing: other },
      { admin: owner, tech: other, billing: owner },
      { admin: owner, tech: owner, billing: owner },
    ];
    const expected: string[] = [];
    await db.transaction(async (tx) => {
      for (let i = 1; i <= count; i++) {
        const name = `svc-${String(i).padStart(4, "0")}.example.pl`;
        // Inserted in reverse so that id order and name order disagree.
        expected.unshift(name);
        await insertService(
          tx,
          name,
          "domain",
          roleMixes[i % roleMixes.length] as (typeof roleMixes)[number],
        );
        await insertService(tx, `svc-${String(i).padStart(4, "0")}.other.pl`, "domain", {
          admin: other,
          tech: other,
          billing: other,
        });
      }
    });
    expected.sort();
    return { db, owner, expected };
  }

  /** Follows "Next page" from the first page to the end, then "Previous page" back. */
  async function walk(db: Db, owner: number, overrides: Partial<ServiceListQuery> = {}) {
    const forward: ServicePage[] = [await listServices(db, owner, query(overrides))];
    for (let next = forward[0]?.next; next; next = forward.at(-1)?.next) {
      forward.push(await listServices(db, owner, query({ ...overrides, cursor: next })));
      expect(forward.length).toBeLessThan(100);
    }
    const backward: ServicePage[] = [forward.at(-1) as ServicePage];
    for (let previous = backward[0]?.previous; previous; previous = backward.at(-1)?.previous) {
      backward.push(await listServices(db, owner, query({ ...overrides, cursor: previous })));
      expect(backward.length).toBeLessThan(100);
    }
    return { forward, backward: backward.reverse() };
  }

  const namesOf = (pages: ServicePage[]) => pages.flatMap((page) => page.rows.map((row) => row.name));

  it.each([
    [50, [50]],
    [51, [50, 1]],
    [100, [50, 50]],
    [101, [50, 50, 1]],
  ] as const)("%i services: each page's size, and the way forward and back", async (count, sizes) => {
    const { db, owner, expected } = await accountWithServices(count);
    const { forward, backward } = await walk(db, owner);
    expect(forward.map((page) => page.rows.length)).toEqual(sizes);
    expect(namesOf(forward)).toEqual(expected);
    expect(forward[0]?.previous).toBeNull();
    expect(forward.at(-1)?.next).toBeNull();
    // Going back gives the same pages.
    expect(backward.map((page) => page.rows.map((row) => row.name))).toEqual(
      forward.map((page) => page.rows.map((row) => row.name)),
    );
  });

  it("links name the service a page continues from, readable as an address", async () => {
    const { db, owner, expected } = await accountWithServices(101);
    const first = await listServices(db, owner, query());
    expect(first.next).toEqual({ direction: "after", name: expected[49], id: null });
    const second = await listServices(db, owner, query({ cursor: first.next }));
    expect(second.previous).toEqual({ direction: "before", name: expected[50], id: null });
    expect(second.rows[0]?.name).toBe(expected[50]);
  });

  it("services with the same name across a page's edge are neither skipped nor repeated", async () => {
    const db = await freshDb();
    const owner = await addAccount(db, "aa100001-ovh");
    const contacts = { admin: owner, tech: owner, billing: owner };
    for (let i = 0; i < 120; i++)
      await addService(db, i < 45 ? `a-${String(i).padStart(3, "0")}.pl` : "same.pl", "domain", contacts);
    const { forward, backward } = await walk(db, owner);
    const ids = forward.flatMap((page) => page.rows.map((row) => row.id));
    expect(ids).toHaveLength(120);
    expect(new Set(ids).size).toBe(120);
    expect(forward[0]?.next).toMatchObject({ name: "same.pl", id: expect.any(Number) });
    expect(backward.flatMap((page) => page.rows.map((row) => row.id))).toEqual(ids);
  });

  it("filters apply before paging", async () => {
    const { db, owner, expected } = await accountWithServices(101);
    // "svc-00" is in services 1–99 but not in 100 and 101, nor in the other account's.
    const { forward } = await walk(db, owner, { search: "svc-00" });
    expect(forward.map((page) => page.rows.length)).toEqual([50, 49]);
    expect(namesOf(forward)).toEqual(expected.slice(0, 99));
  });

  it("a rare search goes through the trigram index, a common one walks the account's, with the same results", async () => {
    const { db, owner, expected } = await accountWithServices(101);
    expect(await planSearch(db, "svc-0042")).toMatchObject({ strategy: "trigram" });
    expect(namesOf((await walk(db, owner, { search: "SVC-0042" })).forward)).toEqual(["svc-0042.example.pl"]);
    expect(await planSearch(db, "sv")).toEqual({ strategy: "index-walk" });
    const other = { admin: 2, tech: 2, billing: 2 };
    await addManyDomains(db, SEARCH_INDEX_MATCH_LIMIT, (i) => ({
      name: `zz-common-${i}.other.pl`,
      ...other,
    }));
    expect(await planSearch(db, "common")).toEqual({ strategy: "index-walk" });
    expect(await planSearch(db, "other.pl")).toEqual({ strategy: "index-walk" });
    expect(namesOf((await walk(db, owner, { search: "other.pl" })).forward)).toEqual([]);
    // Both ways list the same services.
    expect(await planSearch(db, "example")).toMatchObject({ strategy: "trigram" });
    expect(namesOf((await walk(db, owner, { search: "example" })).forward)).toEqual(expected);
    expect(namesOf((await walk(db, owner, { search: "pl" })).forward)).toEqual(expected);
  });

  it("the index is asked only for the search's two rarest trigrams", async () => {
    const { db } = await accountWithServices(101);
    const other = { admin: 2, tech: 2, billing: 2 };
    await addManyDomains(db, SEARCH_INDEX_MATCH_LIMIT, (i) => ({ name: `bulk-${i}.example.pl`, ...other }));
    // "xam", "amp", ".pl"… are in every name; only "042" and "42." are in one.
    expect(await planSearch(db, "svc-0042.example.pl")).toEqual({
      strategy: "trigram",
      match: '"042" AND "42."',
    });
  });

  it("a non-ASCII search weighs the whole phrase", async () => {
    const { db, owner } = await accountWithServices(1);
    await addService(db, "zażółć-gęślą.pl", "domain", { admin: owner, tech: owner, billing: owner });
    expect(await planSearch(db, "ółć-gę")).toEqual({ strategy: "trigram", match: '"ółć-gę"' });
    expect(await names(db, owner, { search: "ółć-gę" })).toEqual(["zażółć-gęślą.pl"]);
  });

  it.each([
    '"""',
    'a"b"c',
    "\u0000\u0000\u0000",
    "\u0000\u0001\u0002x",
    "svc\u0000-0001",
    "a AND b",
    "NEAR(x y)",
    "*-*",
    "\\%_",
  ])("any search text %j gives an answer, never an error", async (search) => {
    const { db, owner } = await accountWithServices(3);
    await expect(walk(db, owner, { search })).resolves.toBeDefined();
  });

  it("the trigram index follows renamed and deleted services", async () => {
    const { db, owner } = await accountWithServices(3);
    await db.transaction(async (tx) => {
      await tx
        .update(services)
        .set({ name: "renamed-xyz.pl" })
        .where(eq(services.name, "svc-0001.example.pl"));
      await tx.delete(services).where(eq(services.name, "svc-0002.other.pl"));
    });
    expect(await names(db, owner, { search: "renamed-xyz" })).toEqual(["renamed-xyz.pl"]);
    expect(await names(db, owner, { search: "svc-0001" })).toEqual([]);
  });
});

describe("the page query plan", () => {
  type PlanRow = { id: number; parent: number; detail: string };

  async function plan(
    db: Db,
    q: Pick<ServiceListQuery, "search" | "type" | "role">,
    isPaged = false,
  ): Promise<string[]> {
    const bound = isPaged ? ({ side: "after", name: "m", id: 1 } as const) : null;
    const page = buildServicePageSql({
      ...q,
      accountId: 1,
      plan: { strategy: "index-walk" },
      bound,
      limit: PAGE_SIZE + 1,
    });
    const rows = await rawRows<PlanRow>(db.read, sql`EXPLAIN QUERY PLAN ${page}`);
    return rows.map((row) => row.detail);
  }

  const unfiltered = { search: "", type: null, role: null };
  const filtered = { search: "example", type: "domain", role: null } as const;

  function expectIndexMerge(details: string[]) {
    for (const index of ["services_admin_name_idx", "services_tech_name_idx", "services_billing_name_idx"]) {
      expect(
        details.some((detail) => detail.includes(`SEARCH services USING`) && detail.includes(index)),
      ).toBe(true);
    }
    expect(details.some((detail) => detail.includes("MERGE (UNION)"))).toBe(true);
    expect(details.filter((detail) => detail.includes("TEMP B-TREE"))).toEqual([]);
    expect(details.filter((detail) => /^SCAN services\b/.test(detail))).toEqual([]);
  }

  /** From a position, each index is entered at it, not read from the account's first service on. */
  function expectStartAtPosition(details: string[]) {
    const reads = details.filter((detail) => detail.includes("_name_idx"));
    expect(reads).toHaveLength(3);
    for (const read of reads) expect(read).toMatch(/\(\w+_id=\? AND name>\?\)$/);
  }

  it("reads the three (contact, name) indexes in order and never sorts, on an empty database, from any position", async () => {
    const db = await freshDb();
    expectIndexMerge(await plan(db, unfiltered));
    expectIndexMerge(await plan(db, filtered));
    expectIndexMerge(await plan(db, unfiltered, true));
    expectStartAtPosition(await plan(db, unfiltered, true));
  });

  it("with a role filter reads that role's index only and never sorts", async () => {
    const details = await plan(await freshDb(), { search: "", type: null, role: "tech" });
    expect(details.filter((detail) => detail.includes("_name_idx"))).toEqual([
      "SEARCH services USING COVERING INDEX services_tech_name_idx (tech_id=?)",
    ]);
    expect(details.filter((detail) => detail.includes("TEMP B-TREE"))).toEqual([]);
  });

  it("keeps that plan with 100,000 services and fresh statistics", async () => {
    const db = await freshDb();
    const owner = await addAccount(db, "aa100001-ovh");
    const others: number[] = [];
    for (let i = 0; i < 20; i++) others.push(await addAccount(db, `zz${i + 1}-ovh`));
    await addManyDomains(db, 100_000, (i) => {
      const other = others[i % others.length] as number;
      // A third of the services are the owner's, in one role or another.
      const mine = i % 3 === 0;
      return {
        name: `service-${i}.example.pl`,
        admin: mine && i % 2 === 0 ? owner : other,
        tech: mine && i % 4 === 3 ? owner : other,
        billing: mine ? owner : other,
      };
    });
    sqliteClientOf(db).exec("ANALYZE");
    expectIndexMerge(await plan(db, unfiltered));
    expectIndexMerge(await plan(db, filtered));
    expectIndexMerge(await plan(db, unfiltered, true));
    expectStartAtPosition(await plan(db, unfiltered, true));
    const first = await listServices(db, owner, query());
    const second = await listServices(db, owner, query({ cursor: first.next }));
    expect(second.rows).toHaveLength(50);
    expect(second.next).not.toBeNull();
  });
});
