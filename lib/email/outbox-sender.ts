import { and, eq, gte, lte, or, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { type OutboxMessage, outbox } from "@/db/schema";
import { EmailPropsError } from "./email-templates";
import { renderEmail } from "./render-email";
import { type EmailTransport, emailTransportFromEnv, type SendResult, sendEmail } from "./send-email";

/** How long a claimed row stays reserved for the sender that claimed it. */
export const OUTBOX_LOCK_MS = 60_000;
/** Attempts after which a row is given up as `failed`. */
export const OUTBOX_MAX_ATTEMPTS = 8;
const RETRY_BASE_MS = 30_000;
const RETRY_MAX_MS = 60 * 60_000;

/** Stands in for secrets once a message has left, so the row still reads sensibly. */
export const SCRUBBED = "[sent]";

/**
 * Delay before the next attempt after `attempts` tries: 30 s, 1 min, 2 min… capped at 1 h,
 * plus up to 10 % jitter so messages that failed together do not retry together.
 */
export function retryDelayMs(attempts: number, random: () => number = Math.random): number {
  const exponential = RETRY_BASE_MS * 2 ** Math.max(0, attempts - 1);
  return Math.min(RETRY_MAX_MS, Math.round(exponential * (1 + 0.1 * random())));
}

/**
 * Props without the secret they carried: `code` becomes null and any other string
 * holding it (a tokenized link) becomes "[sent]". Only the token's hash may stay at rest.
 */
export function scrubSecrets(props: Record<string, unknown>): Record<string, unknown> {
  const code = props.code;
  if (typeof code !== "string" || code === "") return props;
  const secrets = [code, encodeURIComponent(code)];
  const scrub = (value: unknown): unknown => {
    if (typeof value === "string") return secrets.some((s) => value.includes(s)) ? SCRUBBED : value;
    if (Array.isArray(value)) return value.map(scrub);
    if (value !== null && typeof value === "object") {
      return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, scrub(inner)]));
    }
    return value;
  };
  return { ...(scrub(props) as Record<string, unknown>), code: null };
}

/** Counts of one `sendDueEmails` run. */
export type SendDueEmailsResult = {
  claimed: number;
  sent: number;
  retried: number;
  failed: number;
  /** Rows whose claim expired and went to another sender before this one could record a result. */
  lost: number;
  /** The provider asked to slow down, so the run stopped early. */
  isRateLimited: boolean;
  /** True when the run stopped at its limit or was rate-limited, so due rows may remain. */
  hasMore: boolean;
};

export type SendDueEmailsOptions = {
  /** Fixes the clock (tests). By default each claim reads the time afresh, so locks stay accurate in a long run. */
  now?: Date;
  /** At most this many e-mails per run. */
  limit?: number;
  /** Defaults to the transport the environment asks for (`emailTransportFromEnv`). */
  transport?: EmailTransport;
};

type Outcome =
  | { kind: "sent"; providerMessageId: string | null }
  | { kind: "retry"; error: string; isRateLimited?: boolean; retryAfterMs?: number }
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

/**
 * Claims the next due row for this sender, or returns undefined. One row at a time so a
 * lock only has to cover one send. The UPDATE repeats the due condition and runs in an
 * IMMEDIATE transaction: of two senders (even in two processes) only one can win a row.
 */
function claimNextDue(db: Db, now: Date): OutboxMessage | undefined {
  return db.transaction(
    (tx) => {
      // A sender that died mid-send on its last allowed attempt leaves a row no claim may take.
      tx.update(outbox)
        .set({
          status: "failed",
          lockedUntil: null,
          lastError: `gave up after ${OUTBOX_MAX_ATTEMPTS} attempts`,
        })
        .where(
          and(
            eq(outbox.status, "sending"),
            lte(outbox.lockedUntil, now),
            gte(outbox.attempts, OUTBOX_MAX_ATTEMPTS),
          ),
        )
        .run();
      const next = tx
        .select({ id: outbox.id })
        .from(outbox)
        .where(isDue(now))
        .orderBy(outbox.nextAttemptAt, outbox.id)
        .limit(1)
        .get();
      if (!next) return undefined;
      return tx
        .update(outbox)
        .set({
          status: "sending",
          lockedUntil: new Date(now.getTime() + OUTBOX_LOCK_MS),
          attempts: sql`${outbox.attempts} + 1`,
        })
        .where(and(eq(outbox.id, next.id), isDue(now)))
        .returning()
        .get();
    },
    { behavior: "immediate" },
  );
}

async function deliver(row: OutboxMessage, transport: EmailTransport): Promise<Outcome> {
  let rendered: Awaited<ReturnType<typeof renderEmail>>;
  try {
    rendered = await renderEmail({ template: row.template, props: row.props, language: row.language });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
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
  if (!result.retryable) return { kind: "failed", error: result.error };
  const { ok: _ok, retryable: _retryable, ...retry } = result;
  return { kind: "retry", ...retry };
}

/**
 * Stores the outcome, only while this sender still holds the claim: `attempts` was
 * incremented by the claim, so (id, status, attempts) identifies it. Returns "lost" when
 * the lock expired and another sender took the row meanwhile.
 */
function record(
  db: Db,
  row: OutboxMessage,
  outcome: Outcome,
  options: { now: Date; isDelivering: boolean },
): "sent" | "retried" | "failed" | "lost" {
  const { now, isDelivering } = options;
  const stillOurs = and(
    eq(outbox.id, row.id),
    eq(outbox.status, "sending"),
    eq(outbox.attempts, row.attempts),
  );
  // Once the message has left for good (or never will), the secret in its props has no use.
  const finalProps = isDelivering ? scrubSecrets(row.props) : row.props;
  let set: Partial<typeof outbox.$inferInsert>;
  let counted: "sent" | "retried" | "failed";
  if (outcome.kind === "sent") {
    set = {
      status: "sent",
      sentAt: now,
      providerMessageId: outcome.providerMessageId,
      lockedUntil: null,
      lastError: null,
      props: finalProps,
    };
    counted = "sent";
  } else if (outcome.kind === "failed" || row.attempts >= OUTBOX_MAX_ATTEMPTS) {
    const error =
      outcome.kind === "failed" ? outcome.error : `gave up after ${row.attempts} attempts: ${outcome.error}`;
    set = { status: "failed", lockedUntil: null, lastError: error, props: finalProps };
    counted = "failed";
  } else {
    const delay = Math.max(retryDelayMs(row.attempts), outcome.retryAfterMs ?? 0);
    set = {
      status: "pending",
      nextAttemptAt: new Date(now.getTime() + delay),
      lockedUntil: null,
      lastError: outcome.error,
    };
    counted = "retried";
  }
  const { changes } = db.update(outbox).set(set).where(stillOurs).run();
  return changes === 1 ? counted : "lost";
}

/**
 * Sends the e-mails that are due: claims each row atomically (so concurrent senders never
 * send one row twice), renders it, sends it with the row's idempotency key (so a retry
 * after a lost answer is not delivered twice), and records sent, retry with backoff, or
 * failed. Stops early when the provider rate-limits. Never throws for a single e-mail.
 */
export async function sendDueEmails(
  db: Db,
  options: SendDueEmailsOptions = {},
): Promise<SendDueEmailsResult> {
  const limit = options.limit ?? 50;
  const transport = options.transport ?? emailTransportFromEnv();
  const clock = () => options.now ?? new Date();
  const result: SendDueEmailsResult = {
    claimed: 0,
    sent: 0,
    retried: 0,
    failed: 0,
    lost: 0,
    isRateLimited: false,
    hasMore: false,
  };
  while (result.claimed < limit) {
    const row = claimNextDue(db, clock());
    if (!row) return result;
    result.claimed += 1;
    const outcome = await deliver(row, transport);
    result[record(db, row, outcome, { now: clock(), isDelivering: transport.isDelivering })] += 1;
    if (outcome.kind === "retry" && outcome.isRateLimited) {
      // The rest waits for a later run rather than spending attempts on a provider asking for a pause.
      result.isRateLimited = true;
      result.hasMore = true;
      return result;
    }
  }
  result.hasMore = true;
  return result;
}

/** Stops a sender started by `startOutboxSender`; resolves once its current run has ended. */
export type StopOutboxSender = (() => Promise<void>) & {
  /** Runs the sender now (or right after its current run), e.g. once a request's e-mails are committed. */
  kick: () => void;
};

export type StartOutboxSenderOptions = {
  /** Time between runs; a kick does not wait for it. */
  intervalMs?: number;
  limit?: number;
  /** Defaults to the environment's transport, read at each run. */
  transport?: EmailTransport;
  /** Called with each run's counts when it did something. */
  onRun?: (result: SendDueEmailsResult) => void;
  onError?: (error: unknown) => void;
  /** The timer is unref'd by default so the sender never keeps a process (a test, a build) alive. */
  keepProcessAlive?: boolean;
};

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
  const onError = options.onError ?? ((error: unknown) => console.error("[outbox] run failed:", error));
  let running: Promise<void> | null = null;
  let isRequested = false;
  let isStopped = false;

  const loop = async () => {
    do {
      isRequested = false;
      try {
        const result = await sendDueEmails(db, { limit: options.limit, transport: options.transport });
        if (result.claimed > 0) options.onRun?.(result);
        // A full batch means more may be due; a rate-limited one should wait for the timer.
        if (result.hasMore && !result.isRateLimited) isRequested = true;
      } catch (error) {
        onError(error);
      }
    } while (isRequested && !isStopped);
  };

  const run = () => {
    if (isStopped) return;
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
  kick();

  const stop = async () => {
    isStopped = true;
    clearInterval(timer);
    globalForSenders.serviceContactsOutboxSenders?.delete(kick);
    await running;
  };
  return Object.assign(stop, { kick });
}
