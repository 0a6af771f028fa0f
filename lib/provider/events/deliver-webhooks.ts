import { and, eq, gte, lte, notInArray, or, sql } from "drizzle-orm";
import type { Logger } from "pino";
import { Webhook } from "standardwebhooks";
import { type Db, skipLocked } from "@/db/client";
import { webhookDeliveries, webhookDeliveryAttempts, webhookEndpoints, webhookEvents } from "@/db/schema";
import { logFor } from "@/lib/log";
import {
  type AttemptOutcome,
  type AttemptResponse,
  decideAttemptOutcome,
  WEBHOOK_MAX_ATTEMPTS,
} from "./webhook-retry-policy";
import { openWebhookSecret } from "./webhook-secret";

/** How long a claimed delivery stays reserved for the worker that claimed it: well over a POST's timeout. */
export const WEBHOOK_LEASE_MS = 60_000;
/** How long one POST may take, answer included. */
export const WEBHOOK_TIMEOUT_MS = 10_000;
/** Longest error text kept per attempt. */
const MAX_ERROR_LENGTH = 500;

const webhookLog = logFor("webhooks");

/** A delivery this worker holds, with what it needs to send it. */
type Claimed = {
  deliveryId: number;
  /** This attempt's number: the claim counted it. */
  attempt: number;
  endpointId: number;
  url: string;
  secretEncrypted: string;
  messageId: string;
  payload: Record<string, unknown>;
};

function isDue(now: Date) {
  // The status and next_attempt_at terms match the partial index `webhook_deliveries_due_idx`
  // (statuses as literals: SQLite only matches a partial index's WHERE against constants).
  return and(
    sql`${webhookDeliveries.status} IN ('pending', 'sending')`,
    lte(webhookDeliveries.nextAttemptAt, now),
    or(eq(webhookDeliveries.status, "pending"), lte(webhookDeliveries.lockedUntil, now)),
  );
}

/**
 * Claims the next due delivery to an endpoint this run does not skip (one it is sending to, or
 * one that failed in it). The UPDATE
 * repeats the due condition, so of two workers (two instances) only one wins a delivery while
 * its lease holds; on PostgreSQL the row is picked `FOR UPDATE SKIP LOCKED`, so they take
 * different ones instead of queueing.
 */
async function claimNextDue(
  db: Db,
  { now, skippedEndpointIds }: { now: Date; skippedEndpointIds: number[] },
): Promise<Claimed | "none" | "skipped"> {
  return db.transaction(async (tx): Promise<Claimed | "none" | "skipped"> => {
    // A worker that died during its last allowed attempt leaves a delivery no claim may take.
    await tx
      .update(webhookDeliveries)
      .set({
        status: "failed",
        lockedUntil: null,
        lastError: `gave up after ${WEBHOOK_MAX_ATTEMPTS} attempts`,
      })
      .where(
        and(
          eq(webhookDeliveries.status, "sending"),
          lte(webhookDeliveries.lockedUntil, now),
          gte(webhookDeliveries.attempts, WEBHOOK_MAX_ATTEMPTS),
        ),
      );
    const [next] = await skipLocked(
      tx
        .select({ id: webhookDeliveries.id })
        .from(webhookDeliveries)
        .where(
          and(
            isDue(now),
            skippedEndpointIds.length
              ? notInArray(webhookDeliveries.endpointId, skippedEndpointIds)
              : undefined,
          ),
        )
        .orderBy(webhookDeliveries.nextAttemptAt, webhookDeliveries.id)
        .limit(1),
    );
    if (!next) return "none";
    const [claimed] = await tx
      .update(webhookDeliveries)
      .set({
        status: "sending",
        lockedUntil: new Date(now.getTime() + WEBHOOK_LEASE_MS),
        attempts: sql`${webhookDeliveries.attempts} + 1`,
      })
      .where(and(eq(webhookDeliveries.id, next.id), isDue(now)))
      .returning();
    if (!claimed) return "none";
    const [endpoint] = await tx
      .select({
        url: webhookEndpoints.url,
        secretEncrypted: webhookEndpoints.secretEncrypted,
        disabledAt: webhookEndpoints.disabledAt,
      })
      .from(webhookEndpoints)
      .where(eq(webhookEndpoints.id, claimed.endpointId));
    // A delivery written while its endpoint was being disabled (two transactions at once on
    // PostgreSQL) escaped the disabling's update: it ends here instead.
    if (endpoint?.disabledAt) {
      await tx
        .update(webhookDeliveries)
        .set({ status: "failed", lockedUntil: null, lastError: "the endpoint was disabled" })
        .where(eq(webhookDeliveries.id, claimed.id));
      return "skipped";
    }
    const [event] = await tx
      .select({ messageId: webhookEvents.messageId, payload: webhookEvents.payload })
      .from(webhookEvents)
      .where(eq(webhookEvents.id, claimed.eventId));
    if (!endpoint || !event) throw new Error(`delivery ${claimed.id} lost its endpoint or event`);
    return {
      deliveryId: claimed.id,
      attempt: claimed.attempts,
      endpointId: claimed.endpointId,
      url: endpoint.url,
      secretEncrypted: endpoint.secretEncrypted,
      ...event,
    };
  });
}

/**
 * POSTs the event with Standard Webhooks headers. The signature's timestamp is the wall clock's,
 * never a test's clock: receivers check it against theirs to refuse replays.
 */
async function post(claimed: Claimed, timeoutMs: number): Promise<AttemptResponse> {
  let secret: string;
  try {
    secret = openWebhookSecret(claimed.secretEncrypted, claimed.endpointId);
  } catch {
    return {
      error: "the endpoint's secret cannot be opened: was AUTH_SECRET changed since it was registered?",
    };
  }
  const body = JSON.stringify(claimed.payload);
  const signedAt = new Date();
  try {
    const response = await fetch(claimed.url, {
      method: "POST",
      body,
      headers: {
        "content-type": "application/json",
        "user-agent": "service-contacts-webhooks/1",
        "webhook-id": claimed.messageId,
        "webhook-timestamp": String(Math.floor(signedAt.getTime() / 1000)),
        "webhook-signature": new Webhook(secret).sign(claimed.messageId, signedAt, body),
      },
      // The registered URL is the one trusted with the events; a redirect elsewhere is a failure.
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
    // Only the status matters; the body is dropped so the connection is freed.
    await response.body?.cancel().catch(() => {});
    return { statusCode: response.status };
  } catch (error) {
    const isTimeout =
      error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const detail = isTimeout
      ? `no answer within ${timeoutMs} ms`
      : (cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error)));
    return { error: `request failed: ${detail}`.slice(0, MAX_ERROR_LENGTH) };
  }
}

type Recorded = AttemptOutcome["kind"] | "lost";

/**
 * Logs the attempt and stores its outcome, only while this worker still holds the claim (the
 * claim counted the attempt, so (id, status, attempts) names it). "lost": the lease expired and
 * another worker took the delivery, or the endpoint was disabled; the attempt is logged all the same.
 */
async function record(
  db: Db,
  claimed: Claimed,
  input: { response: AttemptResponse; outcome: AttemptOutcome; at: Date; durationMs: number },
): Promise<Recorded> {
  const { response, outcome, at, durationMs } = input;
  const statusCode = "statusCode" in response ? response.statusCode : null;
  const set =
    outcome.kind === "delivered"
      ? {
          status: "delivered" as const,
          deliveredAt: at,
          lockedUntil: null,
          lastStatusCode: statusCode,
          lastError: null,
        }
      : outcome.kind === "failed"
        ? {
            status: "failed" as const,
            lockedUntil: null,
            lastStatusCode: statusCode,
            lastError: outcome.error,
          }
        : {
            status: "pending" as const,
            lockedUntil: null,
            nextAttemptAt: outcome.nextAttemptAt,
            lastStatusCode: statusCode,
            lastError: outcome.error,
          };
  return db.transaction(async (tx) => {
    await tx.insert(webhookDeliveryAttempts).values({
      deliveryId: claimed.deliveryId,
      at,
      statusCode,
      error: "error" in response ? response.error : outcome.kind === "delivered" ? null : outcome.error,
      durationMs,
    });
    const updated = await tx
      .update(webhookDeliveries)
      .set(set)
      .where(
        and(
          eq(webhookDeliveries.id, claimed.deliveryId),
          eq(webhookDeliveries.status, "sending"),
          eq(webhookDeliveries.attempts, claimed.attempt),
        ),
      )
      .returning({ id: webhookDeliveries.id });
    return updated.length === 1 ? outcome.kind : "lost";
  });
}

/** Counts of one `deliverDueWebhooks` run. */
export type DeliverDueWebhooksResult = {
  claimed: number;
  delivered: number;
  retried: number;
  failed: number;
  /** Deliveries that changed hands while being sent (lease expired, endpoint disabled). */
  lost: number;
  /** True when the run stopped at its limit or on a stop, so due deliveries may remain. */
  hasMore: boolean;
};

export type DeliverDueWebhooksOptions = {
  /** The clock for leases and backoff (tests move it); the wall clock by default. */
  clock?: () => Date;
  /** At most this many deliveries per run (default 100). */
  limit?: number;
  /** POSTs in flight at once (default 4), never two to one endpoint. */
  concurrency?: number;
  timeoutMs?: number;
  /** Jitter's source (tests fix it). */
  random?: () => number;
  /** Once aborted, the run claims nothing more; the POSTs in flight finish and are recorded. */
  signal?: AbortSignal;
  log?: Logger;
};

/**
 * Delivers the events that are due, each delivery on its own atomically claimed row, with at
 * most one POST in flight per endpoint in this run, and none more to an endpoint once one failed
 * in it: a slow or failing endpoint takes one slot and its own backoff, never the others' turn. Each attempt is logged; 2xx delivers, anything
 * else is retried with backoff until given up. At least once: a worker that dies mid-POST
 * leaves the delivery to the next claim once its lease ends (receivers deduplicate by `webhook-id`).
 */
export async function deliverDueWebhooks(
  db: Db,
  options: DeliverDueWebhooksOptions = {},
): Promise<DeliverDueWebhooksResult> {
  const limit = options.limit ?? 100;
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const timeoutMs = options.timeoutMs ?? WEBHOOK_TIMEOUT_MS;
  const clock = options.clock ?? (() => new Date());
  const log = options.log ?? webhookLog;
  const result: DeliverDueWebhooksResult = {
    claimed: 0,
    delivered: 0,
    retried: 0,
    failed: 0,
    lost: 0,
    hasMore: false,
  };
  const inFlight = new Map<number, Promise<void>>();
  // Endpoints that failed in this run: their other deliveries wait for the next run, so an
  // endpoint that is down costs one attempt per run, not one timeout per pending event.
  const failedEndpointIds = new Set<number>();
  const errors: unknown[] = [];
  let isDrained = false;
  // Sends finished so far: a claim that found nothing while one finished may have missed what it freed.
  let finishedSends = 0;

  const send = (claimed: Claimed) => {
    const done = (async () => {
      const started = performance.now();
      const response = await post(claimed, timeoutMs);
      const durationMs = Math.round(performance.now() - started);
      const at = clock();
      const outcome = decideAttemptOutcome({
        response,
        attempt: claimed.attempt,
        now: at,
        random: options.random,
      });
      if (outcome.kind !== "delivered") failedEndpointIds.add(claimed.endpointId);
      const recorded = await record(db, claimed, { response, outcome, at, durationMs });
      result[recorded === "delivered" ? "delivered" : recorded === "retry" ? "retried" : recorded] += 1;
      const about = {
        deliveryId: claimed.deliveryId,
        endpointId: claimed.endpointId,
        messageId: claimed.messageId,
        attempt: claimed.attempt,
        durationMs,
      };
      if (recorded === "delivered") log.debug(about, "event delivered");
      else if (recorded === "lost")
        log.warn(about, "delivery changed hands while being sent; outcome not recorded");
      else if (outcome.kind !== "delivered") {
        const line = { ...about, error: outcome.error };
        if (outcome.kind === "retry")
          log.warn(
            { ...line, nextAttemptAt: outcome.nextAttemptAt },
            "event not delivered; it will be retried",
          );
        else log.error(line, "event not delivered; given up");
      }
    })()
      .catch((error: unknown) => {
        errors.push(error);
      })
      .finally(() => {
        inFlight.delete(claimed.endpointId);
        // The endpoint is free again, and others may have become due.
        finishedSends += 1;
        isDrained = false;
      });
    inFlight.set(claimed.endpointId, done);
  };

  const mayClaim = () =>
    errors.length === 0 &&
    !isDrained &&
    !options.signal?.aborted &&
    result.claimed < limit &&
    inFlight.size < concurrency;

  while (true) {
    while (mayClaim()) {
      const finishedBefore = finishedSends;
      const claimed = await claimNextDue(db, {
        now: clock(),
        skippedEndpointIds: [...inFlight.keys(), ...failedEndpointIds],
      });
      if (claimed === "none") isDrained = finishedSends === finishedBefore;
      else if (claimed !== "skipped") {
        result.claimed += 1;
        send(claimed);
      }
    }
    if (inFlight.size === 0) break;
    await Promise.race(inFlight.values());
  }
  if (errors.length > 0) throw errors[0];
  result.hasMore = result.claimed >= limit || Boolean(options.signal?.aborted);
  return result;
}

export type StartWebhookDelivererOptions = Omit<DeliverDueWebhooksOptions, "signal" | "clock"> & {
  /** Time between runs (default 5 s). */
  intervalMs?: number;
  onError?: (error: unknown) => void;
  /** The timer is unref'd by default so the worker never keeps a process (a test, a build) alive. */
  keepProcessAlive?: boolean;
};

/**
 * Runs `deliverDueWebhooks` at once and every `intervalMs`; runs never overlap. Returns the stop
 * function for lib/background-work.ts: it claims nothing more and waits for the POSTs in flight.
 */
export function startWebhookDeliverer(
  db: Db,
  options: StartWebhookDelivererOptions = {},
): () => Promise<void> {
  const { intervalMs = 5_000, onError, keepProcessAlive, ...runOptions } = options;
  const log = options.log ?? webhookLog;
  const stopping = new AbortController();
  let running: Promise<void> | null = null;

  const run = () => {
    if (running || stopping.signal.aborted) return;
    running = (async () => {
      let result: DeliverDueWebhooksResult;
      do {
        result = await deliverDueWebhooks(db, { ...runOptions, signal: stopping.signal });
        if (result.claimed > 0) log.info({ ...result }, "webhook deliveries run");
      } while (result.hasMore && !stopping.signal.aborted);
    })()
      .catch((error: unknown) =>
        (onError ?? ((e) => log.error({ err: e }, "webhook deliveries run failed")))(error),
      )
      .finally(() => {
        running = null;
      });
  };

  const timer = setInterval(run, intervalMs);
  if (!keepProcessAlive) timer.unref();
  setImmediate(run);
  return async () => {
    stopping.abort();
    clearInterval(timer);
    await running;
  };
}
