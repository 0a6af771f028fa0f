import type { Db } from "@/db/client";
import { purgeSeenSignatures } from "@/lib/api/auth/authenticate-api-request";
import { purgeUndecidedConsumerKeys } from "@/lib/api/auth/purge-undecided-consumer-keys";
import { pruneExpiredSessions } from "@/lib/auth/sessions";
import { pruneInboundWebhookMessages } from "@/lib/email/prune-inbound-webhook-messages";
import { logFor } from "@/lib/log";
import { pruneWebhookEvents } from "@/lib/provider/events/prune-webhook-events";
import { pruneThrottleAttempts } from "@/lib/throttle/reserve-attempt";

const HOUSEKEEPING_INTERVAL_MS = 10 * 60_000;

/**
 * Deletes what no rule reads any more: expired sessions, throttle attempts older than a day, and
 * API signatures too old to be replayed (their timestamps are refused anyway), consumer keys
 * nobody decided, a day after their validation deadline, and the provider's events 30 days old
 * whose deliveries are over (a batch per run), and the ids of webhooks received a week ago.
 */
export async function runHousekeeping(
  db: Db,
  now = new Date(),
): Promise<{
  sessions: number;
  throttleAttempts: number;
  apiSignatures: number;
  apiUndecidedKeys: number;
  webhookEvents: number;
  inboundWebhooks: number;
}> {
  return {
    sessions: await pruneExpiredSessions(db, now),
    throttleAttempts: await pruneThrottleAttempts(db, { now }),
    apiSignatures: await purgeSeenSignatures(db, now),
    apiUndecidedKeys: await purgeUndecidedConsumerKeys(db, now),
    webhookEvents: await pruneWebhookEvents(db, now),
    inboundWebhooks: await pruneInboundWebhookMessages(db, now),
  };
}

/**
 * Runs `runHousekeeping` at once and every 10 minutes; safe in every instance at once (plain
 * deletes of rows nothing reads). Returns the stop function for lib/background-work.ts.
 */
export function startHousekeeping(
  db: Db,
  { intervalMs = HOUSEKEEPING_INTERVAL_MS } = {},
): () => Promise<void> {
  const log = logFor("housekeeping");
  const run = async () => {
    try {
      const pruned = await runHousekeeping(db);
      if (Object.values(pruned).some((count) => count > 0))
        log.info(pruned, "pruned expired sessions, old attempts and old API signatures");
    } catch (error) {
      log.error({ err: error }, "housekeeping failed");
    }
  };
  let running = run();
  const timer = setInterval(() => {
    running = run();
  }, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    // A run in progress finishes before the stop returns (and the database may be closed).
    await running;
  };
}
