/*
 * When a delivery to the provider's endpoint counts as done, and when it is tried again: the
 * rules, apart from the worker that applies them, so each is unit-tested.
 */

/** Attempts before a delivery is given up as `failed`: with the delays below, about a day. */
export const WEBHOOK_MAX_ATTEMPTS = 30;
const RETRY_BASE_MS = 30_000;
const RETRY_MAX_MS = 60 * 60_000;

/**
 * Delay before the next attempt after `attempts` tries: 30 s, 1 min, 2 min… capped at 1 h, plus
 * up to 10 % jitter so deliveries that failed together (an endpoint down) do not retry together.
 * The 30 attempts span about 23 hours.
 */
export function webhookRetryDelayMs(attempts: number, random: () => number = Math.random): number {
  const delay = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.min(20, Math.max(0, attempts - 1)));
  return delay + Math.round(delay * 0.1 * random());
}

/** What one attempt got back: an HTTP status, or no answer at all. */
export type AttemptResponse = { statusCode: number } | { error: string };

export type AttemptOutcome =
  | { kind: "delivered" }
  | { kind: "retry"; error: string; nextAttemptAt: Date }
  | { kind: "failed"; error: string };

/**
 * Decides what an attempt means: a 2xx delivers; anything else (a redirect too: it is not
 * followed, since the endpoint registered is the one trusted with the events) is tried again
 * after a backoff, until attempt `WEBHOOK_MAX_ATTEMPTS` gives up.
 */
export function decideAttemptOutcome(input: {
  response: AttemptResponse;
  /** This attempt's number, from 1. */
  attempt: number;
  now: Date;
  random?: () => number;
}): AttemptOutcome {
  const { response, attempt, now } = input;
  if ("statusCode" in response && response.statusCode >= 200 && response.statusCode < 300) {
    return { kind: "delivered" };
  }
  const error =
    "error" in response
      ? response.error
      : response.statusCode >= 300 && response.statusCode < 400
        ? `redirect (HTTP ${response.statusCode}) not followed`
        : `HTTP ${response.statusCode}`;
  if (attempt >= WEBHOOK_MAX_ATTEMPTS) {
    return { kind: "failed", error: `gave up after ${attempt} attempts: ${error}` };
  }
  return {
    kind: "retry",
    error,
    nextAttemptAt: new Date(now.getTime() + webhookRetryDelayMs(attempt, input.random)),
  };
}
