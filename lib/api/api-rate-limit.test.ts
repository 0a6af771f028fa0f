import { describe, expect, it } from "vitest";
import { createRateLimiter } from "./api-rate-limit";

describe("the API's rate limit", () => {
  it("lets a burst through, then one call per refill, and says when the next one may come", () => {
    const limiter = createRateLimiter({ perSecond: 2, burst: 3 });
    const t0 = 1_000_000;
    expect([1, 2, 3].map(() => limiter.take("a", t0).ok)).toEqual([true, true, true]);
    expect(limiter.take("a", t0)).toEqual({ ok: false, retryAfterSeconds: 1 });
    // Half a second refills one call at 2 a second.
    expect(limiter.take("a", t0 + 500)).toEqual({ ok: true });
    expect(limiter.take("a", t0 + 500).ok).toBe(false);
    // A long pause refills up to the burst, not beyond.
    expect([1, 2, 3, 4].map(() => limiter.take("a", t0 + 60_000).ok)).toEqual([true, true, true, false]);
  });

  it("counts each key apart: one script's burst does not slow another account's", () => {
    const limiter = createRateLimiter({ perSecond: 1, burst: 1 });
    expect(limiter.take("a", 0).ok).toBe(true);
    expect(limiter.take("a", 0).ok).toBe(false);
    expect(limiter.take("b", 0).ok).toBe(true);
  });

  it("refused calls do not earn credit: a caller retrying in a loop waits as long as one that stops", () => {
    const limiter = createRateLimiter({ perSecond: 1, burst: 1 });
    expect(limiter.take("a", 0).ok).toBe(true);
    for (let t = 0; t < 1000; t += 100) expect(limiter.take("a", t).ok).toBe(false);
    expect(limiter.take("a", 1000).ok).toBe(true);
  });

  it("1,000 calls at the default limit take about 38 s: within the minute a bulk change may take", () => {
    const limiter = createRateLimiter({ perSecond: 25, burst: 50 });
    let now = 0;
    let made = 0;
    while (made < 1000) {
      const taken = limiter.take("bulk", now);
      if (taken.ok) made++;
      else now += 10;
    }
    expect(now / 1000).toBeGreaterThan(37);
    expect(now / 1000).toBeLessThan(39);
  });
});
