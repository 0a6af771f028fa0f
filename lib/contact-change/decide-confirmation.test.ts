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

const pending = {
  state: "pending",
  expiresAt: deadline,
  newContactId: DAWID,
  contactTypes: ["tech"],
} as const;
const noOneBehind = new Set<number>();

// Anna asked to name Dawid technical contact; both must confirm. Dawid answers unless a test
// says otherwise; no one is behind with payments.
function decide(overrides: Partial<DecideConfirmationInput>) {
  return decideConfirmation({
    request: pending,
    confirmations: [confirmation(ANNA), confirmation(DAWID)],
    actorId: DAWID,
    tokenMatches: true,
    decision: "accepted",
    behindWithPayments: noOneBehind,
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
    expect(decide({ request: { ...pending, state: "expired" } })).toEqual({
      ok: false,
      reason: "expired",
    });
  });

  it.each(["done", "refused", "cancelled"] as const)(
    "an answer to a %s request is refused with that state",
    (state) => {
      expect(decide({ request: { ...pending, state } })).toEqual({
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

describe("payments, when the new contact of a billing change answers", () => {
  const billing = { ...pending, contactTypes: ["billing"] } as const;
  const dawidBehind = new Set([DAWID]);

  it("a new billing contact behind with payments cannot accept, and is told so", () => {
    expect(decide({ request: billing, behindWithPayments: dawidBehind })).toEqual({
      ok: false,
      reason: "payments_overdue",
    });
  });

  it("a new billing contact behind with payments is refused even as the last confirmer", () => {
    expect(
      decide({
        request: billing,
        behindWithPayments: dawidBehind,
        confirmations: [confirmation(ANNA, { decision: "accepted" }), confirmation(DAWID)],
      }),
    ).toEqual({ ok: false, reason: "payments_overdue" });
  });

  it("a request changing billing with other types still checks the new contact's payments", () => {
    expect(
      decide({
        request: { ...pending, contactTypes: ["tech", "billing"] },
        behindWithPayments: dawidBehind,
      }),
    ).toEqual({ ok: false, reason: "payments_overdue" });
  });

  it("a new billing contact behind with payments can still refuse", () => {
    expect(decide({ request: billing, behindWithPayments: dawidBehind, decision: "refused" })).toEqual({
      ok: true,
      outcome: "refused",
    });
  });

  it("a new billing contact up to date with payments accepts as anyone would", () => {
    expect(decide({ request: billing, behindWithPayments: new Set([ANNA]) })).toEqual({
      ok: true,
      outcome: "waiting",
      waitingForIds: [ANNA],
    });
  });

  it("a wrong code is a wrong code before payments are looked at", () => {
    expect(decide({ request: billing, behindWithPayments: dawidBehind, tokenMatches: false })).toEqual({
      ok: false,
      reason: "wrong_code",
      attemptsLeft: 4,
    });
  });

  it("a locked code stays locked before payments are looked at", () => {
    expect(
      decide({
        request: billing,
        behindWithPayments: dawidBehind,
        confirmations: [confirmation(ANNA), confirmation(DAWID, { failedAttempts: 5 })],
      }),
    ).toEqual({ ok: false, reason: "locked" });
  });

  it("the asker's acceptance never looks at the new contact's payments", () => {
    const lookedUp: number[] = [];
    const lookup = (id: number) => {
      lookedUp.push(id);
      return id === DAWID;
    };
    expect(decide({ request: billing, actorId: ANNA, behindWithPayments: lookup })).toEqual({
      ok: true,
      outcome: "waiting",
      waitingForIds: [DAWID],
    });
    expect(lookedUp).toEqual([]);
  });

  it("a new contact behind with payments may accept a change that leaves billing alone", () => {
    expect(decide({ behindWithPayments: dawidBehind })).toEqual({
      ok: true,
      outcome: "waiting",
      waitingForIds: [ANNA],
    });
  });

  it("an administrator taking billing back is checked like any new billing contact", () => {
    expect(
      decide({
        request: { ...billing, newContactId: ANNA },
        actorId: ANNA,
        confirmations: [confirmation(ANNA)],
        behindWithPayments: new Set([ANNA]),
      }),
    ).toEqual({ ok: false, reason: "payments_overdue" });
  });
});
