import { and, eq, gte, lte, or, sql } from "drizzle-orm";
import type { Logger } from "pino";
import { type Db, skipLocked } from "@/db/client";
import { type OutboxMessage, outbox } from "@/db/schema";
import { outboxConcurrency } from "@/lib/config";
import { logFor } from "@/lib/log";
import { EmailPropsError } from "./email-templates";
import { providerPausedUntil, recordProviderFailure, recordProviderSuccess } from "./provider-pause";
import { renderEmail } from "./render-email";
import { redactSecrets, scrubSecrets } from "./scrub-secrets";
import { type EmailTransport, emailTransportFromEnv, type SendResult, sendEmail } from "./send-email";

/** How long a claimed row stays reserved for the sender that claimed it. */
export const OUTBOX_LOCK_MS = 60_000;
/** Attempts after which a row is given up as `failed`. */
export const OUTBOX_MAX_ATTEMPTS = 8;
/**
 * Until the provider has taken one e-mail in a run, a further send starts only once those in
 * flight have waited this long: a provider that refuses everything costs one attempt, not one per
 * slot, while one that hangs on a single call does not hold the others for its whole timeout.
 */
export const PROBE_GRACE_MS = 2_000;
const RETRY_BASE_MS = 30_000;
const RETRY_MAX_MS = 60 * 60_000;

const outboxLog = logFor("outbox");

/**
 * Delay before the next attempt after `attempts` tries: 30 s, 1 min, 2 min… capped at 1 h,
 * plus up to 10 % jitter so messages that failed together do not retry together.
 */
export function retryDelayMs(attempts: number, random: () => number = Math.random): number {
  const exponential = RETRY_BASE_MS * 2 ** Math.max(0, attempts - 1);
  return Math.min(RETRY_MAX_MS, Math.round(exponential * (1 + 0.1 * random())));
}

/** Counts of one `sendDueEmails` run. */
export type SendDueEmailsResult = {
  claimed: number;
  sent: number;
  retried: number;
  failed: number;
  /** Rows that changed hands while being sent (their lock expired, or their code was erased): no result recorded. */
  lost: number;
  /** A send of this run was rate-limited (429, quota). */
  isRateLimited: boolean;
  /** The provider asked every sender to wait (after a failure of this run or another sender's), so the run stopped claiming. */
  isPaused: boolean;
  /** Until when the provider is paused, when `isPaused`. */
  pausedUntil: Date | null;
  /** True when the run stopped at its limit, for a pause or on a stop, so due rows may remain. */
  hasMore: boolean;
};

export type SendDueEmailsOptions = {
  /** Fixes the clock (tests). By default each claim reads the time afresh, so locks stay accurate in a long run. */
  now?: Date;
  /** At most this many e-mails per run. */
  limit?: number;
  /** Defaults to the transport the environment asks for (`emailTransportFromEnv`). */
  transport?: EmailTransport;
  /** Sends in flight at once, each on its own claimed row (default `outboxConcurrency()`). */
  concurrency?: number;
  /** See `PROBE_GRACE_MS`. */
  probeGraceMs?: number;
  /** Once aborted, the run claims nothing more; the sends in flight finish and are recorded. */
  signal?: AbortSignal;
  /** Where the run's lines go (default: the app's log, component "outbox"). */
  log?: Logger;
};

type Outcome =
  | { kind: "sent"; providerMessageId: string | null }
  | {
      kind: "retry";
      error: string;
      isRateLimited?: boolean;
      isProviderFailure?: boolean;
      retryAfterMs?: number;
    }
  | { kind: "failed"; error: string };

function isDue(now: Date) {
  // The status and next_attempt_at terms let SQLite use the partial index `outbox_due_idx`
  // (a claimed row was due when claimed, so next_attempt_at <= now holds for it too). The
  // statuses are literals: SQLite only matches a partial index's WHERE against constants.
  return and(
    sql`${outbox.status} IN ('pending', 'sending')`,
    lte(outbox.nextAttemptAt, now),
    or(eq(outbox.status, "pending"), lte(outbox.lockedUntil, now)),
  );
}

type Claim = { kind: "claimed"; row: OutboxMessage } | { kind: "none" } | { kind: "paused"; until: Date };

/**
 * Claims the next due row for this sender. One row per claim so a lock only has to cover one
 * send. The UPDATE repeats the due condition, so of two senders (even in two processes) only one
 * can win a row; on PostgreSQL the row is picked `FOR UPDATE SKIP LOCKED`, so senders in several
 * instances take different rows. While the provider is paused nothing is claimed,
 * so no e-mail spends an attempt on a provider that asked everyone to wait.
 */
async function claimNextDue(db: Db, { provider, now }: { provider: string; now: Date }): Promise<Claim> {
  return db.transaction(async (tx): Promise<Claim> => {
    const pausedUntil = await providerPausedUntil(tx, provider, now);
    if (pausedUntil) return { kind: "paused", until: pausedUntil };
    // A sender that died mid-send on its last allowed attempt leaves a row no claim may take;
    // it will never be sent, so its code has no use either.
    const abandoned = await tx
      .select({ id: outbox.id, props: outbox.props })
      .from(outbox)
      .where(
        and(
          eq(outbox.status, "sending"),
          lte(outbox.lockedUntil, now),
          gte(outbox.attempts, OUTBOX_MAX_ATTEMPTS),
        ),
      );
    for (const row of abandoned) {
      await tx
        .update(outbox)
        .set({
          status: "failed",
          lockedUntil: null,
          lastError: `gave up after ${OUTBOX_MAX_ATTEMPTS} attempts`,
          props: scrubSecrets(row.props),
        })
        .where(eq(outbox.id, row.id));
    }
    const [next] = await skipLocked(
      tx
        .select({ id: outbox.id })
        .from(outbox)
        .where(isDue(now))
        .orderBy(outbox.nextAttemptAt, outbox.id)
        .limit(1),
    );
    if (!next) return { kind: "none" };
    const [row] = await tx
      .update(outbox)
      .set({
        status: "sending",
        lockedUntil: new Date(now.getTime() + OUTBOX_LOCK_MS),
        attempts: sql`${outbox.attempts} + 1`,
      })
      .where(and(eq(outbox.id, next.id), isDue(now)))
      .returning();
    return row ? { kind: "claimed", row } : { kind: "none" };
  });
}

async function deliver(row: OutboxMessage, transport: EmailTransport): Promise<Outcome> {
  let rendered: Awaited<ReturnType<typeof renderEmail>>;
  try {
    rendered = await renderEmail({ template: row.template, props: row.props, language: row.language });
  } catch (error) {
    const message = redactSecrets(error instanceof Error ? error.message : String(error), row.props);
    // Bad props stay bad; anything else (a rendering bug) may be fixed by a deploy before the attempts run out.
    return error instanceof EmailPropsError
      ? { kind: "failed", error: message }
      : { kind: "retry", error: `rendering failed: ${message}` };
  }
  const result: SendResult = await sendEmail(
    {
      to: row.toAddress,
      // The stored subject, not a recomputed one: what the mailbox shows and the same on every retry.
      subject: row.subject,
      html: rendered.html,
      text: rendered.text,
      idempotencyKey: row.idempotencyKey,
    },
    transport,
  );
  if (result.ok) return { kind: "sent", providerMessageId: result.providerMessageId };
  // What the provider answered goes to lastError and the log: never with the code in it.
  const error = redactSecrets(result.error, row.props);
  if (!result.retryable) return { kind: "failed", error };
  const { ok: _ok, retryable: _retryable, ...retry } = result;
  return { kind: "retry", ...retry, error };
}

type Recorded =
  | { counted: "sent" }
  | { counted: "retried"; nextAttemptAt: Date; error: string }
  | { counted: "failed"; error: string }
  | { counted: "lost" };

/**
 * Stores the outcome, only while this sender still holds the claim: `attempts` was
 * incremented by the claim, so (id, status, attempts) identifies it. "lost" when the lock
 * expired and another sender took the row meanwhile, or its code was erased (`eraseCodes`).
 */
async function record(
  db: Db,
  row: OutboxMessage,
  outcome: Outcome,
  options: { now: Date; isDelivering: boolean },
): Promise<Recorded> {
  const { now, isDelivering } = options;
  const stillOurs = and(
    eq(outbox.id, row.id),
    eq(outbox.status, "sending"),
    eq(outbox.attempts, row.attempts),
  );
  // Once the message has left for good (or never will), the secret in its props has no use. The
  // mailbox keeps it until its request ends: there the row is the message.
  const finalProps = isDelivering ? { props: scrubSecrets(row.props) } : {};
  let set: Partial<typeof outbox.$inferInsert>;
  let recorded: Recorded;
  if (outcome.kind === "sent") {
    set = {
      status: "sent",
      sentAt: now,
      providerMessageId: outcome.providerMessageId,
      lockedUntil: null,
      lastError: null,
      ...finalProps,
    };
    recorded = { counted: "sent" };
  } else if (outcome.kind === "failed" || row.attempts >= OUTBOX_MAX_ATTEMPTS) {
    const error =
      outcome.kind === "failed" ? outcome.error : `gave up after ${row.attempts} attempts: ${outcome.error}`;
    set = { status: "failed", lockedUntil: null, lastError: error, ...finalProps };
    recorded = { counted: "failed", error };
  } else {
    const delay = Math.max(retryDelayMs(row.attempts), outcome.retryAfterMs ?? 0);
    const nextAttemptAt = new Date(now.getTime() + delay);
    set = { status: "pending", nextAttemptAt, lockedUntil: null, lastError: outcome.error };
    recorded = { counted: "retried", nextAttemptAt, error: outcome.error };
  }
  const updated = await db.transaction(async (tx) =>
    tx.update(outbox).set(set).where(stillOurs).returning({ id: outbox.id }),
  );
  return updated.length === 1 ? recorded : { counted: "lost" };
}

// When this process saw each provider start failing, to say how long it was down once it recovers.
const failingSince = new Map<string, Date>();

/** Writes the outcome's line, and what it says about the provider to the shared provider state. */
async function report(
  db: Db,
  input: {
    row: OutboxMessage;
    outcome: Outcome;
    recorded: Recorded;
    provider: string;
    startedAt: Date;
    now: Date;
    log: Logger;
  },
): Promise<void> {
  const { row, outcome, recorded, provider, startedAt, now, log } = input;
  const about = { outboxId: row.id, template: row.template, attempt: row.attempts };
  switch (recorded.counted) {
    case "sent":
      log.debug({ ...about, provider }, "e-mail sent");
      break;
    case "retried":
      log.warn(
        { ...about, provider, error: recorded.error, isRetried: true, nextAttemptAt: recorded.nextAttemptAt },
        "e-mail not sent; it will be retried",
      );
      break;
    case "failed":
      log.error({ ...about, provider, error: recorded.error, isRetried: false }, "e-mail not sent; given up");
      break;
    case "lost":
      log.warn(
        {
          ...about,
          provider,
          outcome: outcome.kind,
          ...(outcome.kind === "sent" ? {} : { error: outcome.error }),
        },
        "e-mail's row changed hands while it was being sent (lock expired or code erased); outcome not recorded",
      );
      break;
  }
  if (outcome.kind === "retry" && outcome.isProviderFailure) {
    const pause = await recordProviderFailure(db, {
      provider,
      error: outcome.error,
      retryAfterMs: outcome.retryAfterMs,
      startedAt,
      now,
    });
    if (!failingSince.has(provider) && pause.consecutiveFailures === 1) failingSince.set(provider, now);
    log.warn(
      {
        provider,
        pauseMs: pause.pauseMs,
        pausedUntil: pause.pausedUntil,
        consecutiveFailures: pause.consecutiveFailures,
        retryAfterMs: outcome.retryAfterMs ?? null,
        error: outcome.error,
      },
      `e-mail provider paused for ${Math.ceil((pause.pausedUntil.getTime() - now.getTime()) / 1000)} s`,
    );
  } else if (outcome.kind === "sent") {
    const recovery = await recordProviderSuccess(db, { provider, startedAt, now });
    if (!recovery) return;
    const since = failingSince.get(provider);
    failingSince.delete(provider);
    log.info(
      {
        provider,
        failedAttempts: recovery.failedAttempts,
        ...(since ? { downForMs: now.getTime() - since.getTime() } : {}),
        lastFailureAt: recovery.lastFailureAt,
        lastError: recovery.lastError,
      },
      `e-mail provider answering again after ${recovery.failedAttempts} failed attempt(s)`,
    );
  }
}

/**
 * Sends the e-mails that are due, up to `concurrency` at once: each send on its own atomically
 * claimed row (so concurrent senders never send one row twice and one hanging call does not
 * hold the queue), rendered and sent with the row's idempotency key (so a retry after a lost
 * answer is not delivered twice), then recorded as sent, retry with backoff, or failed. A 429,
 * 5xx or timeout pauses the provider for every sender (`recordProviderFailure`); the run then
 * claims nothing more. Never throws for a single e-mail.
 */
export async function sendDueEmails(
  db: Db,
  options: SendDueEmailsOptions = {},
): Promise<SendDueEmailsResult> {
  const limit = options.limit ?? 50;
  const concurrency = Math.max(1, options.concurrency ?? outboxConcurrency());
  const probeGraceMs = options.probeGraceMs ?? PROBE_GRACE_MS;
  const transport = options.transport ?? emailTransportFromEnv();
  const log = options.log ?? outboxLog;
  const clock = () => options.now ?? new Date();
  const result: SendDueEmailsResult = {
    claimed: 0,
    sent: 0,
    retried: 0,
    failed: 0,
    lost: 0,
    isRateLimited: false,
    isPaused: false,
    pausedUntil: null,
    hasMore: false,
  };
  // Sends in flight, by row id, with when they left (real time, for the probe grace).
  const inFlight = new Map<number, { leftAtMs: number; done: Promise<void> }>();
  let hasProviderTakenOne = false;
  let isDrained = false;
  // Database errors of sends in flight: the run stops claiming, lets the others finish, then throws.
  const errors: unknown[] = [];

  const send = (row: OutboxMessage) => {
    const startedAt = clock();
    const done = (async () => {
      const outcome = await deliver(row, transport);
      const now = clock();
      const recorded = await record(db, row, outcome, { now, isDelivering: transport.isDelivering });
      result[recorded.counted] += 1;
      if (outcome.kind === "sent") hasProviderTakenOne = true;
      if (outcome.kind === "retry" && outcome.isRateLimited) result.isRateLimited = true;
      await report(db, { row, outcome, recorded, provider: transport.name, startedAt, now, log });
    })()
      .catch((error: unknown) => {
        errors.push(error);
      })
      .finally(() => {
        inFlight.delete(row.id);
        // A row may have become due meanwhile (a retry, another transaction's e-mail).
        isDrained = false;
      });
    inFlight.set(row.id, { leftAtMs: Date.now(), done });
  };

  const youngestWaitMs = () => Math.min(...[...inFlight.values()].map((s) => Date.now() - s.leftAtMs));
  const mayClaim = () =>
    errors.length === 0 &&
    !result.isPaused &&
    !isDrained &&
    !options.signal?.aborted &&
    result.claimed < limit &&
    inFlight.size < concurrency;

  while (true) {
    while (mayClaim() && (inFlight.size === 0 || hasProviderTakenOne || youngestWaitMs() >= probeGraceMs)) {
      const claim = await claimNextDue(db, { provider: transport.name, now: clock() });
      if (claim.kind === "paused") {
        result.isPaused = true;
        result.pausedUntil = claim.until;
      } else if (claim.kind === "none") {
        isDrained = true;
      } else {
        result.claimed += 1;
        send(claim.row);
      }
    }
    if (inFlight.size === 0) break;
    let graceTimer: NodeJS.Timeout | undefined;
    const events: Promise<void>[] = [...inFlight.values()].map((s) => s.done);
    if (mayClaim() && !hasProviderTakenOne) {
      const wait = Math.max(0, probeGraceMs - youngestWaitMs());
      events.push(new Promise((resolve) => (graceTimer = setTimeout(resolve, wait))));
    }
    await Promise.race(events);
    clearTimeout(graceTimer);
  }
  if (errors.length > 0) throw errors[0];
  result.hasMore = result.isPaused || result.claimed >= limit || Boolean(options.signal?.aborted);
  return result;
}

/** Stops a sender started by `startOutboxSender`: it claims nothing more and waits for its sends in flight. */
export type StopOutboxSender = ((options?: { timeoutMs?: number }) => Promise<void>) & {
  /** Runs the sender now (or right after its current run), e.g. once a request's e-mails are committed. */
  kick: () => void;
};

export type StartOutboxSenderOptions = {
  /** Time between runs; a kick does not wait for it. */
  intervalMs?: number;
  limit?: number;
  /** Sends in flight at once (default `outboxConcurrency()`). */
  concurrency?: number;
  /** Defaults to the environment's transport, read at each run. */
  transport?: EmailTransport;
  /** Called with each run's counts when it did something. */
  onRun?: (result: SendDueEmailsResult) => void;
  onError?: (error: unknown) => void;
  /** The timer is unref'd by default so the sender never keeps a process (a test, a build) alive. */
  keepProcessAlive?: boolean;
  log?: Logger;
};

/** How long `stop()` waits for the sends in flight by default: longer than a send's 20 s timeout. */
export const OUTBOX_STOP_TIMEOUT_MS = 25_000;

const globalForSenders = globalThis as unknown as { serviceContactsOutboxSenders?: Set<() => void> };

/** Kicks every sender started in this process; false when none runs. Call after committing e-mails. */
export function kickOutboxSender(): boolean {
  // globalThis, not a module variable: Next bundles instrumentation and server actions separately.
  const senders = globalForSenders.serviceContactsOutboxSenders;
  if (!senders || senders.size === 0) return false;
  for (const kick of senders) kick();
  return true;
}

/**
 * Runs `sendDueEmails` every `intervalMs` (default 5 s) and at once. Runs never overlap:
 * a tick or kick during a run asks for one more run right after it. Returns the stop function,
 * which also carries `kick`.
 */
export function startOutboxSender(db: Db, options: StartOutboxSenderOptions = {}): StopOutboxSender {
  const intervalMs = options.intervalMs ?? 5_000;
  const concurrency = options.concurrency ?? outboxConcurrency();
  const log = options.log ?? outboxLog;
  const onError = options.onError ?? ((error: unknown) => log.error({ err: error }, "outbox run failed"));
  const stopping = new AbortController();
  let running: Promise<void> | null = null;
  let isRequested = false;

  const loop = async () => {
    do {
      isRequested = false;
      try {
        const result = await sendDueEmails(db, {
          limit: options.limit,
          concurrency,
          transport: options.transport,
          signal: stopping.signal,
          log,
        });
        if (result.claimed > 0) options.onRun?.(result);
        // More may be due after a full batch; a paused provider is left to the timer.
        if (result.hasMore && !result.isPaused) isRequested = true;
      } catch (error) {
        onError(error);
      }
    } while (isRequested && !stopping.signal.aborted);
  };

  const run = () => {
    if (stopping.signal.aborted) return;
    if (running) {
      isRequested = true;
      return;
    }
    running = loop().finally(() => {
      running = null;
    });
  };

  // Deferred so a caller kicking right after its commit returns before any sending starts.
  const kick = () => {
    setImmediate(run);
  };

  const timer = setInterval(run, intervalMs);
  if (!options.keepProcessAlive) timer.unref();
  globalForSenders.serviceContactsOutboxSenders ??= new Set();
  globalForSenders.serviceContactsOutboxSenders.add(kick);
  log.info(
    { transport: (options.transport ?? emailTransportFromEnv()).name, concurrency, intervalMs },
    "outbox sender started",
  );
  kick();

  const stop = async ({ timeoutMs = OUTBOX_STOP_TIMEOUT_MS }: { timeoutMs?: number } = {}) => {
    const isFirstStop = !stopping.signal.aborted;
    stopping.abort();
    clearInterval(timer);
    globalForSenders.serviceContactsOutboxSenders?.delete(kick);
    let timeout: NodeJS.Timeout | undefined;
    const isFinished = await Promise.race([
      (running ?? Promise.resolve()).then(() => true),
      new Promise<boolean>((resolve) => {
        timeout = setTimeout(() => resolve(false), timeoutMs);
      }),
    ]);
    clearTimeout(timeout);
    if (!isFirstStop) return;
    if (isFinished) log.info("outbox sender stopped");
    // Rows still 'sending' are taken over by the next sender once their lock expires.
    else log.warn({ timeoutMs }, "outbox sender stopped with sends still in flight");
  };
  return Object.assign(stop, { kick });
}
