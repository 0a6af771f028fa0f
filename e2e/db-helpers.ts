import type Database from "better-sqlite3";

export type Counts = { requests: number; confirmations: number; outbox: number; events: number };

export function counts(db: Database.Database): Counts {
  const one = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
  return {
    requests: one("SELECT count(*) AS n FROM change_requests"),
    confirmations: one("SELECT count(*) AS n FROM confirmations"),
    outbox: one("SELECT count(*) AS n FROM outbox"),
    events: one("SELECT count(*) AS n FROM request_events"),
  };
}

/**
 * The same counts for the given services only (their requests, the requests' confirmations and
 * events, and the e-mails about them): what a test running beside others can compare.
 */
export function countsForServices(db: Database.Database, serviceIds: number[]): Counts {
  const marks = serviceIds.map(() => "?").join(", ");
  const one = (sql: string) => (db.prepare(sql).get(...serviceIds) as { n: number }).n;
  const ofRequests = `SELECT id FROM change_requests WHERE service_id IN (${marks})`;
  return {
    requests: one(`SELECT count(*) AS n FROM change_requests WHERE service_id IN (${marks})`),
    confirmations: one(`SELECT count(*) AS n FROM confirmations WHERE request_id IN (${ofRequests})`),
    outbox: one(
      `SELECT count(*) AS n FROM outbox WHERE json_extract(props, '$.serviceName') IN (SELECT name FROM services WHERE id IN (${marks}))`,
    ),
    events: one(`SELECT count(*) AS n FROM request_events WHERE request_id IN (${ofRequests})`),
  };
}

export function serviceIdOf(db: Database.Database, name: string): number {
  return (db.prepare("SELECT id FROM services WHERE name = ?").get(name) as { id: number }).id;
}

export function newestRequest(db: Database.Database, serviceId: number) {
  return db
    .prepare("SELECT * FROM change_requests WHERE service_id = ? ORDER BY id DESC LIMIT 1")
    .get(serviceId) as
    | { id: number; state: string; changes_tech: number; changes_billing: number }
    | undefined;
}

/** Everything a request's confirmation could change: to check that opening a link changed nothing. */
export function snapshot(db: Database.Database, requestId: number) {
  return {
    request: db.prepare("SELECT * FROM change_requests WHERE id = ?").get(requestId),
    confirmations: db.prepare("SELECT * FROM confirmations WHERE request_id = ? ORDER BY id").all(requestId),
    events: db.prepare("SELECT count(*) FROM request_events WHERE request_id = ?").pluck().get(requestId),
    services: db
      .prepare("SELECT * FROM services WHERE id = (SELECT service_id FROM change_requests WHERE id = ?)")
      .get(requestId),
  };
}
