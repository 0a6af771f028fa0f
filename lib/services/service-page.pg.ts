import { type SQL, sql } from "drizzle-orm";
import { type Db, rawRows } from "@/db/client";
import { CONTACT_TYPES } from "@/db/schema";
import {
  CONTACT_COLUMN,
  INDEX_WALK,
  type IndexWalk,
  isPresent,
  likePattern,
  MAX_TRIGRAMS_WEIGHED,
  type PageBound,
  type PageSqlInput,
  pageOrder,
  SEARCH_INDEX_MATCH_LIMIT,
  type ServicePageEngine,
  spread,
  withContacts,
} from "./service-page";

/**
 * A search through the GIN index services_name_trgm_idx (pg_trgm): the index is asked for the
 * names containing each of `trigrams`, the search's rarest; ILIKE then keeps the exact matches.
 */
export type PostgresTrigramSearch = { strategy: "trigram"; trigrams: string[] };

/**
 * The search's windows of three letters or digits, each once: the trigrams pg_trgm keeps (it
 * indexes words of alphanumerics only, so `e-4` or `.pl` is no key of the index). ASCII letters
 * are lowered as ILIKE under COLLATE "C" folds them, and only those, so every name the search
 * matches contains each window to ILIKE too.
 */
export function indexedTrigrams(search: string): string[] {
  const chars = [...search.replace(/[A-Z]/g, (c) => c.toLowerCase())];
  const windows = chars.slice(2).map((_, i) => chars.slice(i, i + 3).join(""));
  return [...new Set(windows.filter((window) => /^[\p{L}\p{Nd}]{3}$/u.test(window)))];
}

/**
 * Where a page starts. `(name, id) > (…)` is a row comparison whose name part PostgreSQL turns
 * into an index condition (`name >= …`), so each arm enters its index at the position. The id is
 * compared as bigint: a URL may name an id past the integer column's range.
 */
function positionFilter(bound: PageBound | null): SQL | null {
  if (!bound) return null;
  const nul = bound.name.indexOf("\u0000");
  if (nul >= 0) {
    // PostgreSQL text holds no NUL, so it cannot be bound, and no name equals the position. In
    // byte order (SQLite's) the names after `x\0…` are those after `x`; before it, `x` and before.
    const name = bound.name.slice(0, nul);
    return bound.side === "after" ? sql`name > ${name}` : sql`name <= ${name}`;
  }
  const op = sql.raw(bound.side === "after" ? ">" : "<");
  return bound.id !== null
    ? sql`(name, id) ${op} (${bound.name}, ${bound.id}::bigint)`
    : sql`name ${op} ${bound.name}`;
}

/**
 * Builds the SQL for one page of an account's services in (name, id) order, from a position.
 * Index walk: one arm per contact role reads that role's (contact, name) index from the position
 * on and stops after a page (names in index order; only services sharing a name are sorted by id,
 * an Incremental Sort), and the arms' pages, at most three, are merged, deduplicated and cut to a
 * page. PostgreSQL does not merge a UNION in index order as SQLite does; a LIMIT in each arm makes
 * the merge cost three pages, never the account or how far into the list the page is.
 * Trigram: the trigram index finds the names that contain the search's rarest trigrams (a few,
 * as the plan counted them); ILIKE keeps the search's matches, then the account's. MATERIALIZED
 * keeps the full search and the contact columns out of the index scan: asked for every trigram of
 * the search, the GIN index would read the long lists of the common ones (`ser`, `exa`).
 */
export function postgresServicePageIds(input: PageSqlInput<PostgresTrigramSearch | IndexWalk>): SQL {
  const order = pageOrder(input.bound);
  const roles = input.role ? [input.role] : CONTACT_TYPES;
  const search = input.search ? sql`name ILIKE ${likePattern(input.search)} ESCAPE '\\'` : null;
  const typeFilter = input.type ? sql`type = ${input.type}` : null;
  // A removed service is no one's; read from each row the index walk reaches (a page's worth).
  const isPresentService = sql`removed_at IS NULL`;
  const orderBy = sql`ORDER BY name ${order}, id ${order} LIMIT ${input.limit}`;
  let page: SQL;
  if (input.plan.strategy === "trigram") {
    const account = sql`(${sql.join(
      roles.map((role) => sql`${sql.raw(CONTACT_COLUMN[role])} = ${input.accountId}`),
      sql` OR `,
    )})`;
    const filters = [search, account, typeFilter, isPresentService, positionFilter(input.bound)].filter(
      isPresent,
    );
    page = sql`WITH matches AS MATERIALIZED (
    SELECT id, name, type, admin_id, tech_id, billing_id, removed_at FROM services
    WHERE ${sql.join(
      input.plan.trigrams.map((trigram) => sql`name ILIKE ${likePattern(trigram)}`),
      sql` AND `,
    )})
  SELECT id, name FROM matches WHERE ${sql.join(filters, sql` AND `)} ${orderBy}`;
  } else {
    const filters = [isPresentService, search, typeFilter, positionFilter(input.bound)]
      .filter(isPresent)
      .map((filter) => sql` AND ${filter}`);
    const arms = roles.map(
      (role) =>
        sql`SELECT id, name FROM services WHERE ${sql.raw(CONTACT_COLUMN[role])} = ${input.accountId}${sql.join(filters)} ${orderBy}`,
    );
    page =
      arms.length === 1
        ? (arms[0] as SQL)
        : sql`${sql.join(
            arms.map((arm) => sql`(${arm})`),
            sql` UNION `,
          )} ${orderBy}`;
  }
  return page;
}

/** One page of the account's services with their contacts (postgresServicePageIds, dressed). */
export function postgresServicePageSql(input: PageSqlInput<PostgresTrigramSearch | IndexWalk>): SQL {
  return withContacts(postgresServicePageIds(input), input.bound);
}

/**
 * How many names contain each trigram, counted up to SEARCH_INDEX_MATCH_LIMIT, in one statement.
 * Each count is planned with its own trigram: a common one's reads the table until it has enough
 * (a few pages), a rare one's reads its short list in the trigram index and its rows.
 */
export function trigramCountsSql(trigrams: readonly string[]): SQL {
  return sql.join(
    trigrams.map(
      (trigram) => sql`SELECT ${trigram}::text AS trigram, (SELECT count(*)::int FROM (
    SELECT 1 FROM services WHERE name ILIKE ${likePattern(trigram)} LIMIT ${SEARCH_INDEX_MATCH_LIMIT}) m) AS n`,
    ),
    sql` UNION ALL `,
  );
}

/**
 * Plans a search as on SQLite: pg_trgm's GIN index answers a search at the cost of its trigrams'
 * lists, the common ones ("ser", "exa") as long as the table, so the index is asked only for the
 * search's two rarest trigrams, each counted up to SEARCH_INDEX_MATCH_LIMIT (a capped count stops
 * early), all in one statement. A search with no trigram the index keeps (`.pl`, `-0`), or
 * whose every trigram is common, walks the account's name-ordered indexes instead.
 */
export async function planPostgresSearch(db: Db, search: string): Promise<PostgresTrigramSearch | IndexWalk> {
  const trigrams = spread(indexedTrigrams(search), MAX_TRIGRAMS_WEIGHED);
  if (trigrams.length === 0) return INDEX_WALK;
  const counted = await rawRows<{ trigram: string; n: number }>(db.read, trigramCountsSql(trigrams));
  const matches = new Map(counted.map((row) => [row.trigram, Number(row.n)]));
  // A stable sort: of equally rare trigrams, the first in the search is asked.
  const weighed = trigrams
    .map((trigram) => ({ trigram, matches: matches.get(trigram) ?? SEARCH_INDEX_MATCH_LIMIT }))
    .sort((a, b) => a.matches - b.matches);
  const [rarest, next] = weighed;
  if (!rarest || rarest.matches >= SEARCH_INDEX_MATCH_LIMIT) return INDEX_WALK;
  return { strategy: "trigram", trigrams: next ? [rarest.trigram, next.trigram] : [rarest.trigram] };
}

export const postgresServicePages: ServicePageEngine<PostgresTrigramSearch> = {
  planSearch: planPostgresSearch,
  pageIdsSql: postgresServicePageIds,
  pageSql: postgresServicePageSql,
};
