import { inArray, type SQL } from "drizzle-orm";
import { type Db, rawRows } from "@/db/client";
import { isRowId } from "@/db/row-id";
import {
  accounts,
  type ContactType,
  type EmailUndeliverableKind,
  REQUEST_STATES,
  type RequestState,
  type ServiceType,
} from "@/db/schema";
import { contactTypesFromFlags } from "@/lib/contact-change";
import { COUNT_CAP, type PageExtent } from "@/lib/page-extent";
import { firstParam, type SearchParamRecord } from "@/lib/search-params";
import type { Person } from "./get-request-detail";
import {
  awaitingRequestIdsSql,
  listCountsSql,
  orderOf,
  type PageIds,
  pageEdgeSql,
  partyRequestIdsSql,
  type RequestBound,
  requestPageSql,
  type StateFilter,
} from "./request-list-sql";

export { COUNT_CAP, type PageExtent };

/**
 * 25 rows a page: a row of My requests carries twice the cells of My contacts' and, awaiting the
 * viewer, an answer's controls; at 50 the page reached about half of the bare page's throughput
 * (README "Performance"), at 25 it keeps to the issue's 70 %.
 */
export const REQUESTS_PAGE_SIZE = 25;

/**
 * The first page opens with the newest requests awaiting the viewer's answer, at most this many,
 * so that page still shows the newest of the rest. Older ones awaiting it keep their place in the
 * list, and the "Awaiting my confirmation" filter lists them all.
 */
export const AWAITING_FIRST_LIMIT = 10;

/** The "Request status" filter: a state, the ones awaiting the user's answer, or all. */
export const REQUEST_FILTERS = ["all", "awaiting_me", ...REQUEST_STATES] as const;
export type RequestFilter = (typeof REQUEST_FILTERS)[number];

/** Where a page starts: just below (older than) or just above (newer than) a request, by id. */
export type RequestCursor = RequestBound;

export type RequestListQuery = { status: RequestFilter; cursor: RequestCursor | null };

export type RequestRow = {
  id: number;
  service: { id: number; name: string; type: ServiceType };
  oldContact: Person;
  newContact: Person;
  requestedBy: Person;
  contactTypes: ContactType[];
  createdAt: Date;
  /** The state as it reads now: a pending request past its expiry is expired. */
  state: RequestState;
  isAwaitingMe: boolean;
  isConfirmer: boolean;
  /** While pending: the confirmers who have not answered yet, by customer ID. */
  waitingFor: Person[];
  /**
   * While pending: those of `waitingFor`, other than the viewer, whose e-mails bounce (or were
   * reported as spam), so their code may not arrive. The viewer's own mark is on their account.
   */
  undeliverableWaiting: Person[];
  canCancel: boolean;
};

export type RequestPage = {
  /** The first `awaitingFirst` rows are the newest awaiting the viewer's answer; then newest first. */
  rows: RequestRow[];
  awaitingFirst: number;
  /** Where the next and previous pages start, or null when there is none. */
  next: RequestCursor | null;
  previous: RequestCursor | null;
  extent: PageExtent;
};

function cursorParam(params: SearchParamRecord, direction: "before" | "after"): RequestCursor | null {
  const text = firstParam(params, direction);
  const id = /^\d{1,10}$/.test(text) ? Number(text) : Number.NaN;
  return isRowId(id) ? { direction, id } : null;
}

/** Reads the URL's search parameters into a query, ignoring values that are not ours. */
export function parseRequestListQuery(params: SearchParamRecord): RequestListQuery {
  const status = firstParam(params, "status");
  return {
    status: (REQUEST_FILTERS as readonly string[]).includes(status) ? (status as RequestFilter) : "all",
    cursor: cursorParam(params, "before") ?? cursorParam(params, "after"),
  };
}

/** The URL parameters of a cursor (`before=123`). */
export function cursorParams(cursor: RequestCursor | null): Record<string, number> {
  return cursor ? { [cursor.direction]: cursor.id } : {};
}

/** A raw boolean: 1/0 on SQLite, true/false on PostgreSQL. */
type RawBoolean = number | boolean;
const isTrue = (value: RawBoolean) => value === true || value === 1;

type RawRow = {
  id: number;
  isOpening: number;
  serviceId: number;
  serviceName: string;
  serviceType: ServiceType;
  serviceAdminId: number;
  requestedById: number;
  oldContactId: number;
  newContactId: number;
  changesAdmin: RawBoolean;
  changesTech: RawBoolean;
  changesBilling: RawBoolean;
  createdAt: number;
  expiresAt: number;
  state: RequestState;
  /** 1 while the viewer's own confirmation is unanswered, 0 once answered, null if it has none. */
  myAnswerPending: number | null;
  /** The account ids of the confirmers who have not answered, separated by spaces. */
  waitingForIds: string | null;
};

type PageAccount = Person & { emailUndeliverable: EmailUndeliverableKind | null };

/**
 * The people a page names, read once for the page's rows by their ids (the primary key): what a
 * page costs, never what the account holds.
 */
async function pageAccountsOf(db: Db, rows: RawRow[]): Promise<Map<number, PageAccount>> {
  const ids = new Set<number>();
  for (const row of rows) {
    ids.add(Number(row.requestedById)).add(Number(row.oldContactId)).add(Number(row.newContactId));
    for (const id of waitingIdsOf(row)) ids.add(id);
  }
  if (ids.size === 0) return new Map();
  const found = await db.read
    .select({
      id: accounts.id,
      customerId: accounts.customerId,
      name: accounts.name,
      emailUndeliverable: accounts.emailUndeliverable,
    })
    .from(accounts)
    .where(inArray(accounts.id, [...ids]));
  return new Map(found.map(({ id, ...account }) => [id, account]));
}

const waitingIdsOf = (row: RawRow): number[] =>
  row.waitingForIds ? row.waitingForIds.split(" ").map(Number) : [];

const byCustomerId = (a: Person, b: Person) => (a.customerId < b.customerId ? -1 : 1);

function toRequestRow(
  row: RawRow,
  input: { accountId: number; now: Date; people: Map<number, PageAccount> },
): RequestRow {
  const { accountId, now, people } = input;
  // Every id comes from a foreign key, so each has its account.
  const person = (id: number): PageAccount => people.get(Number(id)) as PageAccount;
  const named = ({ customerId, name }: PageAccount): Person => ({ customerId, name });
  const isExpired = row.state === "pending" && row.expiresAt <= now.getTime();
  const state: RequestState = isExpired ? "expired" : row.state;
  const waiting =
    state === "pending"
      ? waitingIdsOf(row)
          .map((id) => ({ id, account: person(id) }))
          .sort((a, b) => byCustomerId(a.account, b.account))
      : [];
  return {
    id: row.id,
    service: { id: row.serviceId, name: row.serviceName, type: row.serviceType },
    oldContact: named(person(row.oldContactId)),
    newContact: named(person(row.newContactId)),
    requestedBy: named(person(row.requestedById)),
    contactTypes: contactTypesFromFlags({
      changesAdmin: isTrue(row.changesAdmin),
      changesTech: isTrue(row.changesTech),
      changesBilling: isTrue(row.changesBilling),
    }),
    createdAt: new Date(row.createdAt),
    state,
    isAwaitingMe: state === "pending" && row.myAnswerPending === 1,
    isConfirmer: row.myAnswerPending !== null,
    waitingFor: waiting.map(({ account }) => named(account)),
    // The viewer's own mark is told apart, on their account.
    undeliverableWaiting: waiting
      .filter(({ id, account }) => id !== accountId && account.emailUndeliverable !== null)
      .map(({ account }) => named(account)),
    canCancel: state === "pending" && (row.requestedById === accountId || row.serviceAdminId === accountId),
  };
}

/**
 * The ids of one list from a position, newest first (oldest first reading upwards), at most
 * `limit`, with the ids the first page opens with, which the rest leaves out (and, on the first
 * page, leaves `limit` to).
 */
type ListIds = (bound: RequestBound | null, limit: number) => PageIds;

/**
 * For counting: the ids of the whole list from a position, the opening ones included, each index
 * range read at most `limit` long, in no order.
 */
type CountedIds = (bound: RequestBound | null, limit: number) => SQL;

/**
 * One page of the requests an account is party to — asked for, must confirm, is replaced by, or
 * that concern a service it administers now — newest first. The first page opens with the newest
 * of those awaiting its answer (up to AWAITING_FIRST_LIMIT), which the rest of the list then leaves
 * out. Every page is read from indexes from its position: it costs a page, not the account.
 */
export async function listRequests(
  db: Db,
  accountId: number,
  query: RequestListQuery,
  now = new Date(),
): Promise<RequestPage> {
  const { dialect } = db;
  const awaiting = (bound: RequestBound | null, limit: number) =>
    awaitingRequestIdsSql({ dialect, accountId, bound, limit, now });
  if (query.status === "awaiting_me") {
    const ids: ListIds = (bound, limit) => ({ opening: null, rest: awaiting(bound, limit) });
    return readPage({ db, accountId, now, ids, counted: awaiting, cursor: query.cursor });
  }
  const filter: StateFilter = query.status;
  // Only pending requests await an answer, so only these filters open with them.
  const opening = filter === "all" || filter === "pending" ? awaiting(null, AWAITING_FIRST_LIMIT) : null;
  const ids: ListIds = (bound, limit) => ({
    opening,
    rest: partyRequestIdsSql({
      dialect,
      accountId,
      filter,
      bound,
      excludesOpening: opening !== null,
      limit,
      sharesLimitWithOpening: bound === null,
      now,
    }),
  });
  const counted: CountedIds = (bound, limit) =>
    partyRequestIdsSql({
      dialect,
      accountId,
      filter,
      bound,
      excludesOpening: false,
      limit,
      isUnordered: true,
      now,
    });
  return readPage({ db, accountId, now, ids, counted, cursor: query.cursor });
}

/**
 * A page from `cursor`, keyset-paged by id, in one statement (and one more, of an index entry or
 * two, for the way back or on). The first page is the opening requests and then the newest of the
 * rest; reading upwards (a "Previous page" link) into the start of the list gives that first page.
 */
async function readPage(input: {
  db: Db;
  accountId: number;
  now: Date;
  ids: ListIds;
  counted: CountedIds;
  cursor: RequestCursor | null;
}): Promise<RequestPage> {
  const { db, accountId, now, ids, counted, cursor } = input;
  const read = async (bound: RequestBound | null, limit: number, isOpeningShown: boolean) => {
    const statement = requestPageSql({
      dialect: db.dialect,
      accountId,
      ids: ids(bound, limit),
      isOpeningShown,
      order: orderOf(bound),
    });
    const rows = await rawRows<RawRow>(db.read, statement);
    const shown = { accountId, now, people: await pageAccountsOf(db, rows) };
    return {
      opening: rows.filter((row) => Number(row.isOpening) === 1).map((row) => toRequestRow(row, shown)),
      rest: rows.filter((row) => Number(row.isOpening) !== 1).map((row) => toRequestRow(row, shown)),
    };
  };
  /** Whether the rest goes on beyond `bound`. */
  const goesOn = async (bound: RequestBound) => {
    return (await rawRows<{ goesOn: number }>(db.read, pageEdgeSql(ids(bound, 1)))).length > 0;
  };
  /**
   * The list's length and, for a page whose first row is `top` (null on the first page), the
   * entries before it: the rest's newer ones, and the opening ones (all on the first page).
   */
  const count = async (top: number | null) => {
    const capped = COUNT_CAP + 1;
    const statement = listCountsSql({
      opening: ids(null, 1).opening,
      listed: counted(null, capped),
      above: top === null ? null : counted({ direction: "after", id: top }, capped),
      top,
    });
    const [row] = await rawRows<{ listed: number; above: number; openingBelow: number }>(db.read, statement);
    const [listed, above, openingBelow] = [row?.listed, row?.above, row?.openingBelow].map(Number) as [
      number,
      number,
      number,
    ];
    // An arm that reached its limit may hold more: past the cap, only that is known.
    return {
      before: above + openingBelow,
      isBeforeCounted: above < capped,
      total: listed > COUNT_CAP ? null : listed,
    };
  };

  if (cursor?.direction === "after") {
    const { rest: upwards } = await read(cursor, REQUESTS_PAGE_SIZE + 1, false);
    // Fewer than a page above the cursor: the way back leads to the first page.
    if (upwards.length <= REQUESTS_PAGE_SIZE) return readPage({ ...input, cursor: null });
    const rows = upwards.slice(0, REQUESTS_PAGE_SIZE).reverse();
    const top = (rows[0] as RequestRow).id;
    const last = (rows.at(-1) as RequestRow).id;
    const counted = await count(top);
    return {
      rows,
      awaitingFirst: 0,
      previous: { direction: "after", id: top },
      next: (await goesOn({ direction: "before", id: last })) ? { direction: "before", id: last } : null,
      extent: { first: counted.isBeforeCounted ? counted.before + 1 : null, total: counted.total },
    };
  }

  if (cursor) {
    const { rest: fetched } = await read(cursor, REQUESTS_PAGE_SIZE + 1, false);
    const rows = fetched.slice(0, REQUESTS_PAGE_SIZE);
    const top = rows[0]?.id ?? cursor.id;
    const last = rows.at(-1);
    const counted = await count(top);
    return {
      rows,
      awaitingFirst: 0,
      // Above this page lie newer requests, or at least the first page's opening ones.
      previous: counted.before > 0 ? { direction: "after", id: top } : null,
      next: last && fetched.length > REQUESTS_PAGE_SIZE ? { direction: "before", id: last.id } : null,
      extent: {
        first: rows.length > 0 && counted.isBeforeCounted ? counted.before + 1 : null,
        total: counted.total,
      },
    };
  }

  // The opening and the rest are read a page and one long together.
  const { opening, rest: fetched } = await read(null, REQUESTS_PAGE_SIZE + 1, true);
  const room = REQUESTS_PAGE_SIZE - opening.length;
  const rest = fetched.slice(0, room);
  const last = rest.at(-1);
  const rows = [...opening, ...rest];
  return {
    rows,
    awaitingFirst: opening.length,
    previous: null,
    next: last && fetched.length > room ? { direction: "before", id: last.id } : null,
    extent: { first: rows.length > 0 ? 1 : null, total: (await count(null)).total },
  };
}
