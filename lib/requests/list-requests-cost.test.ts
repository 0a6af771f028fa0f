import { type SQL, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Db, rawRows, sqliteClientOf } from "@/db/client";
import { accounts } from "@/db/schema";
import { analyzeOnPostgres, openTestDb, type PlanAnalysis } from "@/db/testing";
import { databaseDialect } from "@/lib/config";
import { AWAITING_FIRST_LIMIT, COUNT_CAP, listRequests, REQUESTS_PAGE_SIZE } from "./list-requests";
import {
  awaitingRequestIdsSql,
  listCountsSql,
  type PageIds,
  partyRequestIdsSql,
  type RequestBound,
  requestPageSql,
  type StateFilter,
} from "./request-list-sql";
import { seedRequests, seedServices } from "./testing/seed-requests";

/**
 * My requests costs a page, not the account: an administrator of 12,000 services with 10,000
 * requests (and as many of another administrator's beside them) gets each page from the
 * (party[, state], id) indexes, from its position, on either engine, at what a page of an
 * account with 60 requests costs.
 */

const dialect = databaseDialect();
const ONE_PAGE = REQUESTS_PAGE_SIZE + 1;
const NOW = new Date("2026-06-01T12:00:00.000Z");
const STATE_FILTERS: StateFilter[] = ["all", "pending", "done", "refused", "expired", "cancelled"];

let db: Db;
let owner: number;
let small: number;
let middleId: number;

async function addAccount(customerId: string): Promise<number> {
  const [row] = await db.transaction((tx) =>
    tx
      .insert(accounts)
      .values({ customerId, name: customerId, email: `${customerId}@example.test`, passwordHash: "x" })
      .returning({ id: accounts.id }),
  );
  return (row as { id: number }).id;
}

beforeAll(async () => {
  db = await openTestDb();
  owner = await addAccount("aa100001-ovh");
  const neighbour = await addAccount("bb200002-ovh");
  small = await addAccount("cc300003-ovh");
  const others: number[] = [];
  for (let i = 0; i < 20; i++) others.push(await addAccount(`zz${i + 1}-ovh`));
  await seedServices(db, { prefix: "owned", count: 12_000, adminId: owner, otherIds: others });
  await seedServices(db, { prefix: "next-door", count: 12_000, adminId: neighbour, otherIds: others });
  await seedServices(db, { prefix: "small", count: 60, adminId: small, otherIds: others });
  expect(await seedRequests(db, { adminId: owner, otherIds: others, count: 10_000, now: NOW })).toBe(10_000);
  expect(await seedRequests(db, { adminId: neighbour, otherIds: others, count: 10_000, now: NOW })).toBe(
    10_000,
  );
  expect(await seedRequests(db, { adminId: small, otherIds: others, count: 60, now: NOW })).toBe(60);
  if (db.dialect === "sqlite") sqliteClientOf(db).exec("ANALYZE");
  // PostgreSQL: as autovacuum leaves a table, statistics and visibility map (index-only scans).
  else await rawRows(db.read, sql`VACUUM ANALYZE`);
  const [middle] = await rawRows<{ id: number }>(
    db.read,
    sql`SELECT id FROM change_requests WHERE service_admin_id = ${owner} ORDER BY id LIMIT 1 OFFSET 5000`,
  );
  middleId = Number(middle?.id);
}, 120_000);

afterAll(async () => {
  await db?.close();
});

/** The positions a page is read from: none (the first page), far into the list either way. */
const positions = (): (RequestBound | null)[] => [
  null,
  { direction: "before", id: middleId },
  { direction: "after", id: middleId },
];

const awaitingSql = (bound: RequestBound | null, accountId = owner, limit = ONE_PAGE) =>
  awaitingRequestIdsSql({ dialect: db.dialect, accountId, bound, limit, now: NOW });

/** What listRequests reads for a page: the opening ("all" and "pending"), and the rest. */
const pageIds = (filter: StateFilter, bound: RequestBound | null, accountId = owner): PageIds => {
  const opensWithAwaiting = filter === "all" || filter === "pending";
  return {
    opening: opensWithAwaiting ? awaitingSql(null, accountId, AWAITING_FIRST_LIMIT) : null,
    rest: partyRequestIdsSql({
      dialect: db.dialect,
      accountId,
      filter,
      bound,
      excludesOpening: opensWithAwaiting,
      limit: ONE_PAGE,
      sharesLimitWithOpening: bound === null,
      now: NOW,
    }),
  };
};

/** The ids of the rest of a page, less its opening ones. */
const idsSql = (filter: StateFilter, bound: RequestBound | null, accountId = owner) => {
  const { opening, rest } = pageIds(filter, bound, accountId);
  return opening
    ? sql`WITH opening AS MATERIALIZED (${opening}) SELECT id FROM (${rest}) AS rest`
    : sql`SELECT id FROM (${rest}) AS rest`;
};

/**
 * What listRequests counts for a page from `bound`: the list up to COUNT_CAP + 1, and the entries
 * above the page as far.
 */
const countSql = (filter: StateFilter, bound: RequestBound | null) => {
  const listed = (from: RequestBound | null) =>
    partyRequestIdsSql({
      dialect: db.dialect,
      accountId: owner,
      filter,
      bound: from,
      excludesOpening: false,
      limit: COUNT_CAP + 1,
      isUnordered: true,
      now: NOW,
    });
  return listCountsSql({
    opening: pageIds(filter, null).opening,
    listed: listed(null),
    above: bound ? listed({ direction: "after", id: bound.id }) : null,
    top: bound?.id ?? null,
  });
};

/** The whole statement of a page, details and all. */
const pageSql = (filter: StateFilter, bound: RequestBound | null, accountId = owner) =>
  requestPageSql({
    dialect: db.dialect,
    accountId,
    ids: pageIds(filter, bound, accountId),
    isOpeningShown: bound === null,
    order: bound?.direction === "after" ? "ASC" : "DESC",
  });

describe("My requests at 10,000 requests", () => {
  it("pages through the administrator's requests, awaiting ones first, in every filter", async () => {
    const first = await listRequests(db, owner, { status: "all", cursor: null }, NOW);
    expect(first.awaitingFirst).toBe(AWAITING_FIRST_LIMIT);
    expect(first.rows).toHaveLength(REQUESTS_PAGE_SIZE);
    const second = await listRequests(db, owner, { status: "all", cursor: first.next }, NOW);
    expect(second.rows).toHaveLength(REQUESTS_PAGE_SIZE);
    const seen = [...first.rows, ...second.rows].map((row) => row.id);
    expect(new Set(seen).size).toBe(seen.length);
    // Counted up to COUNT_CAP: the second page knows its place, not the list's length.
    expect(first.extent).toEqual({ first: 1, total: null });
    expect(second.extent).toEqual({ first: REQUESTS_PAGE_SIZE + 1, total: null });
    for (const status of ["awaiting_me", ...STATE_FILTERS] as const) {
      const page = await listRequests(
        db,
        owner,
        { status, cursor: { direction: "before", id: middleId } },
        NOW,
      );
      expect(page.rows, status).toHaveLength(REQUESTS_PAGE_SIZE);
      // Thousands of the account's requests lie above this page: beyond the count.
      if (status === "all") expect(page.extent).toEqual({ first: null, total: null });
      for (const row of page.rows) {
        expect(row.id).toBeLessThan(middleId);
        if (status === "awaiting_me") expect(row.isAwaitingMe).toBe(true);
        else if (status !== "all") expect(row.state).toBe(status);
      }
    }
  });
});

describe.skipIf(dialect !== "sqlite")("the page query plan on SQLite", () => {
  async function plan(query: SQL): Promise<string[]> {
    const rows = await rawRows<{ detail: string }>(db.read, sql`EXPLAIN QUERY PLAN ${query}`);
    return rows.map((row) => row.detail);
  }

  const PARTIES = ["requested_by", "old_contact", "new_contact", "service_admin"];

  /** Each party's arm reads its (party[, state], id) index from the position; nothing is scanned whole. */
  function expectIndexArms(details: string[], filter: StateFilter, bound: RequestBound | null) {
    const reads = details.filter((detail) => /^SEARCH change_requests\b/.test(detail));
    const suffix = filter === "all" ? "idx" : "state_idx";
    const position = bound ? ` AND id${bound.direction === "after" ? ">" : "<"}\\?` : "";
    for (const party of PARTIES) {
      const column = party === "service_admin" ? "service_admin_id" : `${party}_id`;
      const state = filter === "all" ? "" : " AND state=\\?";
      const read = new RegExp(
        `^SEARCH change_requests USING (COVERING )?INDEX change_requests_${party}_${suffix} \\(${column}=\\?${state}${position}\\)$`,
      );
      expect(
        reads.filter((detail) => read.test(detail)),
        `${filter} ${party}`,
      ).toHaveLength(1);
    }
    // The overdue requests, which "pending" leaves out and "expired" adds.
    const overdue = filter === "expired" || filter === "pending" ? 1 : 0;
    expect(reads.filter((detail) => detail.includes("change_requests_pending_expiry_idx"))).toHaveLength(
      overdue,
    );
    expect(reads).toHaveLength(PARTIES.length + overdue);
    expect(
      details.filter((detail) => /^SCAN (change_requests|confirmations|services)\b/.test(detail)),
    ).toEqual([]);
  }

  it("reads one index range per party, from the page's position, in every filter", async () => {
    for (const filter of STATE_FILTERS) {
      for (const bound of positions()) expectIndexArms(await plan(idsSql(filter, bound)), filter, bound);
    }
  });

  it("counts the list from the same index ranges, up to the cap, never a table", async () => {
    for (const filter of STATE_FILTERS) {
      for (const bound of positions()) {
        const details = await plan(countSql(filter, bound));
        expect(
          details.filter((detail) => /^SCAN (change_requests|confirmations|services)\b/.test(detail)),
          `${filter} ${JSON.stringify(bound)}`,
        ).toEqual([]);
        expect(
          details.filter((detail) => /^SEARCH change_requests USING/.test(detail)).length,
        ).toBeGreaterThan(0);
      }
    }
  });

  it("reads the requests awaiting the account from one range of confirmations_awaiting_idx, in order", async () => {
    for (const bound of positions()) {
      const details = await plan(awaitingSql(bound));
      const position = bound ? ` AND request_id${bound.direction === "after" ? ">" : "<"}\\?` : "";
      expect(details[0]).toMatch(
        new RegExp(
          `^SEARCH c USING (COVERING )?INDEX confirmations_awaiting_idx \\(account_id=\\?${position}\\)$`,
        ),
      );
      // Each one's request, by its key, for the deadline.
      expect(details.slice(1)).toEqual([
        "CORRELATED SCALAR SUBQUERY 1",
        "SEARCH r USING INTEGER PRIMARY KEY (rowid=?)",
      ]);
    }
  });

  it("reads the details of the page's requests only, each by its key", async () => {
    const details = await plan(pageSql("all", null));
    const lookups = details.filter((detail) => /^SEARCH (r|s|a|mine|w)\b/.test(detail));
    // The request, its service, the viewer's confirmation, the unanswered ones; people come after.
    expect(new Set(lookups.map((detail) => detail.split(" ")[1]))).toEqual(new Set(["r", "s", "mine", "w"]));
    for (const lookup of lookups)
      expect(lookup).toMatch(/PRIMARY KEY \(rowid=\?\)|confirmations_request_account_uq/);
    // Scanned: only the page's own few rows (the opening, the arms' pages), never a table.
    expect(
      details.filter((detail) => /^SCAN /.test(detail) && !/^SCAN (opening|arm\d|rest)$/.test(detail)),
    ).toEqual([]);
  });

  it("reads the people a page names by their keys, once for the page", async () => {
    const statements: string[] = [];
    const client = sqliteClientOf(db);
    const prepare = client.prepare.bind(client);
    client.prepare = ((source: string) => {
      statements.push(source);
      return prepare(source);
    }) as typeof client.prepare;
    try {
      await listRequests(db, owner, { status: "all", cursor: null }, NOW);
    } finally {
      client.prepare = prepare;
    }
    // One statement by the primary key, with the page's people only (a row names at most three,
    // and two awaited confirmers who are among them or not). Its plan is the planner's to choose:
    // this test's accounts table is small enough to scan.
    const people = statements.filter((statement) => /from "accounts"/i.test(statement));
    expect(people).toHaveLength(1);
    const [statement = ""] = people;
    expect(statement).toMatch(/ from "accounts" where "accounts"\."id" in \((\?, )*\?\)$/);
    expect(statement.split("?").length - 1).toBeLessThanOrEqual(5 * REQUESTS_PAGE_SIZE);
  });
});

describe.skipIf(dialect !== "postgres")("the page query plan on PostgreSQL", () => {
  /** A node of `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)`; row counts are per loop. */

  // Rows the scans of the request tables took from their indexes and heaps, kept or filtered out.
  const analyze = (query: SQL) =>
    analyzeOnPostgres(db.read, query, (node) =>
      ["change_requests", "confirmations"].includes(node["Relation Name"] ?? ""),
    );

  /**
   * No table is read whole: no sequential scan, and no bitmap scan but the one of the pending
   * requests past their deadline (a minute's worth; the sweep records them).
   */
  function expectNoWholeScan(analysis: PlanAnalysis) {
    const tables = ["change_requests", "confirmations", "services"];
    expect(
      analysis.nodes.filter(
        (node) => node["Node Type"] === "Seq Scan" && tables.includes(node["Relation Name"] ?? ""),
      ),
    ).toEqual([]);
    for (const node of analysis.nodes.filter((n) => n["Node Type"] === "Bitmap Heap Scan")) {
      expect(node.Plans?.map((child) => child["Index Name"])).toEqual(["change_requests_pending_expiry_idx"]);
    }
  }

  it("reads one index range per party, from the page's position, and about a page of rows, in every filter", async () => {
    const reads = (analysis: PlanAnalysis) =>
      analysis.nodes
        .filter((node) =>
          /^change_requests_(requested_by|old_contact|new_contact|service_admin)/.test(
            node["Index Name"] ?? "",
          ),
        )
        .map((node) => node["Index Name"]);
    for (const filter of STATE_FILTERS) {
      for (const bound of positions()) {
        const analysis = await analyze(idsSql(filter, bound));
        const suffix = filter === "all" ? "idx" : "state_idx";
        if (filter === "pending")
          console.log(
            "PLAN",
            JSON.stringify(bound),
            JSON.stringify(
              analysis.nodes.map((n) => [
                n["Node Type"],
                n["Relation Name"],
                n["Index Name"],
                n["Index Cond"],
                n["Actual Rows"],
                n["Actual Loops"],
                n["Rows Removed by Filter"],
              ]),
            ),
          );
        expect(reads(analysis).sort(), `${filter} ${JSON.stringify(bound)}`).toEqual(
          ["new_contact", "old_contact", "requested_by", "service_admin"].map(
            (party) => `change_requests_${party}_${suffix}`,
          ),
        );
        if (bound) {
          // A row comparison on (party or state, id): the scan starts at the position.
          const position = new RegExp(`ROW\\(\\w+, id\\) ${bound.direction === "after" ? ">" : "<"} ROW\\(`);
          for (const node of analysis.nodes.filter((n) =>
            n["Index Name"]?.match(/_(by|contact|admin)_(state_)?idx$/),
          ))
            expect(node["Index Cond"]).toMatch(position);
        }
        expectNoWholeScan(analysis);
        // Four arms of at most a page each, the opening's confirmations and their requests (for
        // "all" and "pending"), and the few overdue requests (for "expired").
        expect(analysis.rowsRead, `${filter} ${JSON.stringify(bound)}`).toBeLessThanOrEqual(
          4 * ONE_PAGE + 2 * AWAITING_FIRST_LIMIT + 10,
        );
        expect(analysis.buffers).toBeLessThan(200);
      }
    }
  });

  it("counts at most the cap's worth of index entries per party, whatever the account holds", async () => {
    for (const filter of STATE_FILTERS) {
      for (const bound of positions()) {
        const analysis = await analyze(countSql(filter, bound));
        expectNoWholeScan(analysis);
        // The list and the entries above the page: four arms each, the opening's few.
        expect(analysis.rowsRead, `${filter} ${JSON.stringify(bound)}`).toBeLessThanOrEqual(
          2 * 4 * (COUNT_CAP + 1) + 2 * AWAITING_FIRST_LIMIT + 10,
        );
      }
    }
  });

  it("reads the requests awaiting the account from one range of confirmations_awaiting_idx", async () => {
    for (const bound of positions()) {
      const analysis = await analyze(awaitingSql(bound));
      expect(
        analysis.nodes
          .filter((node) => node["Relation Name"] === "confirmations")
          .map((n) => n["Index Name"]),
      ).toEqual(["confirmations_awaiting_idx"]);
      expectNoWholeScan(analysis);
      // A page of confirmations, and each one's request.
      expect(analysis.rowsRead).toBeLessThanOrEqual(2 * ONE_PAGE);
    }
  });

  it("a page with its details costs what a small account's page costs", async () => {
    // The small account has 60 requests: a full page too.
    const smallPage = await analyze(pageSql("all", null, small));
    for (const bound of positions()) {
      const big = await analyze(pageSql("all", bound));
      expectNoWholeScan(big);
      console.log(
        "COST",
        JSON.stringify(bound),
        big.rowsRead,
        big.buffers,
        smallPage.rowsRead,
        smallPage.buffers,
      );
      expect(big.rowsRead).toBeLessThanOrEqual(1.5 * smallPage.rowsRead);
      expect(big.buffers).toBeLessThanOrEqual(1.5 * smallPage.buffers);
    }
  });
});
