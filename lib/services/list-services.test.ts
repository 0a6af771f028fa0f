import { eq, type SQL, sql } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Db, rawRows, sqliteClientOf, type Tx } from "@/db/client";
import { accounts, type ContactType, SERVICE_TYPES, type ServiceType, services } from "@/db/schema";
import { analyzeOnPostgres, openTestDb, type PlanAnalysis, type PlanNode } from "@/db/testing";
import { databaseDialect } from "@/lib/config";
import { COUNT_CAP } from "@/lib/page-extent";
import {
  likePattern,
  listServices,
  PAGE_SIZE,
  parseServiceListQuery,
  planSearch,
  SEARCH_INDEX_MATCH_LIMIT,
  type ServiceListQuery,
  type ServicePage,
} from "./list-services";
import {
  indexedTrigrams,
  planPostgresSearch,
  postgresServicePageSql,
  trigramCountsSql,
} from "./service-page.pg";
import { sqliteServicePageSql } from "./service-page.sqlite";

const dialect = databaseDialect();

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

  it("each row carries the service's type and its three contacts' ids, customer IDs and names", async () => {
    const rows = (await listServices(db, anna, query())).rows;
    expect(rows.find((row) => row.name === "alpha.example.org")).toEqual({
      id: ids["alpha.example.org"],
      name: "alpha.example.org",
      type: "dedicated_server",
      admin: { id: bob, customerId: "bb200002-ovh", name: "bb200002-ovh" },
      tech: { id: carl, customerId: "cc300003-ovh", name: "cc300003-ovh" },
      billing: { id: anna, customerId: "aa100001-ovh", name: "aa100001-ovh" },
    });
    expect(rows.find((row) => row.name === "example.pl")).toEqual({
      id: ids["example.pl"],
      name: "example.pl",
      type: "domain",
      admin: { id: anna, customerId: "aa100001-ovh", name: "aa100001-ovh" },
      tech: { id: bob, customerId: "bb200002-ovh", name: "bb200002-ovh" },
      billing: { id: carl, customerId: "cc300003-ovh", name: "cc300003-ovh" },
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
    expect(await listServices(db, dawid, query())).toEqual({
      rows: [],
      next: null,
      previous: null,
      extent: { first: null, total: 0 },
    });
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
      extent: { first: null, total: 0 },
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

  it("a search with a NUL character matches nothing", async () => {
    for (const search of ["\u0000", "example\u0000", "\u0000\u0000\u0000", "shop\u0000.example"]) {
      expect(await listServices(db, anna, query({ search }))).toEqual({
        rows: [],
        next: null,
        previous: null,
        extent: { first: null, total: 0 },
      });
    }
  });

  it("a position holding a NUL sorts in byte order: just after the name before the NUL", async () => {
    expect(
      await names(db, anna, { cursor: { direction: "after", name: "example.pl\u0000x", id: 3 } }),
    ).toEqual(["mail.example.com", "mixed.example.pl", "shop.example.pl", "vps-42.example.net"]);
    expect(
      await names(db, anna, { cursor: { direction: "before", name: "example.pl\u0000", id: null } }),
    ).toEqual(["alpha.example.org", "example.pl"]);
  });

  it("a position's id beyond any id is no error", async () => {
    const id = Number.MAX_SAFE_INTEGER;
    expect(await names(db, anna, { cursor: { direction: "after", name: "example.pl", id } })).toEqual([
      "mail.example.com",
      "mixed.example.pl",
      "shop.example.pl",
      "vps-42.example.net",
    ]);
    expect(await names(db, anna, { cursor: { direction: "before", name: "example.pl", id } })).toEqual([
      "alpha.example.org",
      "example.pl",
    ]);
  });

  it("a position past the end gives an empty page rather than an error", async () => {
    const past = { direction: "after", name: "zzzz", id: null } as const;
    // The list's length is still told: the address led past its end.
    expect(await listServices(db, anna, query({ cursor: past }))).toEqual({
      rows: [],
      next: null,
      previous: null,
      extent: { first: null, total: 6 },
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

  it("each page says where it stands and how long the list is, forward, backward and filtered", async () => {
    const { db, owner } = await accountWithServices(101);
    const first = await listServices(db, owner, query());
    expect(first.extent).toEqual({ first: 1, total: 101 });
    const second = await listServices(db, owner, query({ cursor: first.next }));
    expect(second.extent).toEqual({ first: 51, total: 101 });
    const third = await listServices(db, owner, query({ cursor: second.next }));
    expect(third.extent).toEqual({ first: 101, total: 101 });
    expect((await listServices(db, owner, query({ cursor: third.previous }))).extent).toEqual({
      first: 51,
      total: 101,
    });
    // Services 100 and 101 do not contain "svc-00"; a list of one page is not counted again.
    expect((await listServices(db, owner, query({ search: "svc-00" }))).extent).toEqual({
      first: 1,
      total: 99,
    });
    expect((await listServices(db, owner, query({ search: "svc-010" }))).extent).toEqual({
      first: 1,
      total: 2,
    });
  });

  it("counts up to COUNT_CAP and says only 'more' beyond it", async () => {
    const { db, owner, expected } = await accountWithServices(COUNT_CAP + 60);
    const first = await listServices(db, owner, query());
    expect(first.extent).toEqual({ first: 1, total: null });
    let page = first;
    for (let i = 0; i < 5; i++) page = await listServices(db, owner, query({ cursor: page.next }));
    expect(page.extent).toEqual({ first: null, total: null });
    // After the 161st service, the page starts at the 162nd: still within the count.
    const near = await listServices(
      db,
      owner,
      query({ cursor: { direction: "after", name: expected[160] as string, id: null } }),
    );
    expect(near.extent).toEqual({ first: 162, total: null });
  });

  it("services with the same name across a page's edge are neither skipped nor repeated", async () => {
    const db = await freshDb();
    const owner = await addAccount(db, "aa100001-ovh");
    const contacts = { admin: owner, tech: owner, billing: owner };
    // A name is unique per type only, so "same.pl" is five services, one of each type, at the edge
    // of the first page (rows 48–52).
    for (let i = 0; i < 120; i++) {
      const index = String(i).padStart(3, "0");
      if (i >= 48 && i < 48 + SERVICE_TYPES.length)
        await addService(db, "same.pl", SERVICE_TYPES[i - 48] as ServiceType, contacts);
      else await addService(db, `${i < 48 ? "a" : "z"}-${index}.pl`, "domain", contacts);
    }
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
    const { db, owner } = await accountWithServices(101);
    const other = { admin: 2, tech: 2, billing: 2 };
    await addManyDomains(db, SEARCH_INDEX_MATCH_LIMIT, (i) => ({ name: `bulk-${i}.example.pl`, ...other }));
    // "xam", "amp", ".pl"… are in every name; only "042" and "42." are in one (two services),
    // "004" in svc-0004 and svc-0040…0049. PostgreSQL's index keeps no "42." (not alphanumeric).
    expect(await planSearch(db, "svc-0042.example.pl")).toEqual(
      dialect === "sqlite"
        ? { strategy: "trigram", match: '"042" AND "42."' }
        : { strategy: "trigram", trigrams: ["042", "004"] },
    );
    expect(await names(db, owner, { search: "svc-0042.example.pl" })).toEqual(["svc-0042.example.pl"]);
  });

  it("a non-ASCII search goes through the trigram index", async () => {
    const { db, owner } = await accountWithServices(1);
    await addService(db, "zażółć-gęślą.pl", "domain", { admin: owner, tech: owner, billing: owner });
    // SQLite weighs the whole phrase (its index folds case beyond ASCII); PostgreSQL asks for the
    // search's windows of letters, case kept beyond ASCII as ILIKE under COLLATE "C" keeps it.
    expect(await planSearch(db, "ółć-gę")).toEqual(
      dialect === "sqlite"
        ? { strategy: "trigram", match: '"ółć-gę"' }
        : { strategy: "trigram", trigrams: ["ółć"] },
    );
    expect(await names(db, owner, { search: "ółć-gę" })).toEqual(["zażółć-gęślą.pl"]);
    expect(await names(db, owner, { search: "ÓŁĆ-GĘ" })).toEqual([]);
    expect(await names(db, owner, { search: "ZAżółć" })).toEqual(["zażółć-gęślą.pl"]);
  });

  it("PostgreSQL's index is asked for windows of three letters or digits, ASCII lowered", () => {
    expect(indexedTrigrams("SVC-0042.Example.pl")).toEqual([
      "svc",
      "004",
      "042",
      "exa",
      "xam",
      "amp",
      "mpl",
      "ple",
    ]);
    expect(indexedTrigrams("ZAżÓŁĆ-gę")).toEqual(["zaż", "ażÓ", "żÓŁ", "ÓŁĆ"]);
    expect(indexedTrigrams("a_b%c.d-e")).toEqual([]);
    expect(indexedTrigrams("aaaa")).toEqual(["aaa"]);
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

describe.skipIf(dialect !== "sqlite")("the page query plan on SQLite", () => {
  type PlanRow = { id: number; parent: number; detail: string };

  async function plan(
    db: Db,
    q: Pick<ServiceListQuery, "search" | "type" | "role">,
    isPaged = false,
  ): Promise<string[]> {
    const bound = isPaged ? ({ side: "after", name: "m", id: 1 } as const) : null;
    const page = sqliteServicePageSql({
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
    // Not a covering read since services can be removed: each row the walk reaches is looked up
    // for removed_at (a page's worth), which the (contact, name) index does not hold.
    expect(details.filter((detail) => detail.includes("_name_idx"))).toEqual([
      "SEARCH services USING INDEX services_tech_name_idx (tech_id=?)",
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
    // 100,000 inserts: 2 s alone, 12 s beside CI's other workers, 24 s on a machine running more.
  }, 60_000);
});

describe.skipIf(dialect !== "postgres")("the page query plan on PostgreSQL", () => {
  /** A node of `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)`; row counts are per loop. */

  const NAME_INDEXES = ["services_admin_name_idx", "services_tech_name_idx", "services_billing_name_idx"];
  const ONE_PAGE = PAGE_SIZE + 1;

  let db: Db;
  let owner: number;

  /**
   * Runs `load` as PostgreSQL advises for a bulk load ("Populating a Database"): without the
   * table's secondary indexes and foreign keys, which are then built again from their own
   * definitions in the catalog, so the table ends as migrated. Row by row, the trigram index
   * and three foreign-key checks per row would take most of the test's time.
   */
  async function bulkLoad(tx: Tx, table: string, load: SQL): Promise<void> {
    type Definition = { name: string; definition: string };
    const indexes = await rawRows<Definition>(
      tx,
      sql`SELECT i.indexname AS name, i.indexdef AS definition FROM pg_indexes i
        WHERE i.schemaname = current_schema() AND i.tablename = ${table}
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname
            AND c.conrelid = ${table}::regclass)`,
    );
    const foreignKeys = await rawRows<Definition>(
      tx,
      sql`SELECT conname AS name, pg_get_constraintdef(oid) AS definition FROM pg_constraint
        WHERE conrelid = ${table}::regclass AND contype = 'f'`,
    );
    for (const { name } of foreignKeys)
      await rawRows(tx, sql`ALTER TABLE ${sql.identifier(table)} DROP CONSTRAINT ${sql.identifier(name)}`);
    for (const { name } of indexes) await rawRows(tx, sql`DROP INDEX ${sql.identifier(name)}`);
    await rawRows(tx, load);
    for (const { definition } of indexes) await rawRows(tx, sql.raw(definition));
    for (const { name, definition } of foreignKeys)
      await rawRows(
        tx,
        sql`ALTER TABLE ${sql.identifier(table)} ADD CONSTRAINT ${sql.identifier(name)} ${sql.raw(definition)}`,
      );
  }

  /**
   * 100,000 services, a third of them the owner's in one role or another (as on SQLite), written
   * by one INSERT … SELECT, then ANALYZE for fresh statistics.
   */
  beforeAll(async () => {
    db = await freshDb();
    owner = await addAccount(db, "aa100001-ovh");
    const others: number[] = [];
    for (let i = 0; i < 20; i++) others.push(await addAccount(db, `zz${i + 1}-ovh`));
    const firstOther = others[0] as number;
    expect(others).toEqual(others.map((_, i) => firstOther + i));
    await db.transaction((tx) =>
      bulkLoad(
        tx,
        "services",
        sql`INSERT INTO services (name, type, admin_id, tech_id, billing_id)
          SELECT 'service-' || i || '.example.pl', 'domain',
            CASE WHEN i % 3 = 0 AND i % 2 = 0 THEN ${owner} ELSE ${firstOther} + i % 20 END,
            CASE WHEN i % 3 = 0 AND i % 4 = 3 THEN ${owner} ELSE ${firstOther} + i % 20 END,
            CASE WHEN i % 3 = 0 THEN ${owner} ELSE ${firstOther} + i % 20 END
          FROM generate_series(0, 99999) AS i`,
      ),
    );
    await rawRows(db.read, sql`ANALYZE services`);
    const [indexes] = await rawRows<{ n: number }>(
      db.read,
      sql`SELECT count(*)::int AS n FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'services'`,
    );
    expect(indexes?.n).toBe(6);
  }, 20_000);

  // Rows the scans of services took from its indexes and its table, kept or filtered out.
  const analyze = (query: SQL) =>
    analyzeOnPostgres(
      db.read,
      query,
      (node) => node["Relation Name"] === "services" || node["Node Type"] === "Bitmap Index Scan",
    );

  const pageSql = (
    q: Partial<Pick<ServiceListQuery, "search" | "type" | "role">>,
    bound: { side: "after" | "before"; name: string; id: number | null } | null = null,
    plan: Awaited<ReturnType<typeof planPostgresSearch>> = { strategy: "index-walk" },
  ) =>
    postgresServicePageSql({
      search: "",
      type: null,
      role: null,
      ...q,
      accountId: owner,
      plan,
      bound,
      limit: ONE_PAGE,
    });

  /**
   * The page costs a page: no scan of the table, a few pages of rows read (three arms of a page,
   * the page's own rows joined), no Sort of more than the three arms' pages, and few buffers
   * (the owner's services lie on every one of the table's ~1,000 pages).
   */
  function expectPageCost(analysis: PlanAnalysis) {
    expect(analysis.nodes.filter((node) => node["Node Type"] === "Seq Scan")).toEqual([]);
    expect(analysis.rowsRead).toBeLessThanOrEqual(5 * ONE_PAGE);
    for (const sort of analysis.nodes.filter((node) => node["Node Type"] === "Sort")) {
      const input = sort.Plans?.[0] as PlanNode;
      expect(input["Actual Rows"] * input["Actual Loops"]).toBeLessThanOrEqual(3 * ONE_PAGE);
    }
    expect(analysis.buffers).toBeLessThan(400);
  }

  /** Each role's (contact, name) index is read, entered at `position` when there is one. */
  function expectIndexWalk(analysis: PlanAnalysis, indexes: string[], position?: RegExp) {
    const reads = analysis.nodes.filter((node) => NAME_INDEXES.includes(node["Index Name"] ?? ""));
    expect(reads.map((node) => [node["Node Type"], node["Index Name"]])).toEqual(
      indexes.map((index) => ["Index Scan", index]),
    );
    if (position) for (const read of reads) expect(read["Index Cond"]).toMatch(position);
    const otherReads = analysis.nodes.filter(
      (node) => node["Relation Name"] === "services" && !NAME_INDEXES.includes(node["Index Name"] ?? ""),
    );
    // Only the page's own rows, looked up by id for the final join.
    expect(otherReads.map((node) => node["Index Name"])).toEqual(["services_pkey"]);
  }

  it("the first page reads the three (contact, name) indexes and costs a page", async () => {
    for (const q of [{}, { search: "example", type: "domain" as const }]) {
      const analysis = await analyze(pageSql(q));
      expectIndexWalk(analysis, NAME_INDEXES);
      expectPageCost(analysis);
    }
  });

  it("a page far into the list, either way, enters each index at its position", async () => {
    const after = await analyze(pageSql({}, { side: "after", name: "service-7", id: null }));
    expectIndexWalk(after, NAME_INDEXES, /name > 'service-7'/);
    expectPageCost(after);
    const before = await analyze(pageSql({}, { side: "before", name: "service-7", id: 70_000 }));
    expectIndexWalk(before, NAME_INDEXES, /name <= 'service-7'/);
    expectPageCost(before);
  });

  it("with a role filter reads that role's index only", async () => {
    const analysis = await analyze(pageSql({ role: "tech" }, { side: "after", name: "service-5", id: 1 }));
    expectIndexWalk(analysis, ["services_tech_name_idx"], /name >= 'service-5'/);
    expectPageCost(analysis);
  });

  it("a rare search reads the trigram index for its two rarest trigrams, and a page of rows", async () => {
    // Planning counts the search's seven trigrams: five in every name, two in a few hundred.
    const counting = await analyze(trigramCountsSql(indexedTrigrams("SERVICE-4242.")));
    expect(counting.nodes.filter((node) => node["Index Name"] === "services_name_trgm_idx")).toHaveLength(2);
    expect(counting.buffers).toBeLessThan(400);
    const plan = await planPostgresSearch(db, "SERVICE-4242.");
    expect(plan).toEqual({ strategy: "trigram", trigrams: expect.arrayContaining(["424", "242"]) });
    const analysis = await analyze(pageSql({ search: "SERVICE-4242." }, null, plan));
    const indexReads = analysis.nodes
      .map((node) => node["Index Name"])
      .filter((index) => index?.startsWith("services_"));
    expect(indexReads).toEqual(["services_name_trgm_idx", "services_pkey"]);
    expectPageCost(analysis);
    expect(analysis.buffers).toBeLessThan(100);
    expect(await names(db, owner, { search: "SERVICE-4242." })).toEqual(["service-4242.example.pl"]);
  });

  it("pages through the account, from its start and from far in, in byte order", async () => {
    const expected = async (from: string) =>
      (
        await rawRows<{ name: string }>(
          db.read,
          sql`SELECT name FROM services WHERE ${owner} IN (admin_id, tech_id, billing_id) AND name > ${from}
            ORDER BY name, id LIMIT ${2 * PAGE_SIZE}`,
        )
      ).map((row) => row.name);
    for (const cursor of [null, { direction: "after", name: "service-7", id: null } as const]) {
      const first = await listServices(db, owner, query({ cursor }));
      const second = await listServices(db, owner, query({ cursor: first.next }));
      expect([...first.rows, ...second.rows].map((row) => row.name)).toEqual(
        await expected(cursor?.name ?? ""),
      );
      const back = await listServices(db, owner, query({ cursor: second.previous }));
      expect(back.rows.map((row) => row.id)).toEqual(first.rows.map((row) => row.id));
    }
  });
});
