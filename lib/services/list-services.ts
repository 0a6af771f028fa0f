import { sql } from "drizzle-orm";
import { type Db, rawRows } from "@/db/client";
import { CONTACT_TYPES, type ContactType, SERVICE_TYPES, type ServiceType } from "@/db/schema";
import { COUNT_CAP, type PageExtent } from "@/lib/page-extent";
import { firstParam, type SearchParamRecord } from "@/lib/search-params";
import { INDEX_WALK, type IndexWalk, type PageBound, type ServicePageEngine } from "./service-page";
import { type PostgresTrigramSearch, postgresServicePages } from "./service-page.pg";
import { type SqliteTrigramSearch, sqliteServicePages } from "./service-page.sqlite";

export { likePattern, SEARCH_INDEX_MATCH_LIMIT } from "./service-page";

export const PAGE_SIZE = 50;

/**
 * Where a page starts: just after (or, going back, just before) a service in the list's order,
 * (name, id). The id is only needed where two services share the name at a page's edge.
 */
export type ServiceCursor = { direction: "after" | "before"; name: string; id: number | null };

/** What My contacts was asked for; every field comes from the URL. */
export type ServiceListQuery = {
  search: string;
  type: ServiceType | null;
  role: ContactType | null;
  cursor: ServiceCursor | null;
};

export type ContactCell = { id: number; customerId: string; name: string };

export type ServiceRow = {
  id: number;
  name: string;
  type: ServiceType;
  admin: ContactCell;
  tech: ContactCell;
  billing: ContactCell;
};

export type ServicePage = {
  rows: ServiceRow[];
  /** Where the next and previous pages start, or null when there is none. */
  next: ServiceCursor | null;
  previous: ServiceCursor | null;
  /** "51–100 of 212": counted up to COUNT_CAP over the page's own index ranges. */
  extent: PageExtent;
};

const MAX_SEARCH_LENGTH = 100;

function cursorParam(params: SearchParamRecord, direction: "after" | "before"): ServiceCursor | null {
  const name = firstParam(params, direction);
  if (!name || name.length > 500) return null;
  const id = Number.parseInt(firstParam(params, `${direction}Id`), 10);
  return { direction, name, id: Number.isSafeInteger(id) && id > 0 ? id : null };
}

/** Reads the URL's search parameters into a query, ignoring values that are not ours. */
export function parseServiceListQuery(params: SearchParamRecord): ServiceListQuery {
  const type = firstParam(params, "type");
  const role = firstParam(params, "role");
  return {
    search: firstParam(params, "q").trim().slice(0, MAX_SEARCH_LENGTH),
    type: (SERVICE_TYPES as readonly string[]).includes(type) ? (type as ServiceType) : null,
    role: (CONTACT_TYPES as readonly string[]).includes(role) ? (role as ContactType) : null,
    cursor: cursorParam(params, "after") ?? cursorParam(params, "before"),
  };
}

/** The URL parameters of a cursor (`after=name`, plus `afterId` only where a name repeats). */
export function cursorParams(cursor: ServiceCursor | null): Record<string, string | number | null> {
  if (!cursor) return {};
  return { [cursor.direction]: cursor.name, [`${cursor.direction}Id`]: cursor.id };
}

/** How the page's services are found: through the trigram index, or by walking the account's. */
export type SearchStrategy = SearchPlan["strategy"];

/**
 * How a search finds its services: by walking the account's indexes, or through the trigram
 * index, asked on SQLite with an FTS5 query (`match`), on PostgreSQL for a few trigrams.
 */
export type SearchPlan = IndexWalk | SqliteTrigramSearch | PostgresTrigramSearch;

/** Plans a search on the database's engine (service-page.sqlite.ts, service-page.pg.ts). */
export function planSearch(db: Db, search: string): Promise<SearchPlan> {
  return (db.dialect === "postgres" ? postgresServicePages : sqliteServicePages).planSearch(db, search);
}

type RawRow = {
  id: number;
  name: string;
  type: ServiceType;
  adminId: number;
  adminCustomerId: string;
  adminName: string;
  techId: number;
  techCustomerId: string;
  techName: string;
  billingId: number;
  billingCustomerId: string;
  billingName: string;
};

function toServiceRow(row: RawRow): ServiceRow {
  return {
    id: row.id,
    name: row.name,
    type: row.type,
    admin: { id: row.adminId, customerId: row.adminCustomerId, name: row.adminName },
    tech: { id: row.techId, customerId: row.techCustomerId, name: row.techName },
    billing: { id: row.billingId, customerId: row.billingCustomerId, name: row.billingName },
  };
}

/**
 * A cursor at the edge of a page, with the id only when the neighbour beyond the edge has the
 * same name (so links stay readable: `?after=example.pl`).
 */
function edgeCursor(direction: "after" | "before", edge: RawRow, beyond: RawRow | undefined): ServiceCursor {
  return { direction, name: edge.name, id: beyond && beyond.name === edge.name ? edge.id : null };
}

const EMPTY_PAGE: ServicePage = { rows: [], next: null, previous: null, extent: { first: null, total: 0 } };

/** A count up to COUNT_CAP, or null beyond it. */
const capped = (n: number): number | null => (n > COUNT_CAP ? null : n);

/** One page of the services `accountId` is a contact of, in name order, from the query's cursor. */
export function listServices(db: Db, accountId: number, query: ServiceListQuery): Promise<ServicePage> {
  // No name holds a NUL (PostgreSQL's text cannot), so such a search matches nothing on either
  // engine; SQLite's LIKE would otherwise end the pattern at the NUL and match far too much.
  if (query.search.includes("\u0000")) return Promise.resolve(EMPTY_PAGE);
  return db.dialect === "postgres"
    ? listWith(postgresServicePages, db, accountId, query)
    : listWith(sqliteServicePages, db, accountId, query);
}

async function listWith<Plan>(
  engine: ServicePageEngine<Plan>,
  db: Db,
  accountId: number,
  query: ServiceListQuery,
): Promise<ServicePage> {
  const plan = query.search ? await engine.planSearch(db, query.search) : INDEX_WALK;
  const run = (bound: PageBound | null, limit: number) =>
    rawRows<RawRow>(db.read, engine.pageSql({ ...query, accountId, plan, bound, limit }));
  const boundOf = (side: "after" | "before", position: { name: string; id: number | null }) => ({
    side,
    name: position.name,
    id: position.id,
  });

  const cursor = query.cursor;
  // One row more than a page tells whether the list goes on in the direction read.
  const fetched = await run(cursor ? boundOf(cursor.direction, cursor) : null, PAGE_SIZE + 1);
  const isBackwards = cursor?.direction === "before";
  const hasMoreThatWay = fetched.length > PAGE_SIZE;
  const page = fetched.slice(0, PAGE_SIZE);
  if (isBackwards) page.reverse();
  const first = page[0];
  const last = page.at(-1);
  // Counted up to COUNT_CAP + 1 over the same SQL as the page, without its contacts: the list's
  // length, and (past the first page) how many come before this one.
  const count = async (bound: PageBound | null) => {
    const [row] = await rawRows<{ n: number }>(
      db.read,
      sql`SELECT count(*) AS n FROM (${engine.pageIdsSql({ ...query, accountId, plan, bound, limit: COUNT_CAP + 1 })}) counted`,
    );
    return Number(row?.n ?? 0);
  };
  if (!first || !last) return { ...EMPTY_PAGE, extent: { first: null, total: capped(await count(null)) } };

  // The one neighbour on the side the page was not read from (the way back), if any.
  const [beforeFirst] = isBackwards ? [] : cursor ? await run(boundOf("before", first), 1) : [];
  const [afterLast] = isBackwards ? await run(boundOf("after", last), 1) : [];
  const beyondLast = isBackwards ? afterLast : fetched[PAGE_SIZE];
  const beyondFirst = isBackwards ? fetched[PAGE_SIZE] : beforeFirst;
  const previous = (isBackwards ? hasMoreThatWay : beforeFirst)
    ? edgeCursor("before", first, beyondFirst)
    : null;
  const next = (isBackwards ? afterLast : hasMoreThatWay) ? edgeCursor("after", last, beyondLast) : null;
  // A list of one page is counted already.
  const total = previous || next ? await count(null) : page.length;
  const before = previous ? await count(boundOf("before", first)) : 0;
  return {
    rows: page.map(toServiceRow),
    next,
    previous,
    // `before` is counted to COUNT_CAP + 1, so a page starting right after the cap still knows its place.
    extent: { first: before > COUNT_CAP ? null : before + 1, total: capped(total) },
  };
}

/**
 * Ids of every service of `accountId` matching My contacts' filter (search, type, role), in the
 * list's order, at most `limit`: what a bulk hand-over of "all services matching the filter"
 * covers. The same SQL as a page, read once without a cursor.
 */
export async function listMatchingServiceIds(
  db: Db,
  accountId: number,
  filter: Pick<ServiceListQuery, "search" | "type" | "role">,
  limit: number,
): Promise<number[]> {
  if (filter.search.includes("\u0000")) return [];
  const query = { ...filter, cursor: null };
  const rows =
    db.dialect === "postgres"
      ? await matchingWith(postgresServicePages, db, accountId, query, limit)
      : await matchingWith(sqliteServicePages, db, accountId, query, limit);
  return rows.map((row) => row.id);
}

async function matchingWith<Plan>(
  engine: ServicePageEngine<Plan>,
  db: Db,
  accountId: number,
  query: ServiceListQuery,
  limit: number,
): Promise<RawRow[]> {
  const plan = query.search ? await engine.planSearch(db, query.search) : INDEX_WALK;
  return rawRows<RawRow>(db.read, engine.pageSql({ ...query, accountId, plan, bound: null, limit }));
}
