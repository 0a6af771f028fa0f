import type { Db } from "@/db/client";
import { expireOverdueRequests } from "./request-context";

/**
 * The periodic sweep: records every overdue pending request as expired and queues the notices.
 * Pages show the right state before it runs (expiry is checked on read); this makes it durable.
 */
export function sweepExpiredRequests(db: Db, now = new Date()): number[] {
  return db.transaction((tx) => expireOverdueRequests(tx, { now }), { behavior: "immediate" });
}
