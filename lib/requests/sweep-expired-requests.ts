import type { Logger } from "pino";
import type { Db } from "@/db/client";
import { kickOutboxSender } from "@/lib/email/outbox-sender";
import { logFor } from "@/lib/log";
import { eraseExpiredEmailChangeCodes } from "@/lib/profile/cancel-email-change";
import { expireOverdueRequests } from "./request-context";

/** Time between two sweeps of `startExpirySweep`. */
export const EXPIRY_SWEEP_INTERVAL_MS = 60_000;

/**
 * The periodic sweep: records every overdue pending request as expired (at its deadline) and
 * queues the notices, and erases the codes of e-mail changes that expired unconfirmed. Pages
 * show the right state before it runs (expiry is checked on read); this makes it durable.
 * Returns the ids of the requests it expired.
 */
export function sweepExpiredRequests(db: Db, now = new Date()): number[] {
  return db.transaction(
    (tx) => {
      const expired = expireOverdueRequests(tx, { now });
      eraseExpiredEmailChangeCodes(tx, now);
      return expired;
    },
    { behavior: "immediate" },
  );
}

/**
 * Sweeps at once and then every `intervalMs`, kicking the outbox sender when notices were
 * queued; logs what it expired and any failure. Returns the function that stops it.
 */
export function startExpirySweep(
  db: Db,
  options: { intervalMs?: number; log?: Logger } = {},
): () => Promise<void> {
  const log = options.log ?? logFor("requests");
  const sweep = () => {
    try {
      const expired = sweepExpiredRequests(db);
      if (expired.length === 0) return;
      log.info(
        { count: expired.length, requestIds: expired },
        `expiry sweep: ${expired.length} request(s) expired`,
      );
      kickOutboxSender();
    } catch (error) {
      log.error({ err: error }, "expiry sweep failed");
    }
  };
  sweep();
  // Unref'd: the sweep never keeps a process alive on its own.
  const timer = setInterval(sweep, options.intervalMs ?? EXPIRY_SWEEP_INTERVAL_MS);
  timer.unref();
  return async () => {
    clearInterval(timer);
  };
}
