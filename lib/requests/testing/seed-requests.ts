/**
 * Thousands of requests in a few statements, for the benchmark (scripts/seed-large.ts) and the
 * query plan tests of My requests: one per service an account administers, in every state, some
 * awaiting the account's answer. Written with INSERT … SELECT over a number series, so 10,000
 * requests take well under a second on either engine.
 */
import { type SQL, sql } from "drizzle-orm";
import { type Db, type Dialect, rawRows, type Tx } from "@/db/client";

/** The numbers 0 … count - 1 as the rows of a common table expression `series(i)`, on each engine. */
function seriesTable(dialect: Dialect, count: number): SQL {
  // better-sqlite3's SQLite has no generate_series: it counts recursively.
  return dialect === "postgres"
    ? sql`series(i) AS (SELECT i FROM generate_series(0, ${count - 1}::int) AS g(i))`
    : sql`series(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM series WHERE i + 1 < ${count})`;
}

/**
 * `count` services named `{prefix}-{i}.example.pl`, administered by `adminId` and with
 * `otherIds[i % length]` as the technical and billing contacts.
 */
export async function seedServices(
  db: Db,
  {
    prefix,
    count,
    adminId,
    otherIds,
  }: { prefix: string; count: number; adminId: number; otherIds: readonly number[] },
): Promise<void> {
  await db.transaction(async (tx) => {
    await rawRows(
      tx,
      sql`WITH RECURSIVE ${seriesTable(db.dialect, count)}, ${othersTable(otherIds)}
INSERT INTO services (name, type, admin_id, tech_id, billing_id)
SELECT ${prefix} || '-' || series.i || '.example.pl', 'domain', ${adminId}, o.id, o.id
FROM series JOIN others o ON o.k = series.i % ${otherIds.length}
RETURNING id`,
    );
  });
}

/** `others(k, id)`: the accounts `ids` numbered from 0, as a common table expression. */
function othersTable(ids: readonly number[]): SQL {
  if (ids.length === 0) throw new Error("seeding needs at least one other account");
  // Cast: PostgreSQL takes an untyped parameter in VALUES for text.
  const rows = ids.map((id, k) => sql`(CAST(${k} AS integer), CAST(${id} AS integer))`);
  return sql`others(k, id) AS (VALUES ${sql.join(rows, sql`, `)})`;
}

/** What each `i % 20` of the seeded requests is (see seedRequests). */
const KIND_OF_I = sql`CASE
  WHEN i % 20 = 0 THEN 'awaiting'
  WHEN i % 20 = 2 THEN 'answered'
  WHEN i % 20 IN (1, 3) THEN 'theirs'
  WHEN i % 20 BETWEEN 4 AND 13 THEN 'done'
  WHEN i % 20 IN (14, 15) THEN 'refused'
  WHEN i % 20 IN (16, 17) THEN 'expired'
  ELSE 'cancelled' END`;

/**
 * Gives the services `adminId` administers (those without a request yet, oldest first) one
 * request each, up to `count`, made a minute apart before `now` (the newest a minute before).
 * By `i % 20`, the i-th request is:
 *  0: pending, asked by the administrator, awaiting its answer (and the new contact's);
 *  2: pending, asked by the administrator, who has accepted: awaiting the new contact;
 *  1, 3: pending, the technical contact handing over: the administrator only sees it;
 *  4–13: done; 14, 15: refused; 16, 17: expired; 18, 19: cancelled.
 * The administrator asks the even ones (replacing the technical contact), the technical contact
 * the odd ones (handing over); the new contact is one of `otherIds`, or the administrator taking
 * the contact back where that one is the technical contact already. Returns how many it made.
 */
export async function seedRequests(
  db: Db,
  {
    adminId,
    otherIds,
    count,
    now,
  }: { adminId: number; otherIds: readonly number[]; count: number; now: Date },
): Promise<number> {
  return db.transaction(async (tx) => {
    // RETURNING: rawRows reads rows, and SQLite's driver runs no statement that returns none.
    const made = await rawRows(tx, requestsInsertSql(db.dialect, { adminId, otherIds, count, now }));
    await insertConfirmations(tx, adminId);
    return made.length;
  });
}

function requestsInsertSql(
  dialect: Dialect,
  {
    adminId,
    otherIds,
    count,
    now,
  }: { adminId: number; otherIds: readonly number[]; count: number; now: Date },
): SQL {
  // Timestamps: milliseconds on SQLite, timestamptz on PostgreSQL.
  const minutesBefore = (minutes: SQL) =>
    dialect === "postgres"
      ? sql`(${now.toISOString()}::timestamptz - (${minutes}) * interval '1 minute')`
      : sql`(${now.getTime()} - (${minutes}) * 60000)`;
  const isTrue = dialect === "postgres" ? sql`true` : sql`1`;
  const created = minutesBefore(sql`${count} - i`);
  // An expired one's deadline has passed; it ended then. The others ended as they were made.
  const expires = minutesBefore(sql`${count} - i - CASE kind WHEN 'expired' THEN 0 ELSE 14 * 24 * 60 END`);
  return sql`WITH picked AS (
  SELECT s.id, s.tech_id, row_number() OVER (ORDER BY s.id) - 1 AS i FROM services s
  WHERE s.admin_id = ${adminId} AND NOT EXISTS (SELECT 1 FROM change_requests r WHERE r.service_id = s.id)
  ORDER BY s.id LIMIT ${count}
), ${othersTable(otherIds)}, planned AS (
  SELECT p.id AS service_id, p.tech_id, p.i, ${KIND_OF_I} AS kind,
    CASE WHEN p.i % 2 = 0 THEN ${adminId} ELSE p.tech_id END AS requested_by_id,
    CASE WHEN o.id = p.tech_id THEN ${adminId} ELSE o.id END AS new_contact_id
  FROM picked p JOIN others o ON o.k = (7 * p.i + 3) % ${otherIds.length}
)
INSERT INTO change_requests (service_id, service_admin_id, requested_by_id, old_contact_id, new_contact_id,
  changes_tech, state, created_at, expires_at, ended_at)
SELECT service_id, ${adminId}, requested_by_id, tech_id, new_contact_id, ${isTrue},
  CASE WHEN kind IN ('awaiting', 'answered', 'theirs') THEN 'pending' ELSE kind END,
  ${created}, ${expires},
  CASE WHEN kind IN ('awaiting', 'answered', 'theirs') THEN NULL ELSE ${created} END
FROM planned ORDER BY i
RETURNING id`;
}

/**
 * The confirmations of the requests just made (those of `adminId`'s services without any): the
 * account that asked and the new contact, answered as each request's state says.
 */
async function insertConfirmations(tx: Tx, adminId: number): Promise<void> {
  // The i-th request of a run is told apart by its service's position, as when it was made.
  const fresh = sql`SELECT r.id, r.requested_by_id, r.new_contact_id, r.state, r.created_at, r.ended_at,
    row_number() OVER (ORDER BY r.service_id) - 1 AS i
  FROM change_requests r
  WHERE r.service_admin_id = ${adminId} AND NOT EXISTS (SELECT 1 FROM confirmations c WHERE c.request_id = r.id)`;
  // requester: accepted unless cancelled, or awaiting its answer (i % 20 = 0), or a hand-over not
  // yet answered (i % 20 = 1); the new contact: accepted when done, refused when refused.
  await rawRows(
    tx,
    sql`WITH fresh AS (${fresh})
INSERT INTO confirmations (request_id, account_id, token_hash, token_issued_at, decision, decided_at, is_request_pending)
SELECT id, requested_by_id, 'seeded-' || id || '-' || requested_by_id, created_at,
  CASE WHEN state = 'cancelled' OR (state = 'pending' AND i % 20 IN (0, 1)) THEN NULL ELSE 'accepted' END,
  CASE WHEN state = 'cancelled' OR (state = 'pending' AND i % 20 IN (0, 1)) THEN NULL ELSE created_at END,
  (state = 'pending')
FROM fresh
UNION ALL
SELECT id, new_contact_id, 'seeded-' || id || '-' || new_contact_id, created_at,
  CASE state WHEN 'done' THEN 'accepted' WHEN 'refused' THEN 'refused' END,
  CASE WHEN state IN ('done', 'refused') THEN ended_at END,
  (state = 'pending')
FROM fresh WHERE new_contact_id <> requested_by_id
RETURNING id`,
  );
}
