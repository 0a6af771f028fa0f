import { describe, expect, it } from "vitest";
import type { ConfirmationRecord } from "./decide-confirmation";
import {
  canResend,
  decideResend,
  nextResendAt,
  RESEND_INTERVAL_MS,
  type ResendableRequest,
} from "./decide-resend";
import { ANNA, BOB, CARL, DAWID, EWA } from "./test-fixtures";

const createdAt = new Date("2026-03-05T12:00:00Z");
const later = (ms: number) => new Date(createdAt.getTime() + ms);

// Anna asked to replace Bob (tech) by Dawid; Carl administers the service now.
const request: ResendableRequest = {
  state: "pending",
  expiresAt: later(14 * 86_400_000),
  createdAt,
  lastResentAt: null,
  requestedById: ANNA,
  oldContactId: BOB,
  newContactId: DAWID,
};
const confirmations: ConfirmationRecord[] = [
  { accountId: ANNA, decision: "accepted", failedAttempts: 0 },
  { accountId: DAWID, decision: null, failedAttempts: 5 },
];

function resend(overrides: Partial<Parameters<typeof decideResend>[0]>) {
  return decideResend({
    request,
    confirmations,
    serviceAdminId: CARL,
    actorId: ANNA,
    now: later(RESEND_INTERVAL_MS),
    ...overrides,
  });
}

describe("rate limit", () => {
  it("a resend is allowed a minute after the last send, not a millisecond sooner", () => {
    expect(RESEND_INTERVAL_MS).toBe(60_000);
    expect(canResend(createdAt, later(59_999))).toBe(false);
    expect(canResend(createdAt, later(60_000))).toBe(true);
    expect(nextResendAt(createdAt)).toEqual(later(60_000));
  });
});

describe("resend", () => {
  it("a resend issues new tokens only to confirmers who have not answered", () => {
    expect(resend({})).toEqual({ ok: true, reissueToIds: [DAWID] });
  });

  it.each([
    ["the old contact", BOB],
    ["the new contact", DAWID],
    ["the service's admin", CARL],
  ])("%s may resend", (_name, actorId) => {
    expect(resend({ actorId }).ok).toBe(true);
  });

  it("an outsider may not resend", () => {
    expect(resend({ actorId: EWA })).toEqual({ ok: false, reason: "not_allowed" });
  });

  it("the first resend may follow the request at once", () => {
    expect(resend({ now: later(1) }).ok).toBe(true);
  });

  it("the interval counts from the last resend once there was one", () => {
    const lastResentAt = later(600_000);
    expect(resend({ request: { ...request, lastResentAt }, now: later(630_000) })).toEqual({
      ok: false,
      reason: "too_soon",
      retryAt: later(660_000),
    });
  });

  it("an expired request cannot be resent", () => {
    expect(resend({ now: request.expiresAt })).toEqual({ ok: false, reason: "expired" });
  });

  it("an ended request cannot be resent", () => {
    expect(resend({ request: { ...request, state: "done" } })).toEqual({
      ok: false,
      reason: "not_pending",
      state: "done",
    });
  });
});
