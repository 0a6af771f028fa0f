import type { Logger } from "pino";
import type { Db } from "@/db/client";
import { kickOutboxSender } from "@/lib/email/outbox-sender";
import { logFor } from "@/lib/log";
import { eraseExpiredEmailChangeCodes } from "@/lib/profile/cancel-email-change";
import { BatchEndNotices } from "./batches/batch-end-notices";
import { expireOverdueRequests } from "./end-request";

/** Time between two sweeps of `startExpirySweep`. */
export const EXPIRY_SWEEP_INTERVAL_MS = 60_000;

/**
 * The periodic sweep: records every overdue pending request as expired (at its deadline) and
 * queues the notices, and erases the codes of e-mail changes that expired unconfirmed. Pages
 * show the right state before it runs (expiry is checked on read); this makes it durable.
 * Returns the ids of the requests it expired.
 */
export async function sweepExpiredRequests(db: Db, now = new Date()): Promise<number[]> {
  return db.transaction(async (tx) => {
    // A batch's requests expire together: one notice per person and batch, not one per request.
    const notices = new BatchEndNotices();
    const expired = await expireOverdueRequests(tx, { now, notices });
    await notices.flush(tx, now);
    await eraseExpiredEmailChangeCodes(tx, now);
    return expired;
  });
}

/**
 * Sweeps at once and then every `intervalMs`, kicking the outbox sender when notices were
 * queued; logs what it expired and any failure. Sweeps never overlap: a tick during a sweep is
 * skipped. Returns the function that stops it, which waits for a sweep in progress.
 */
export function startExpirySweep(
  db: Db,
  options: { intervalMs?: number; log?: Logger } = {},
): () => Promise<void> {
  const log = options.log ?? logFor("requests");
  const sweep = async () => {
    try {
      const expired = await sweepExpiredRequests(db);
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
  let running: Promise<void> | null = null;
  const tick = () => {
    running ??= sweep().finally(() => {
      running = null;
    });
  };
  tick();
  // Unref'd: the sweep never keeps a process alive on its own.
  const timer = setInterval(tick, options.intervalMs ?? EXPIRY_SWEEP_INTERVAL_MS);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
