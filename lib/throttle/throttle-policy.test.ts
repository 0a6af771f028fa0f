import { describe, expect, it } from "vitest";
import {
  backoffDelayMs,
  nextAttemptAt,
  SIGN_IN_PER_ACCOUNT,
  SIGN_IN_PER_ACCOUNT_AND_CLIENT,
  SIGN_IN_PER_CLIENT,
  type ThrottlePolicy,
} from "./throttle-policy";

const POLICY: ThrottlePolicy = { windowMs: 900_000, freeAttempts: 3, baseDelayMs: 1000, maxDelayMs: 10_000 };
const NOW = new Date("2026-11-25T10:00:00.000Z");
const ago = (ms: number) => new Date(NOW.getTime() - ms);

describe("throttle backoff", () => {
  it("attempts within the free allowance wait for nothing", () => {
    expect([0, 1, 2].map((count) => backoffDelayMs(count, POLICY))).toEqual([0, 0, 0]);
  });

  it("each attempt past the allowance doubles the wait, up to the cap", () => {
    expect([3, 4, 5, 6, 7, 50].map((count) => backoffDelayMs(count, POLICY))).toEqual([
      1000, 2000, 4000, 8000, 10_000, 10_000,
    ]);
  });

  it("the wait runs from the latest attempt", () => {
    expect(nextAttemptAt({ count: 4, latest: ago(500) }, POLICY, NOW)).toEqual(
      new Date(NOW.getTime() + 1500),
    );
    expect(nextAttemptAt({ count: 4, latest: ago(2000) }, POLICY, NOW)).toBeNull();
  });

  it("under the allowance the next attempt is heard now", () => {
    expect(nextAttemptAt({ count: 2, latest: NOW }, POLICY, NOW)).toBeNull();
  });

  it("no wait is longer than two minutes, so whoever stops guessing frees the account soon", () => {
    expect(backoffDelayMs(10_000, SIGN_IN_PER_ACCOUNT_AND_CLIENT)).toBe(2 * 60_000);
    expect(backoffDelayMs(10_000, SIGN_IN_PER_ACCOUNT)).toBe(60_000);
    expect(backoffDelayMs(10_000, SIGN_IN_PER_CLIENT)).toBe(60_000);
  });

  it("sign-in allows 5 free failures per account from one address, 20 per account, 30 per address", () => {
    for (const [policy, free] of [
      [SIGN_IN_PER_ACCOUNT_AND_CLIENT, 5],
      [SIGN_IN_PER_ACCOUNT, 20],
      [SIGN_IN_PER_CLIENT, 30],
    ] as const) {
      expect(backoffDelayMs(free - 1, policy)).toBe(0);
      expect(backoffDelayMs(free, policy)).toBeGreaterThan(0);
    }
  });
});
