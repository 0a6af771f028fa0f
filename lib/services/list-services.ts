import { type SQL, sql } from "drizzle-orm";
import { type Db, rawRows } from "@/db/client";
import { CONTACT_TYPES, type ContactType, SERVICE_TYPES, type ServiceType } from "@/db/schema";
import { firstParam, type SearchParamRecord } from "@/lib/search-params";

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

export type ContactCell = { id: number; customerId: string };

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
};

const CONTACT_COLUMN: Record<ContactType, string> = {
  admin: "admin_id",
  tech: "tech_id",
  billing: "billing_id",
};

/**
 * Searches shorter than a trigram, or matching at least this many services in the whole
 * database, walk the account's name-ordered indexes instead: a common term fills a page early.
 */
export const SEARCH_INDEX_MATCH_LIMIT = 1000;

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
export type SearchStrategy = "index-walk" | "trigram";

type PageSqlInput = Pick<ServiceListQuery, "search" | "type" | "role"> & {
  accountId: number;
  plan: SearchPlan;
  /**
   * Which side of a position in (name, id) order the rows lie, and in which order they come;
   * the id only where the position needs it.
   */
  bound: { side: "after" | "before"; name: string; id: number | null } | null;
  limit: number;
};

function positionFilter(bound: PageSqlInput["bound"], column: (name: string) => SQL): SQL | null {
  if (!bound) return null;
  const op = sql.raw(bound.side === "after" ? ">" : "<");
  // A row value, not `name > ? OR (name = ? AND id > ?)`: parameters are positional, so the name
  // would be bound twice, and SQLite starts the index walk at the position (name >= ?) only when
  // both comparisons share one variable. The row value gives the same rows and the same plans.
  return bound.id !== null
    ? sql`(${column("name")}, ${column("id")}) ${op} (${bound.name}, ${bound.id})`
    : sql`${column("name")} ${op} ${bound.name}`;
}

const isPresent = (filter: SQL | null): filter is SQL => filter !== null;

/**
 * Builds the SQL for one page of an account's services in (name, id) order, from a position.
 * Index walk: each contact role has an index on (contact, name); one arm per role reads it from
 * the position on, and the compound SELECT merges the arms, so a page costs its own rows, not
 * the account's size or how far into the list it is (keyset paging, never OFFSET). Trigram: the
 * name index finds the (few) services whose name contains the search; the account's are kept.
 */
export function buildServicePageSql(input: PageSqlInput): SQL {
  const order = sql.raw(input.bound?.side === "before" ? "DESC" : "ASC");
  const roles = input.role ? [input.role] : CONTACT_TYPES;
  const search = likePattern(input.search);
  let page: SQL;
  if (input.plan.strategy === "trigram") {
    const filters = [
      sql`services_name_fts MATCH ${input.plan.match}`,
      // The same matches as LIKE would give (the trigram index folds case beyond ASCII).
      sql`s.name LIKE ${search} ESCAPE '\\'`,
      sql`(${sql.join(
        roles.map((role) => sql`s.${sql.raw(CONTACT_COLUMN[role])} = ${input.accountId}`),
        sql` OR `,
      )})`,
      input.type ? sql`s.type = ${input.type}` : null,
      positionFilter(input.bound, (column) => sql.raw(`s.${column}`)),
    ].filter(isPresent);
    page = sql`SELECT s.id, s.name FROM services_name_fts JOIN services s ON s.id = services_name_fts.rowid
  WHERE ${sql.join(filters, sql` AND `)}
  ORDER BY s.name ${order}, s.id ${order} LIMIT ${input.limit}`;
  } else {
    const filters = [
      input.search ? sql`name LIKE ${search} ESCAPE '\\'` : null,
      input.type ? sql`type = ${input.type}` : null,
      positionFilter(input.bound, (column) => sql.raw(column)),
    ]
      .filter(isPresent)
      .map((filter) => sql` AND ${filter}`);
    const arms = roles.map(
      (role) =>
        sql`SELECT id, name FROM services WHERE ${sql.raw(CONTACT_COLUMN[role])} = ${input.accountId}${sql.join(filters)}`,
    );
    page = sql`${sql.join(arms, sql` UNION `)} ORDER BY name ${order}, id ${order} LIMIT ${input.limit}`;
  }
  return sql`WITH page AS (${page})
SELECT s.id, s.name, s.type,
  s.admin_id AS adminId, a.customer_id AS adminCustomerId,
  s.tech_id AS techId, t.customer_id AS techCustomerId,
  s.billing_id AS billingId, b.customer_id AS billingCustomerId
FROM page p
JOIN services s ON s.id = p.id
JOIN accounts a ON a.id = s.admin_id
JOIN accounts t ON t.id = s.tech_id
JOIN accounts b ON b.id = s.billing_id
ORDER BY p.name ${order}, p.id ${order}`;
}

type RawRow = {
  id: number;
  name: string;
  type: ServiceType;
  adminId: number;
  adminCustomerId: string;
  techId: number;
  techCustomerId: string;
  billingId: number;
  billingCustomerId: string;
};

/** Escapes LIKE's wildcards so a search for `a_b` finds that text, not `axb`. */
export function likePattern(search: string): string {
  return `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** A text as one FTS5 phrase (with the trigram tokenizer: "any name containing it"). */
export function ftsPhrase(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}

/** How a search finds its services: by walking the account's indexes, or through the trigram index. */
export type SearchPlan = { strategy: "index-walk" } | { strategy: "trigram"; match: string };

/** At most this many of a long search's trigrams are weighed; they are spread over the search. */
const MAX_TRIGRAMS_WEIGHED = 16;

/**
 * Plans a search. The trigram index answers a phrase query at the cost of its most common
 * trigram ("com", ".pl" are in nearly every name), so the index is asked only for the search's
 * two rarest trigrams, each counted up to SEARCH_INDEX_MATCH_LIMIT (a capped count stops early);
 * LIKE then keeps the exact matches. Searches shorter than a trigram, or whose every trigram is
 * common, walk the account's name-ordered indexes instead, which a common term fills early.
 * Non-ASCII searches weigh the whole phrase, as the index folds case beyond what JavaScript does.
 */
export async function planSearch(db: Db, search: string): Promise<SearchPlan> {
  const chars = [...search.toLowerCase()];
  if (chars.length < 3) return { strategy: "index-walk" };
  // A phrase the index cannot parse (a NUL in it, say) counts as null and is never asked for:
  // the search then leans on the other trigrams, or walks the account's indexes with LIKE.
  const count = async (match: string): Promise<number | null> => {
    try {
      const [row] = await rawRows<{ n: number }>(
        db.read,
        sql`SELECT count(*) AS n FROM (SELECT rowid FROM services_name_fts WHERE services_name_fts MATCH ${match} LIMIT ${SEARCH_INDEX_MATCH_LIMIT})`,
      );
      return row?.n ?? 0;
    } catch {
      return null;
    }
  };
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ASCII is exactly what is meant
  if (!/^[\x00-\x7f]*$/.test(search)) {
    const match = ftsPhrase(search);
    const matches = await count(match);
    return matches !== null && matches < SEARCH_INDEX_MATCH_LIMIT
      ? { strategy: "trigram", match }
      : { strategy: "index-walk" };
  }
  const all = [...new Set(chars.slice(2).map((_, i) => chars.slice(i, i + 3).join("")))];
  const step = Math.max(1, all.length / MAX_TRIGRAMS_WEIGHED);
  const phrases = Array.from({ length: Math.min(all.length, MAX_TRIGRAMS_WEIGHED) }, (_, i) =>
    ftsPhrase(all[Math.floor(i * step)] as string),
  );
  // One count after another: a search should not take a connection per trigram.
  const weighed: { phrase: string; matches: number }[] = [];
  for (const phrase of phrases) {
    const matches = await count(phrase);
    if (matches !== null) weighed.push({ phrase, matches });
  }
  weighed.sort((a, b) => a.matches - b.matches);
  const [rarest, next] = weighed;
  if (!rarest || rarest.matches >= SEARCH_INDEX_MATCH_LIMIT) return { strategy: "index-walk" };
  return { strategy: "trigram", match: next ? `${rarest.phrase} AND ${next.phrase}` : rarest.phrase };
}

function toServiceRow(row: RawRow): ServiceRow {
  return {
    id: row.id,
    name: row.name,
    type: row.type,
    admin: { id: row.adminId, customerId: row.adminCustomerId },
    tech: { id: row.techId, customerId: row.techCustomerId },
    billing: { id: row.billingId, customerId: row.billingCustomerId },
  };
}

/**
 * A cursor at the edge of a page, with the id only when the neighbour beyond the edge has the
 * same name (so links stay readable: `?after=example.pl`).
 */
function edgeCursor(direction: "after" | "before", edge: RawRow, beyond: RawRow | undefined): ServiceCursor {
  return { direction, name: edge.name, id: beyond && beyond.name === edge.name ? edge.id : null };
}

/** One page of the services `accountId` is a contact of, in name order, from the query's cursor. */
export async function listServices(db: Db, accountId: number, query: ServiceListQuery): Promise<ServicePage> {
  const plan: SearchPlan = query.search ? await planSearch(db, query.search) : { strategy: "index-walk" };
  const run = (bound: PageSqlInput["bound"], limit: number) =>
    rawRows<RawRow>(db.read, buildServicePageSql({ ...query, accountId, plan, bound, limit }));
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
  if (!first || !last) return { rows: [], next: null, previous: null };

  // The one neighbour on the side the page was not read from (the way back), if any.
  const [beforeFirst] = isBackwards ? [] : cursor ? await run(boundOf("before", first), 1) : [];
  const [afterLast] = isBackwards ? await run(boundOf("after", last), 1) : [];
  const beyondLast = isBackwards ? afterLast : fetched[PAGE_SIZE];
  const beyondFirst = isBackwards ? fetched[PAGE_SIZE] : beforeFirst;
  return {
    rows: page.map(toServiceRow),
    next: (isBackwards ? afterLast : hasMoreThatWay) ? edgeCursor("after", last, beyondLast) : null,
    previous: (isBackwards ? hasMoreThatWay : beforeFirst) ? edgeCursor("before", first, beyondFirst) : null,
  };
}
