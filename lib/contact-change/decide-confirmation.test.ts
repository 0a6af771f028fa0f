import { describe, expect, it } from "vitest";
import {
  type ConfirmationRecord,
  type DecideConfirmationInput,
  decideConfirmation,
  MAX_FAILED_ATTEMPTS,
} from "./decide-confirmation";
import { ANNA, DAWID, EWA } from "./test-fixtures";

const now = new Date("2026-03-05T12:00:00Z");
const deadline = new Date("2026-03-15T12:00:00Z");

function confirmation(accountId: number, fields: Partial<ConfirmationRecord> = {}): ConfirmationRecord {
  return { accountId, decision: null, failedAttempts: 0, ...fields };
}

// Anna asked to name Dawid; both must confirm. Dawid answers unless a test says otherwise.
function decide(overrides: Partial<DecideConfirmationInput>) {
  return decideConfirmation({
    request: { state: "pending", expiresAt: deadline },
    confirmations: [confirmation(ANNA), confirmation(DAWID)],
    actorId: DAWID,
    tokenMatches: true,
    decision: "accepted",
    now,
    ...overrides,
  });
}

describe("refusals", () => {
  it("an account that is not a confirmer cannot answer", () => {
    expect(decide({ actorId: EWA })).toEqual({ ok: false, reason: "not_a_confirmer" });
  });

  it("an answer after the deadline finds the request expired", () => {
    expect(decide({ now: deadline })).toEqual({ ok: false, reason: "expired" });
  });

  it("an answer to a request already marked expired finds it expired", () => {
    expect(decide({ request: { state: "expired", expiresAt: deadline } })).toEqual({
      ok: false,
      reason: "expired",
    });
  });

  it.each(["done", "refused", "cancelled"] as const)(
    "an answer to a %s request is refused with that state",
    (state) => {
      expect(decide({ request: { state, expiresAt: deadline } })).toEqual({
        ok: false,
        reason: "not_pending",
        state,
      });
    },
  );

  it("a confirmer cannot answer twice", () => {
    expect(
      decide({
        confirmations: [confirmation(ANNA), confirmation(DAWID, { decision: "accepted" })],
        decision: "refused",
      }),
    ).toEqual({
      ok: false,
      reason: "already_answered",
      decision: "accepted",
    });
  });

  it("after five wrong codes the token is locked, even for the right code", () => {
    expect(MAX_FAILED_ATTEMPTS).toBe(5);
    expect(
      decide({ confirmations: [confirmation(ANNA), confirmation(DAWID, { failedAttempts: 5 })] }),
    ).toEqual({
      ok: false,
      reason: "locked",
    });
  });

  it("four wrong codes still let the right one through", () => {
    expect(
      decide({ confirmations: [confirmation(ANNA), confirmation(DAWID, { failedAttempts: 4 })] }),
    ).toEqual({
      ok: true,
      outcome: "waiting",
      waitingForIds: [ANNA],
    });
  });

  it("a first wrong code leaves four attempts", () => {
    expect(decide({ tokenMatches: false })).toEqual({ ok: false, reason: "wrong_code", attemptsLeft: 4 });
  });

  it("the fifth wrong code leaves none", () => {
    expect(
      decide({
        tokenMatches: false,
        confirmations: [confirmation(ANNA), confirmation(DAWID, { failedAttempts: 4 })],
      }),
    ).toEqual({ ok: false, reason: "wrong_code", attemptsLeft: 0 });
  });

  it("a wrong code on a refusal is still a wrong code", () => {
    expect(decide({ tokenMatches: false, decision: "refused" })).toEqual({
      ok: false,
      reason: "wrong_code",
      attemptsLeft: 4,
    });
  });
});

describe("outcomes", () => {
  it("any refusal ends the request refused", () => {
    expect(decide({ decision: "refused" })).toEqual({ ok: true, outcome: "refused" });
  });

  it("a refusal after another confirmer accepted still ends it refused", () => {
    expect(
      decide({
        decision: "refused",
        confirmations: [confirmation(ANNA, { decision: "accepted" }), confirmation(DAWID)],
      }),
    ).toEqual({ ok: true, outcome: "refused" });
  });

  it("an acceptance while another confirmer has not answered waits for them", () => {
    expect(decide({})).toEqual({ ok: true, outcome: "waiting", waitingForIds: [ANNA] });
  });

  it("the last acceptance applies the change", () => {
    expect(
      decide({ confirmations: [confirmation(ANNA, { decision: "accepted" }), confirmation(DAWID)] }),
    ).toEqual({
      ok: true,
      outcome: "apply",
    });
  });

  it("a lone confirmer (an admin taking back a contact) applies at once", () => {
    expect(decide({ actorId: ANNA, confirmations: [confirmation(ANNA)] })).toEqual({
      ok: true,
      outcome: "apply",
    });
  });

  it("an acceptance just before the deadline still counts", () => {
    expect(decide({ now: new Date(deadline.getTime() - 1), confirmations: [confirmation(DAWID)] })).toEqual({
      ok: true,
      outcome: "apply",
    });
  });
});
