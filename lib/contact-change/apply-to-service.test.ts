import { describe, expect, it } from "vitest";
import { applyToService, recheckBeforeApply, requestsInvalidatedBy } from "./apply-to-service";
import { ANNA, BOB, CARL, DAWID, EWA, serviceOf } from "./test-fixtures";

const noOneBehind = new Set<number>();

describe("re-check before applying", () => {
  it("a request whose old contact still holds its types may be applied", () => {
    expect(
      recheckBeforeApply({
        service: serviceOf({ billingId: BOB }),
        request: { oldContactId: BOB, newContactId: DAWID, contactTypes: ["tech", "billing"] },
        behindWithPayments: noOneBehind,
      }),
    ).toEqual({ ok: true });
  });

  it("a request whose old contact lost one of its types meanwhile is cancelled as old_contact_changed", () => {
    expect(
      recheckBeforeApply({
        service: serviceOf({ billingId: CARL }),
        request: { oldContactId: BOB, newContactId: DAWID, contactTypes: ["tech", "billing"] },
        behindWithPayments: noOneBehind,
      }),
    ).toEqual({ ok: false, reason: "old_contact_changed" });
  });

  it("a billing change whose current contact fell behind is cancelled", () => {
    expect(
      recheckBeforeApply({
        service: serviceOf(),
        request: { oldContactId: CARL, newContactId: DAWID, contactTypes: ["billing"] },
        behindWithPayments: new Set([CARL]),
      }),
    ).toEqual({ ok: false, reason: "billing_payments_overdue" });
  });

  it("a billing change whose new contact fell behind is cancelled with the same reason", () => {
    expect(
      recheckBeforeApply({
        service: serviceOf(),
        request: { oldContactId: CARL, newContactId: DAWID, contactTypes: ["billing"] },
        behindWithPayments: (id) => id === DAWID,
      }),
    ).toEqual({ ok: false, reason: "billing_payments_overdue" });
  });

  it("payments do not matter when billing is not changed", () => {
    expect(
      recheckBeforeApply({
        service: serviceOf(),
        request: { oldContactId: BOB, newContactId: DAWID, contactTypes: ["tech"] },
        behindWithPayments: new Set([BOB, DAWID]),
      }),
    ).toEqual({ ok: true });
  });
});

describe("applying", () => {
  it("applying sets the new contact for exactly the request's types", () => {
    const service = serviceOf({ billingId: BOB });
    expect(applyToService(service, { newContactId: DAWID, contactTypes: ["tech", "billing"] })).toEqual({
      adminId: ANNA,
      techId: DAWID,
      billingId: DAWID,
    });
    expect(service).toEqual(serviceOf({ billingId: BOB }));
  });

  it("handing over the admin changes only the admin", () => {
    expect(applyToService(serviceOf(), { newContactId: DAWID, contactTypes: ["admin"] })).toEqual({
      adminId: DAWID,
      techId: BOB,
      billingId: CARL,
    });
  });
});

describe("invalidation of other pending requests", () => {
  it("a pending request whose old contact no longer holds its type is invalidated; the others stay", () => {
    // Bob's tech contact went to Dawid; Carl still handles billing.
    const after = { adminId: ANNA, techId: DAWID, billingId: CARL };
    const techByBob = { id: 1, oldContactId: BOB, contactTypes: ["tech"] as const };
    const billingByCarl = { id: 2, oldContactId: CARL, contactTypes: ["billing"] as const };
    const bothByBob = { id: 3, oldContactId: BOB, contactTypes: ["tech", "billing"] as const };
    expect(requestsInvalidatedBy(after, [techByBob, billingByCarl, bothByBob])).toEqual([
      techByBob,
      bothByBob,
    ]);
  });

  it("nothing is invalidated when every old contact still holds its types", () => {
    expect(
      requestsInvalidatedBy(serviceOf(), [
        { id: 1, oldContactId: ANNA, contactTypes: ["admin"] },
        { id: 2, oldContactId: CARL, contactTypes: ["billing"] },
      ]),
    ).toEqual([]);
  });

  it("a handed-over admin invalidates a pending admin request by the old admin", () => {
    const after = applyToService(serviceOf(), { newContactId: EWA, contactTypes: ["admin"] });
    expect(
      requestsInvalidatedBy(after, [{ id: 9, oldContactId: ANNA, contactTypes: ["admin"] }]).map((r) => r.id),
    ).toEqual([9]);
  });
});
