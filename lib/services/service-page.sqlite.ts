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

/** A search through the FTS5 trigram table services_name_fts: `match` is its MATCH query. */
export type SqliteTrigramSearch = { strategy: "trigram"; match: string };

/** A text as one FTS5 phrase (with the trigram tokenizer: "any name containing it"). */
export function ftsPhrase(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}

function positionFilter(bound: PageBound | null, column: (name: string) => SQL): SQL | null {
  if (!bound) return null;
  const op = sql.raw(bound.side === "after" ? ">" : "<");
  // A row value, not `name > ? OR (name = ? AND id > ?)`: parameters are positional, so the name
  // would be bound twice, and SQLite starts the index walk at the position (name >= ?) only when
  // both comparisons share one variable. The row value gives the same rows and the same plans.
  return bound.id !== null
    ? sql`(${column("name")}, ${column("id")}) ${op} (${bound.name}, ${bound.id})`
    : sql`${column("name")} ${op} ${bound.name}`;
}

/**
 * Builds the SQL for one page of an account's services in (name, id) order, from a position.
 * Index walk: each contact role has an index on (contact, name); one arm per role reads it from
 * the position on, and the compound SELECT merges the arms, so a page costs its own rows, not
 * the account's size or how far into the list it is (keyset paging, never OFFSET). Trigram: the
 * name index finds the (few) services whose name contains the search; the account's are kept.
 */
export function sqliteServicePageIds(input: PageSqlInput<SqliteTrigramSearch | IndexWalk>): SQL {
  const order = pageOrder(input.bound);
  const roles = input.role ? [input.role] : CONTACT_TYPES;
  const search = likePattern(input.search);
  let page: SQL;
  if (input.plan.strategy === "trigram") {
    const filters = [
      sql`services_name_fts MATCH ${input.plan.match}`,
      // The same matches as LIKE would give (the trigram index folds case beyond ASCII).
      sql`s.name LIKE ${search} ESCAPE '\\'`,
      sql`s.removed_at IS NULL`,
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
    // A removed service is no one's. Read from the row each index entry points to: a page costs
    // a page of lookups more, never the account's size.
    const filters = [
      sql`removed_at IS NULL`,
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
  return page;
}

/** One page of the account's services with their contacts (sqliteServicePageIds, dressed). */
export function sqliteServicePageSql(input: PageSqlInput<SqliteTrigramSearch | IndexWalk>): SQL {
  return withContacts(sqliteServicePageIds(input), input.bound);
}

/**
 * Plans a search. The trigram index answers a phrase query at the cost of its most common
 * trigram ("com", ".pl" are in nearly every name), so the index is asked only for the search's
 * two rarest trigrams, each counted up to SEARCH_INDEX_MATCH_LIMIT (a capped count stops early);
 * LIKE then keeps the exact matches. Searches shorter than a trigram, or whose every trigram is
 * common, walk the account's name-ordered indexes instead, which a common term fills early.
 * Non-ASCII searches weigh the whole phrase, as the index folds case beyond what JavaScript does.
 */
export async function planSqliteSearch(db: Db, search: string): Promise<SqliteTrigramSearch | IndexWalk> {
  const chars = [...search.toLowerCase()];
  if (chars.length < 3) return INDEX_WALK;
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
      : INDEX_WALK;
  }
  const all = [...new Set(chars.slice(2).map((_, i) => chars.slice(i, i + 3).join("")))];
  const phrases = spread(all, MAX_TRIGRAMS_WEIGHED).map(ftsPhrase);
  // One count after another: a search should not take a connection per trigram.
  const weighed: { phrase: string; matches: number }[] = [];
  for (const phrase of phrases) {
    const matches = await count(phrase);
    if (matches !== null) weighed.push({ phrase, matches });
  }
  weighed.sort((a, b) => a.matches - b.matches);
  const [rarest, next] = weighed;
  if (!rarest || rarest.matches >= SEARCH_INDEX_MATCH_LIMIT) return INDEX_WALK;
  return { strategy: "trigram", match: next ? `${rarest.phrase} AND ${next.phrase}` : rarest.phrase };
}

export const sqliteServicePages: ServicePageEngine<SqliteTrigramSearch> = {
  planSearch: planSqliteSearch,
  pageIdsSql: sqliteServicePageIds,
  pageSql: sqliteServicePageSql,
};
