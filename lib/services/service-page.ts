import { type SQL, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import type { ContactType, ServiceType } from "@/db/schema";

/**
 * What both engines' page queries share: the input, the search's limits, the LIKE pattern and the
 * final join that dresses a page of (id, name) with the services' contacts. How the page is found
 * is each engine's own (service-page.sqlite.ts, service-page.pg.ts).
 */

/** Where a page lies from a position in (name, id) order; the id only where the position needs it. */
export type PageBound = { side: "after" | "before"; name: string; id: number | null };

export type PageSqlInput<Plan> = {
  search: string;
  type: ServiceType | null;
  role: ContactType | null;
  accountId: number;
  plan: Plan;
  /** Which side of a position the rows lie, and in which order they come (null: from the start). */
  bound: PageBound | null;
  limit: number;
};

/** A search no index is asked for: the account's name-ordered indexes are walked, LIKE filters. */
export type IndexWalk = { strategy: "index-walk" };

export const INDEX_WALK: IndexWalk = { strategy: "index-walk" };

/** One engine's way to a page: how it plans a search, and the SQL of a page under that plan. */
export type ServicePageEngine<Plan> = {
  planSearch(db: Db, search: string): Promise<Plan | IndexWalk>;
  /** The (id, name) of a page's services, in the page's order: what pageSql dresses, and what a count counts. */
  pageIdsSql(input: PageSqlInput<Plan | IndexWalk>): SQL;
  pageSql(input: PageSqlInput<Plan | IndexWalk>): SQL;
};

/**
 * Searches shorter than a trigram, or matching at least this many services in the whole
 * database, walk the account's name-ordered indexes instead: a common term fills a page early.
 */
export const SEARCH_INDEX_MATCH_LIMIT = 1000;

/** At most this many of a long search's trigrams are weighed; they are spread over the search. */
export const MAX_TRIGRAMS_WEIGHED = 16;

export const CONTACT_COLUMN: Record<ContactType, string> = {
  admin: "admin_id",
  tech: "tech_id",
  billing: "billing_id",
};

/** Escapes LIKE's wildcards so a search for `a_b` finds that text, not `axb`. */
export function likePattern(search: string): string {
  return `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** At most `max` of `items`, taken at even steps from first to last. */
export function spread<T>(items: readonly T[], max: number): T[] {
  const step = Math.max(1, items.length / max);
  return Array.from({ length: Math.min(items.length, max) }, (_, i) => items[Math.floor(i * step)] as T);
}

export const isPresent = (filter: SQL | null): filter is SQL => filter !== null;

/** ASC from the start or after a position, DESC before one (the page is read backwards). */
export function pageOrder(bound: PageBound | null): SQL {
  return sql.raw(bound?.side === "before" ? "DESC" : "ASC");
}

/**
 * The page's services with their three contacts' customer IDs and names, in the page's order. `page` selects
 * (id, name) and holds at most a page of rows, so the joins cost a page. Quoted aliases: PostgreSQL
 * folds unquoted names to lower case.
 */
export function withContacts(page: SQL, bound: PageBound | null): SQL {
  const order = pageOrder(bound);
  return sql`WITH page AS (${page})
SELECT s.id, s.name, s.type,
  s.admin_id AS "adminId", a.customer_id AS "adminCustomerId", a.name AS "adminName",
  s.tech_id AS "techId", t.customer_id AS "techCustomerId", t.name AS "techName",
  s.billing_id AS "billingId", b.customer_id AS "billingCustomerId", b.name AS "billingName"
FROM page p
JOIN services s ON s.id = p.id
JOIN accounts a ON a.id = s.admin_id
JOIN accounts t ON t.id = s.tech_id
JOIN accounts b ON b.id = s.billing_id
ORDER BY p.name ${order}, p.id ${order}`;
}
