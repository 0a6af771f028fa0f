/**
 * How a throttle slows repeated failures: the first `freeAttempts` within `windowMs` are heard
 * at once; each one after that must wait a delay that doubles with every further attempt,
 * from `baseDelayMs` up to `maxDelayMs`, counted from the latest attempt. A backoff, not a hard
 * lock: whoever stops guessing frees the key again within `maxDelayMs`, so a stranger cannot
 * keep a customer out for long, while a guesser gets a handful of tries per hour.
 */
export type ThrottlePolicy = {
  windowMs: number;
  freeAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
};

const SECOND = 1000;
const MINUTE = 60 * SECOND;

/**
 * Sign-in, per account and client address: the limit a guesser meets. It slows only the place
 * the guesses come from, so a stranger cannot keep the owner, signing in from elsewhere, out.
 */
export const SIGN_IN_PER_ACCOUNT_AND_CLIENT: ThrottlePolicy = {
  windowMs: 15 * MINUTE,
  freeAttempts: 5,
  baseDelayMs: 5 * SECOND,
  maxDelayMs: 2 * MINUTE,
};

/**
 * Sign-in, per account whatever the address: a looser limit for guessing spread over many
 * addresses. One address alone cannot reach it (the limit above stops it first).
 */
export const SIGN_IN_PER_ACCOUNT: ThrottlePolicy = {
  windowMs: 15 * MINUTE,
  freeAttempts: 20,
  baseDelayMs: 5 * SECOND,
  maxDelayMs: MINUTE,
};

/** Sign-in, per client address: guessing spread over many accounts from one place. */
export const SIGN_IN_PER_CLIENT: ThrottlePolicy = {
  windowMs: 15 * MINUTE,
  freeAttempts: 30,
  baseDelayMs: 5 * SECOND,
  maxDelayMs: MINUTE,
};

/** Wrong validation codes (requests, e-mail changes), per signed-in account and per client address. */
export const CODES_PER_ACCOUNT: ThrottlePolicy = {
  windowMs: 15 * MINUTE,
  freeAttempts: 10,
  baseDelayMs: 5 * SECOND,
  maxDelayMs: 5 * MINUTE,
};

/** Wrong validation codes per client address, whichever accounts it signs in as. */
export const CODES_PER_CLIENT: ThrottlePolicy = {
  windowMs: 15 * MINUTE,
  freeAttempts: 30,
  baseDelayMs: 5 * SECOND,
  maxDelayMs: 5 * MINUTE,
};

/** E-mail changes started (each sends a link to an address the user typed), per account. */
export const EMAIL_CHANGES_PER_ACCOUNT: ThrottlePolicy = {
  windowMs: 60 * MINUTE,
  freeAttempts: 5,
  baseDelayMs: MINUTE,
  maxDelayMs: 15 * MINUTE,
};

/**
 * Unknown or revoked provisioning tokens per client address. A token is 256 random bits, so this
 * guards the instance, not the secret: a client sending bad tokens in a loop is slowed down
 * instead of costing a lookup each time.
 */
export const PROVIDER_TOKENS_PER_CLIENT: ThrottlePolicy = {
  windowMs: 15 * MINUTE,
  freeAttempts: 20,
  baseDelayMs: 5 * SECOND,
  maxDelayMs: 5 * MINUTE,
};

/** The wait after the latest of `count` attempts counted in the window; 0 while some are free. */
export function backoffDelayMs(count: number, policy: ThrottlePolicy): number {
  if (count < policy.freeAttempts) return 0;
  const doublings = Math.min(30, count - policy.freeAttempts);
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** doublings);
}

/**
 * When the next attempt is heard, given the attempts counted in the window (their number and
 * the latest), or null when it is heard now.
 */
export function nextAttemptAt(
  counted: { count: number; latest: Date | null },
  policy: ThrottlePolicy,
  now: Date,
): Date | null {
  const delay = backoffDelayMs(counted.count, policy);
  if (delay === 0 || !counted.latest) return null;
  const at = counted.latest.getTime() + delay;
  return at > now.getTime() ? new Date(at) : null;
}

/** Whole seconds from now until `at`, at least 1: how long a refused attempt is told to wait. */
export function secondsUntil(at: Date, now = new Date()): number {
  return Math.max(1, Math.ceil((at.getTime() - now.getTime()) / 1000));
}
