import { describe, expect, it } from "vitest";
import { decideAttemptOutcome, WEBHOOK_MAX_ATTEMPTS, webhookRetryDelayMs } from "./webhook-retry-policy";

const NOW = new Date("2026-05-04T08:00:00.000Z");
const MINUTE = 60_000;

describe("retry delays", () => {
  it("double from 30 s and stop growing at an hour", () => {
    const delays = [1, 2, 3, 4, 7, 8, 9, 29].map((attempts) => webhookRetryDelayMs(attempts, () => 0));
    expect(delays).toEqual([
      30_000,
      MINUTE,
      2 * MINUTE,
      4 * MINUTE,
      32 * MINUTE,
      60 * MINUTE,
      60 * MINUTE,
      60 * MINUTE,
    ]);
  });

  it("add at most 10 % of jitter, so deliveries that failed together spread out", () => {
    expect(webhookRetryDelayMs(1, () => 0.999)).toBe(32_997);
    expect(webhookRetryDelayMs(20, () => 1)).toBe(66 * MINUTE);
  });

  it("span about a day over all the attempts before giving up", () => {
    let total = 0;
    for (let attempts = 1; attempts < WEBHOOK_MAX_ATTEMPTS; attempts++)
      total += webhookRetryDelayMs(attempts, () => 0);
    expect(total / 3_600_000).toBeGreaterThan(20);
    expect(total / 3_600_000).toBeLessThan(26);
  });
});

describe("what an attempt means", () => {
  it("any 2xx delivers", () => {
    for (const statusCode of [200, 202, 204, 299]) {
      expect(decideAttemptOutcome({ response: { statusCode }, attempt: 1, now: NOW })).toEqual({
        kind: "delivered",
      });
    }
  });

  it("a redirect is a failure, retried: it is not followed", () => {
    expect(
      decideAttemptOutcome({ response: { statusCode: 301 }, attempt: 1, now: NOW, random: () => 0 }),
    ).toEqual({
      kind: "retry",
      error: "redirect (HTTP 301) not followed",
      nextAttemptAt: new Date(NOW.getTime() + 30_000),
    });
  });

  it("client and server errors and no answer are retried after the backoff", () => {
    for (const statusCode of [400, 410, 429, 500, 503]) {
      expect(
        decideAttemptOutcome({ response: { statusCode }, attempt: 3, now: NOW, random: () => 0 }),
      ).toEqual({
        kind: "retry",
        error: `HTTP ${statusCode}`,
        nextAttemptAt: new Date(NOW.getTime() + 2 * MINUTE),
      });
    }
    expect(
      decideAttemptOutcome({ response: { error: "request failed: ECONNREFUSED" }, attempt: 1, now: NOW }),
    ).toMatchObject({
      kind: "retry",
      error: "request failed: ECONNREFUSED",
    });
  });

  it(`the ${WEBHOOK_MAX_ATTEMPTS}th failed attempt gives up`, () => {
    expect(
      decideAttemptOutcome({ response: { statusCode: 500 }, attempt: WEBHOOK_MAX_ATTEMPTS - 1, now: NOW })
        .kind,
    ).toBe("retry");
    expect(
      decideAttemptOutcome({ response: { statusCode: 500 }, attempt: WEBHOOK_MAX_ATTEMPTS, now: NOW }),
    ).toEqual({
      kind: "failed",
      error: `gave up after ${WEBHOOK_MAX_ATTEMPTS} attempts: HTTP 500`,
    });
  });
});
