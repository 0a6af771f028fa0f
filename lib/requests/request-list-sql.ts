import { type SQL, sql } from "drizzle-orm";
import type { Dialect } from "@/db/client";
import { changeRequests, type RequestState } from "@/db/schema";

/**
 * The SQL of My requests: which requests a page holds, each list read from indexes in id order
 * from a position (never OFFSET), and then those requests' rows. What the two engines spell
 * differently is side by side in SPELLING.
 */

/** Where a page lies: the requests older ("before") or newer ("after") than a request id. */
export type RequestBound = { direction: "before" | "after"; id: number };

/** The state filters of the list; "awaiting my confirmation" reads confirmations instead. */
export type StateFilter = "all" | RequestState;

type Order = "ASC" | "DESC";

/**
 * The columns that list a request for an account: it asked, is replaced, is the new contact, or
 * administers the service now. A confirmer is always the account that asked or the new contact
 * (CONFIRMERS_BY_KIND; list-requests.test.ts holds it to that), so confirmations add no arm.
 */
const PARTY_COLUMNS = ["requested_by_id", "old_contact_id", "new_contact_id", "service_admin_id"] as const;

/** Newest first, or oldest first when a page is read upwards from a position ("after"). */
export function orderOf(bound: RequestBound | null): Order {
  return bound?.direction === "after" ? "ASC" : "DESC";
}

/** How ids beyond `bound` compare with it. */
function comparison(bound: RequestBound): SQL {
  return sql.raw(bound.direction === "after" ? ">" : "<");
}

const isPresent = (condition: SQL | null): condition is SQL => condition !== null;

/**
 * How a query reads one range of an index in id order from a position: the rows whose `column`
 * is `accountId` (and whose state is `state`, when given) and whose `id` lies beyond `bound`,
 * ordered by `id` as `bound` says. The index is (column, id), or (column, state, id) with a state.
 */
type IndexRange = (input: {
  column: SQL;
  accountId: number;
  state: RequestState | null;
  id: SQL;
  bound: RequestBound | null;
}) => {
  where: SQL;
  orderBy: SQL;
};

/**
 * What the engines spell differently. Index ranges first. SQLite reads `column = x AND id < y
 * ORDER BY id` from the index that gives that order. PostgreSQL, asked so, may read the primary
 * key instead, as its estimates often prefer: backwards from the top filtering every newer
 * request of anyone (all of them, when the account has none in that state), or, from a position,
 * every request below it, to sort the account's. So it is asked in terms only the wanted index
 * answers: the column before `id` is bounded by `>= x AND <= x` (an equality would drop it from
 * the wanted order, leaving `ORDER BY id`), the order is (that column, id), and the position is a
 * row comparison on the two, which enters the index at the position and which the primary key
 * cannot use.
 */
const SPELLING: Record<
  Dialect,
  {
    indexRange: IndexRange;
    isTrue: (column: SQL) => SQL;
    epochMs: (column: SQL) => SQL;
    joinedWithSpaces: (column: SQL) => SQL;
  }
> = {
  sqlite: {
    indexRange: ({ column, accountId, state, id, bound }) => ({
      where: sql.join(
        [
          sql`${column} = ${accountId}`,
          state ? sql`state = ${state}` : null,
          bound ? sql`${id} ${comparison(bound)} ${bound.id}` : null,
        ].filter(isPresent),
        sql` AND `,
      ),
      orderBy: sql`${id} ${sql.raw(orderOf(bound))}`,
    }),
    // A partial index serves a query only if it repeats the index's condition as written (`= 1`).
    isTrue: (column) => sql`${column} = 1`,
    // Timestamps are stored as milliseconds already.
    epochMs: (column) => column,
    joinedWithSpaces: (column) => sql`group_concat(${column}, ' ')`,
  },
  postgres: {
    indexRange: ({ column, accountId, state, id, bound }) => {
      const direction = sql.raw(orderOf(bound));
      // The column before id in the index, and its one value.
      const [before, value] = state ? [sql`state`, state] : [column, accountId];
      const where = [
        state ? sql`${column} = ${accountId}` : null,
        sql`${before} >= ${value} AND ${before} <= ${value}`,
        bound ? sql`(${before}, ${id}) ${comparison(bound)} (${value}, ${bound.id})` : null,
      ].filter(isPresent);
      return { where: sql.join(where, sql` AND `), orderBy: sql`${before} ${direction}, ${id} ${direction}` };
    },
    isTrue: (column) => column,
    // timestamptz holds milliseconds (precision 3); float8 reaches JavaScript as a number.
    epochMs: (column) => sql`(extract(epoch from ${column}) * 1000)::float8`,
    joinedWithSpaces: (column) => sql`string_agg(${column}::text, ' ')`,
  },
};

/** `now` bound through a timestamp column: milliseconds on SQLite, a timestamptz on PostgreSQL. */
const timestamp = (now: Date): SQL => sql`${sql.param(now, changeRequests.expiresAt)}`;

/**
 * The ids of the requests awaiting `accountId`'s answer (pending, not yet expired, its own
 * confirmation undecided), newest first from `bound`, at most `limit`: one range of the partial
 * index confirmations_awaiting_idx, which holds no answered confirmation and none of a request
 * that ended. Only requests past their deadline that the sweep has not yet recorded (a minute's
 * worth) are read and left out besides.
 */
export function awaitingRequestIdsSql(input: {
  dialect: Dialect;
  accountId: number;
  bound: RequestBound | null;
  limit: number;
  now: Date;
}): SQL {
  const { indexRange, isTrue } = SPELLING[input.dialect];
  const range = indexRange({
    column: sql`c.account_id`,
    accountId: input.accountId,
    state: null,
    id: sql`c.request_id`,
    bound: input.bound,
  });
  // The request's deadline is read row by row, in a scalar subquery a planner cannot turn into a
  // join: PostgreSQL would otherwise hash every pending request against every confirmation the
  // account has left to answer, and sort them, to return a page.
  const deadline = sql`(SELECT r.expires_at FROM change_requests r WHERE r.id = c.request_id AND r.state = 'pending')`;
  const conditions = [
    range.where,
    sql`c.decision IS NULL`,
    isTrue(sql`c.is_request_pending`),
    sql`${deadline} > ${timestamp(input.now)}`,
  ].filter(isPresent);
  return sql`SELECT c.request_id AS id FROM confirmations c
WHERE ${sql.join(conditions, sql` AND `)}
ORDER BY ${range.orderBy} LIMIT ${input.limit}`;
}

/**
 * The state whose (party, state, id) indexes each state filter reads; "all" reads the (party, id)
 * indexes. A request stored as pending but past its deadline reads as expired: those the sweep
 * has not recorded yet are the `overdue` table (see partyRequestIdsSql), which "pending" leaves
 * out and "expired" adds, so no arm reads a row's deadline and each is read from its index alone.
 */
const STATE_ARMS: Record<StateFilter, { state: RequestState | null; also?: SQL }[]> = {
  all: [{ state: null }],
  pending: [{ state: "pending", also: sql`id NOT IN (SELECT id FROM overdue)` }],
  done: [{ state: "done" }],
  refused: [{ state: "refused" }],
  cancelled: [{ state: "cancelled" }],
  expired: [{ state: "expired" }],
};

/**
 * The ids of the requests `accountId` is party to that pass `filter`, newest first from `bound`
 * (oldest first when reading upwards), at most `limit`, less those of the `opening` table (the
 * awaiting ones the first page opens with; see requestPageSql) when `excludesOpening`. One arm
 * per party column reads that column's index from the position and stops after `limit` rows; the arms' rows, at most four times `limit`, are merged. So a page
 * costs a few pages, whether the account has ten requests or a hundred thousand, and however far
 * into the list it is.
 */
export function partyRequestIdsSql(input: {
  dialect: Dialect;
  accountId: number;
  filter: StateFilter;
  bound: RequestBound | null;
  excludesOpening: boolean;
  limit: number;
  /** On the first page the opening takes part of `limit`: the rest fills what it leaves. */
  sharesLimitWithOpening?: boolean;
  /** For counting: the arms' ids merged as they come, neither ordered nor limited again. */
  isUnordered?: boolean;
  now: Date;
}): SQL {
  const { indexRange } = SPELLING[input.dialect];
  const now = timestamp(input.now);
  const order = orderOf(input.bound);
  const notOpening = input.excludesOpening ? sql`id NOT IN (SELECT id FROM opening)` : null;
  const arms: SQL[] = [];
  for (const column of PARTY_COLUMNS) {
    for (const { state, also } of STATE_ARMS[input.filter]) {
      const range = indexRange({
        column: sql.raw(column),
        accountId: input.accountId,
        state,
        id: sql`id`,
        bound: input.bound,
      });
      const where = [range.where, also ?? null, notOpening].filter(isPresent);
      arms.push(
        sql`SELECT id FROM change_requests WHERE ${sql.join(where, sql` AND `)} ORDER BY ${range.orderBy} LIMIT ${input.limit}`,
      );
    }
  }
  // The pending requests past their deadline, all accounts' together from
  // change_requests_pending_expiry_idx: few, since the sweep records them every minute.
  // MATERIALIZED keeps the party test below out of that read, where PostgreSQL could otherwise
  // combine the party indexes and read the account's every request.
  const overdue =
    input.filter === "pending" || input.filter === "expired"
      ? sql`overdue AS MATERIALIZED (
  SELECT id, requested_by_id, old_contact_id, new_contact_id, service_admin_id FROM change_requests
  WHERE state = 'pending' AND expires_at <= ${now})`
      : null;
  if (input.filter === "expired") {
    const where = [
      sql`${input.accountId} IN (${sql.raw(PARTY_COLUMNS.join(", "))})`,
      input.bound ? sql`id ${comparison(input.bound)} ${input.bound.id}` : null,
      notOpening,
    ].filter(isPresent);
    arms.push(
      sql`SELECT id FROM overdue WHERE ${sql.join(where, sql` AND `)} ORDER BY id ${sql.raw(order)} LIMIT ${input.limit}`,
    );
  }
  // Each arm as a derived table: both engines take an arm's own ORDER BY and LIMIT so.
  const union = sql.join(
    arms.map((arm, i) => sql`SELECT id FROM (${arm}) AS ${sql.raw(`arm${i}`)}`),
    sql` UNION `,
  );
  const limit =
    input.excludesOpening && input.sharesLimitWithOpening
      ? sql`${input.limit} - (SELECT count(*) FROM opening)`
      : sql`${input.limit}`;
  const orderBy = input.isUnordered ? sql`` : sql` ORDER BY id ${sql.raw(order)} LIMIT ${limit}`;
  return sql`${overdue ? sql`WITH ${overdue} ` : sql``}${union}${orderBy}`;
}

/** What a page reads: the ids it opens with (or none), and the rest of its ids. */
export type PageIds = {
  /** The ids the first page opens with (awaitingRequestIdsSql), as the table `opening`; or null. */
  opening: SQL | null;
  /** The page's other ids (partyRequestIdsSql, awaitingRequestIdsSql), read after `opening`. */
  rest: SQL;
};

function openingTable(opening: SQL | null): SQL {
  // MATERIALIZED: read once, though the rest's every arm leaves its ids out.
  return opening ? sql`opening AS MATERIALIZED (${opening}), ` : sql``;
}

/**
 * One page in one statement: the opening requests when `isOpeningShown` (first, newest first),
 * then the rest in `order` of id, each with what `accountId` needs to see of it. There is at most
 * a page of ids, so the details cost a page; they are scalar subqueries by key rather than joins,
 * which spares PostgreSQL planning the order of eight joins on every page. People come as account
 * ids: their names are read once for the whole page (pageAccountsOf in list-requests.ts). Quoted
 * aliases: PostgreSQL folds unquoted names to lower case.
 */
export function requestPageSql(input: {
  dialect: Dialect;
  accountId: number;
  ids: PageIds;
  isOpeningShown: boolean;
  order: Order;
}): SQL {
  const { epochMs, joinedWithSpaces } = SPELLING[input.dialect];
  const opening =
    input.ids.opening && input.isOpeningShown ? sql`SELECT id, 1 AS opening FROM opening UNION ALL ` : sql``;
  return sql`WITH ${openingTable(input.ids.opening)}page AS (
  ${opening}SELECT id, 0 AS opening FROM (${input.ids.rest}) AS rest
)
SELECT r.id, p.opening AS "isOpening", s.id AS "serviceId", s.name AS "serviceName", s.type AS "serviceType",
  s.admin_id AS "serviceAdminId", r.requested_by_id AS "requestedById",
  r.old_contact_id AS "oldContactId", r.new_contact_id AS "newContactId",
  r.changes_admin AS "changesAdmin", r.changes_tech AS "changesTech", r.changes_billing AS "changesBilling",
  ${epochMs(sql`r.created_at`)} AS "createdAt", ${epochMs(sql`r.expires_at`)} AS "expiresAt", r.state,
  (SELECT CASE WHEN mine.decision IS NULL THEN 1 ELSE 0 END FROM confirmations mine
    WHERE mine.request_id = r.id AND mine.account_id = ${input.accountId}) AS "myAnswerPending",
  (SELECT ${joinedWithSpaces(sql`w.account_id`)} FROM confirmations w
    WHERE w.request_id = r.id AND w.decision IS NULL) AS "waitingForIds"
FROM page p
JOIN change_requests r ON r.id = p.id
JOIN services s ON s.id = r.service_id
ORDER BY p.opening DESC, r.id ${sql.raw(input.order)}`;
}

/** Whether the rest goes on beyond a page's edge: `ids.rest` read with a limit of 1 from there. */
export function pageEdgeSql(ids: PageIds): SQL {
  return sql`WITH ${openingTable(ids.opening)}edge AS (
  SELECT 1 AS "goesOn" FROM (${ids.rest}) AS beyond
)
SELECT "goesOn" FROM edge`;
}

/**
 * How long a list is, and how many of its entries lie above a page (newer than `top`, its first
 * row): `listed` and `above` are the list's ids from the top and from `top`, opening included,
 * each arm read with the limit it was given from the index ranges the pages read, so a count
 * costs that many index entries per arm at most, whatever the account holds. `openingBelow`
 * counts the opening's ids older than `top`: shown on the first page, they come before it too.
 */
export function listCountsSql(input: {
  opening: SQL | null;
  listed: SQL;
  above: SQL | null;
  top: number | null;
}): SQL {
  const { opening, listed, above, top } = input;
  const openingBelow =
    opening && top !== null ? sql`(SELECT count(*) FROM opening WHERE id < ${top})` : sql`0`;
  const aboveCount = above ? sql`(SELECT count(*) FROM (${above}) AS above)` : sql`0`;
  return sql`WITH ${openingTable(opening)}counts AS (
  SELECT (SELECT count(*) FROM (${listed}) AS listed) AS "listed", ${aboveCount} AS "above",
    ${openingBelow} AS "openingBelow"
)
SELECT "listed", "above", "openingBelow" FROM counts`;
}
