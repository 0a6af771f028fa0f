import { type SQL, sql } from "drizzle-orm";
import { type Db, type Dialect, rawRows } from "@/db/client";
import {
  type ContactType,
  changeRequests,
  REQUEST_STATES,
  type RequestState,
  type ServiceType,
} from "@/db/schema";
import { contactTypesFromFlags } from "@/lib/contact-change";
import { firstParam, pageParam, type SearchParamRecord } from "@/lib/search-params";

export const REQUESTS_PAGE_SIZE = 50;

/** The "Request status" filter: a state, the ones awaiting the user's answer, or all. */
export const REQUEST_FILTERS = ["all", "awaiting_me", ...REQUEST_STATES] as const;
export type RequestFilter = (typeof REQUEST_FILTERS)[number];

export type RequestListQuery = { status: RequestFilter; page: number };

export type RequestRow = {
  id: number;
  service: { id: number; name: string; type: ServiceType };
  oldContact: string;
  newContact: string;
  requestedBy: string;
  contactTypes: ContactType[];
  createdAt: Date;
  /** The state as it reads now: a pending request past its expiry is expired. */
  state: RequestState;
  isAwaitingMe: boolean;
  isConfirmer: boolean;
  /** While pending: the customer IDs of the confirmers who have not answered yet. */
  waitingFor: string[];
  canCancel: boolean;
};

export function parseRequestListQuery(params: SearchParamRecord): RequestListQuery {
  const status = firstParam(params, "status");
  return {
    status: (REQUEST_FILTERS as readonly string[]).includes(status) ? (status as RequestFilter) : "all",
    page: pageParam(params),
  };
}

const STATE_FILTER: Record<RequestFilter, (now: SQL) => SQL> = {
  all: () => sql`1 = 1`,
  awaiting_me: (now) => sql`r.state = 'pending' AND r.expires_at > ${now} AND mine.decision_pending`,
  pending: (now) => sql`r.state = 'pending' AND r.expires_at > ${now}`,
  expired: (now) => sql`(r.state = 'expired' OR (r.state = 'pending' AND r.expires_at <= ${now}))`,
  done: () => sql`r.state = 'done'`,
  refused: () => sql`r.state = 'refused'`,
  cancelled: () => sql`r.state = 'cancelled'`,
};

/** What the two engines spell differently in the listing, side by side. */
const SPELLING: Record<Dialect, { epochMs: (column: SQL) => SQL; joinedWithSpaces: (column: SQL) => SQL }> = {
  // Timestamps are stored as milliseconds already.
  sqlite: { epochMs: (column) => column, joinedWithSpaces: (column) => sql`group_concat(${column}, ' ')` },
  // timestamptz holds milliseconds (precision 3); float8 reaches JavaScript as a number.
  postgres: {
    epochMs: (column) => sql`(extract(epoch from ${column}) * 1000)::float8`,
    joinedWithSpaces: (column) => sql`string_agg(${column}, ' ')`,
  },
};

/** A raw boolean: 1/0 on SQLite, true/false on PostgreSQL. */
type RawBoolean = number | boolean;
const isTrue = (value: RawBoolean) => value === true || value === 1;

type RawRow = {
  id: number;
  serviceId: number;
  serviceName: string;
  serviceType: ServiceType;
  serviceAdminId: number;
  requestedById: number;
  oldContact: string;
  newContact: string;
  requestedBy: string;
  changesAdmin: RawBoolean;
  changesTech: RawBoolean;
  changesBilling: RawBoolean;
  createdAt: number;
  expiresAt: number;
  state: RequestState;
  awaitingMe: RawBoolean;
  isConfirmer: RawBoolean;
  waitingFor: string | null;
};

/**
 * The requests an account is party to — asked for, must confirm, is replaced by, or that concern
 * a service it administers — newest first, those awaiting its answer before the rest.
 */
export async function listRequests(
  db: Db,
  accountId: number,
  query: RequestListQuery,
  now = new Date(),
): Promise<{ rows: RequestRow[]; page: number; hasNext: boolean }> {
  const nowMs = now.getTime();
  // Bound through a timestamp column: milliseconds on SQLite, a timestamptz on PostgreSQL.
  const nowAt = sql`${sql.param(now, changeRequests.expiresAt)}`;
  const { epochMs, joinedWithSpaces } = SPELLING[db.dialect];
  // Aliases are quoted: PostgreSQL folds unquoted names to lower case.
  const statement = sql`WITH party AS (
  SELECT id FROM change_requests WHERE requested_by_id = ${accountId}
  UNION SELECT id FROM change_requests WHERE old_contact_id = ${accountId}
  UNION SELECT id FROM change_requests WHERE new_contact_id = ${accountId}
  UNION SELECT request_id FROM confirmations WHERE account_id = ${accountId}
  UNION SELECT r.id FROM services s JOIN change_requests r ON r.service_id = s.id WHERE s.admin_id = ${accountId}
), mine AS (
  SELECT p.id, c.id IS NOT NULL AS is_confirmer, (c.id IS NOT NULL AND c.decision IS NULL) AS decision_pending
  FROM party p LEFT JOIN confirmations c ON c.request_id = p.id AND c.account_id = ${accountId}
)
SELECT r.id, s.id AS "serviceId", s.name AS "serviceName", s.type AS "serviceType",
  s.admin_id AS "serviceAdminId", r.requested_by_id AS "requestedById", o.customer_id AS "oldContact",
  n.customer_id AS "newContact", q.customer_id AS "requestedBy", r.changes_admin AS "changesAdmin",
  r.changes_tech AS "changesTech", r.changes_billing AS "changesBilling",
  ${epochMs(sql`r.created_at`)} AS "createdAt", ${epochMs(sql`r.expires_at`)} AS "expiresAt", r.state,
  (r.state = 'pending' AND r.expires_at > ${nowAt} AND mine.decision_pending) AS "awaitingMe",
  mine.is_confirmer AS "isConfirmer",
  (SELECT ${joinedWithSpaces(sql`a.customer_id`)} FROM confirmations w JOIN accounts a ON a.id = w.account_id
    WHERE w.request_id = r.id AND w.decision IS NULL) AS "waitingFor"
FROM mine
JOIN change_requests r ON r.id = mine.id
JOIN services s ON s.id = r.service_id
JOIN accounts o ON o.id = r.old_contact_id
JOIN accounts n ON n.id = r.new_contact_id
JOIN accounts q ON q.id = r.requested_by_id
WHERE ${STATE_FILTER[query.status](nowAt)}
ORDER BY "awaitingMe" DESC, r.id DESC
LIMIT ${REQUESTS_PAGE_SIZE + 1} OFFSET ${(query.page - 1) * REQUESTS_PAGE_SIZE}`;
  const rows = await rawRows<RawRow>(db.read, statement);
  return {
    page: query.page,
    hasNext: rows.length > REQUESTS_PAGE_SIZE,
    rows: rows.slice(0, REQUESTS_PAGE_SIZE).map((row) => {
      const isExpired = row.state === "pending" && row.expiresAt <= nowMs;
      const state: RequestState = isExpired ? "expired" : row.state;
      return {
        id: row.id,
        service: { id: row.serviceId, name: row.serviceName, type: row.serviceType },
        oldContact: row.oldContact,
        newContact: row.newContact,
        requestedBy: row.requestedBy,
        contactTypes: contactTypesFromFlags({
          changesAdmin: isTrue(row.changesAdmin),
          changesTech: isTrue(row.changesTech),
          changesBilling: isTrue(row.changesBilling),
        }),
        createdAt: new Date(row.createdAt),
        state,
        isAwaitingMe: isTrue(row.awaitingMe),
        isConfirmer: isTrue(row.isConfirmer),
        waitingFor: state === "pending" && row.waitingFor ? row.waitingFor.split(" ").sort() : [],
        canCancel:
          state === "pending" && (row.requestedById === accountId || row.serviceAdminId === accountId),
      };
    }),
  };
}
