import { eq } from "drizzle-orm";
import { type Db, lockKey, type Reader, type Tx } from "@/db/client";
import { emailProviderState } from "@/db/schema";

/** The pause after a provider's first failure without Retry-After; it doubles with each further one. */
export const PROVIDER_PAUSE_BASE_MS = 5_000;
/** The longest pause a failure without Retry-After earns. */
export const PROVIDER_PAUSE_MAX_MS = 5 * 60_000;
/** A Retry-After beyond this counts as this: a wrong date must not stop e-mail for good. */
const RETRY_AFTER_MAX_MS = 24 * 60 * 60_000;

/** The pause after `consecutiveFailures` failures in a row: 5 s, 10 s, 20 s… up to 5 min. */
export function providerPauseMs(consecutiveFailures: number): number {
  const exponential = PROVIDER_PAUSE_BASE_MS * 2 ** Math.max(0, consecutiveFailures - 1);
  return Math.min(PROVIDER_PAUSE_MAX_MS, exponential);
}

/**
 * Serialises the transactions that read and then write `provider`'s state, in every instance
 * (PostgreSQL; SQLite's write lock already does): a key, not the row, since the first failure
 * finds no row to lock yet.
 */
async function lockProviderState(tx: Tx, provider: string): Promise<void> {
  await lockKey(tx, `email-provider-state|${provider}`);
}

/** Until when `provider` asked every sender to wait, or null when it did not (or that time has passed). */
export async function providerPausedUntil(
  executor: Reader,
  provider: string,
  now: Date,
): Promise<Date | null> {
  const [row] = await executor
    .select({ pausedUntil: emailProviderState.pausedUntil })
    .from(emailProviderState)
    .where(eq(emailProviderState.provider, provider));
  const pausedUntil = row?.pausedUntil ?? null;
  return pausedUntil && pausedUntil.getTime() > now.getTime() ? pausedUntil : null;
}

export type ProviderPause = {
  pausedUntil: Date;
  /** The pause this failure asked for (Retry-After, or the backoff). */
  pauseMs: number;
  consecutiveFailures: number;
  /** False when the send had left before the last recorded failure: one burst of parallel 429s counts once. */
  isNewFailure: boolean;
};

/**
 * Records that `provider` failed a send that left at `startedAt` (a 429, a 5xx, no answer in
 * time): every sender in every process stops claiming rows until the pause has passed. The pause
 * is the provider's Retry-After when it gave one, else 5 s doubling per consecutive failure up to
 * 5 min; a pause already longer is kept.
 */
export async function recordProviderFailure(
  db: Db,
  input: { provider: string; error: string; retryAfterMs?: number; startedAt: Date; now: Date },
): Promise<ProviderPause> {
  const { provider, now } = input;
  return db.transaction(async (tx) => {
    await lockProviderState(tx, provider);
    const [current] = await tx
      .select()
      .from(emailProviderState)
      .where(eq(emailProviderState.provider, provider));
    const isNewFailure =
      !current ||
      current.consecutiveFailures === 0 ||
      input.startedAt.getTime() >= current.updatedAt.getTime();
    const consecutiveFailures = (current?.consecutiveFailures ?? 0) + (isNewFailure ? 1 : 0);
    const pauseMs =
      input.retryAfterMs !== undefined
        ? Math.min(Math.max(0, input.retryAfterMs), RETRY_AFTER_MAX_MS)
        : providerPauseMs(consecutiveFailures);
    const asked = new Date(now.getTime() + pauseMs);
    const earlier = current?.pausedUntil ?? null;
    const pausedUntil = earlier && earlier.getTime() > asked.getTime() ? earlier : asked;
    const state = { pausedUntil, consecutiveFailures, lastError: input.error, updatedAt: now };
    await tx
      .insert(emailProviderState)
      .values({ provider, ...state })
      .onConflictDoUpdate({ target: emailProviderState.provider, set: state });
    return { pausedUntil, pauseMs, consecutiveFailures, isNewFailure };
  });
}

export type ProviderRecovery = {
  /** Failures in a row before this success. */
  failedAttempts: number;
  lastError: string | null;
  lastFailureAt: Date;
};

/**
 * Records that `provider` took a message sent at `startedAt`: clears its pause and failure count.
 * Returns what was cleared, or null when there was nothing to clear — so of several senders
 * succeeding at once only one reports the recovery — or when the send had left before the last
 * failure was recorded (its success says nothing about the provider since then).
 */
export async function recordProviderSuccess(
  db: Db,
  input: { provider: string; startedAt: Date; now: Date },
): Promise<ProviderRecovery | null> {
  const isFailing = (row: typeof emailProviderState.$inferSelect | undefined) =>
    row !== undefined && (row.consecutiveFailures > 0 || row.pausedUntil !== null);
  const byProvider = eq(emailProviderState.provider, input.provider);
  // Read outside a write transaction first: the healthy case, nearly every send, takes no lock.
  const [seen] = await db.read.select().from(emailProviderState).where(byProvider);
  if (!isFailing(seen)) return null;
  return db.transaction(async (tx) => {
    await lockProviderState(tx, input.provider);
    const [current] = await tx.select().from(emailProviderState).where(byProvider);
    if (!current || !isFailing(current)) return null;
    if (input.startedAt.getTime() < current.updatedAt.getTime()) return null;
    await tx
      .update(emailProviderState)
      .set({ pausedUntil: null, consecutiveFailures: 0, lastError: null, updatedAt: input.now })
      .where(byProvider);
    return {
      failedAttempts: current.consecutiveFailures,
      lastError: current.lastError,
      lastFailureAt: current.updatedAt,
    };
  });
}
