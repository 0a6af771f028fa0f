/**
 * How fast one consumer key may call the API, per app instance: a token bucket of
 * `burst` calls refilled at `perSecond`. Per instance on purpose: what it protects is the
 * instance's share of the CPU that the panel's users need, and each instance has its own.
 * 25 calls a second lets a script make 1,000 changes in well under a minute, while leaving the
 * instance most of its capacity for pages.
 */
export type RateLimit = { perSecond: number; burst: number };

export const API_CALLS_PER_KEY: RateLimit = { perSecond: 25, burst: 50 };

/** Unsigned `POST /auth/credential` calls per client address: each stores a pending key. */
export const CREDENTIAL_REQUESTS_PER_CLIENT: RateLimit = { perSecond: 0.2, burst: 20 };

type Bucket = { tokens: number; at: number };

/** Buckets kept at most: past it, full ones (idle callers) are forgotten first. */
const MAX_BUCKETS = 10_000;

export type RateLimiter = {
  /** Takes one call for `key`, or says after how many seconds one will be available. */
  take: (key: string, now?: number) => { ok: true } | { ok: false; retryAfterSeconds: number };
};

export function createRateLimiter(limit: RateLimit): RateLimiter {
  const buckets = new Map<string, Bucket>();
  const refilled = (bucket: Bucket, now: number) =>
    Math.min(limit.burst, bucket.tokens + ((now - bucket.at) / 1000) * limit.perSecond);

  return {
    take(key, now = Date.now()) {
      const bucket = buckets.get(key) ?? { tokens: limit.burst, at: now };
      const tokens = refilled(bucket, now);
      // A refusal leaves the bucket as it was: the refill is computed from its last taken call.
      if (tokens < 1) {
        return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / limit.perSecond)) };
      }
      buckets.delete(key); // re-inserted last: the Map's order is then least recently used first
      buckets.set(key, { tokens: tokens - 1, at: now });
      if (buckets.size > MAX_BUCKETS) {
        for (const [oldKey, old] of buckets) {
          if (buckets.size <= MAX_BUCKETS) break;
          if (refilled(old, now) >= limit.burst || buckets.size > 2 * MAX_BUCKETS) buckets.delete(oldKey);
        }
      }
      return { ok: true };
    },
  };
}
