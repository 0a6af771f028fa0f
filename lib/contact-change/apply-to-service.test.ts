import { describe, expect, it } from "vitest";
import { applyToService, recheckBeforeApply } from "./apply-to-service";
import { ANNA, BOB, CARL, DAWID, EWA, serviceOf } from "./test-fixtures";

const noOneBehind = new Set<number>();

describe("re-check before applying", () => {
  it("a request whose requester lost the administrator role meanwhile is cancelled", () => {
    // Anna asked to replace Bob as technical contact, then handed the administrator role to Dawid.
    expect(
      recheckBeforeApply({
        service: serviceOf({ adminId: DAWID }),
        request: { requestedById: ANNA, oldContactId: BOB, newContactId: EWA, contactTypes: ["tech"] },
        behindWithPayments: noOneBehind,
      }),
    ).toEqual({ ok: false, reason: "requester_no_longer_allowed" });
    // Nor may she take the technical contact back for herself any more.
    expect(
      recheckBeforeApply({
        service: serviceOf({ adminId: DAWID }),
        request: { requestedById: ANNA, oldContactId: BOB, newContactId: ANNA, contactTypes: ["tech"] },
        behindWithPayments: noOneBehind,
      }),
    ).toEqual({ ok: false, reason: "requester_no_longer_allowed" });
  });

  it("a technical contact replacing themself still may, as long as they hold the role", () => {
    expect(
      recheckBeforeApply({
        service: serviceOf(),
        request: { requestedById: BOB, oldContactId: BOB, newContactId: DAWID, contactTypes: ["tech"] },
        behindWithPayments: noOneBehind,
      }),
    ).toEqual({ ok: true });
  });

  it("a request whose old contact still holds its types may be applied", () => {
    expect(
      recheckBeforeApply({
        service: serviceOf({ billingId: BOB }),
        request: {
          requestedById: ANNA,
          oldContactId: BOB,
          newContactId: DAWID,
          contactTypes: ["tech", "billing"],
        },
        behindWithPayments: noOneBehind,
      }),
    ).toEqual({ ok: true });
  });

  it("a request whose old contact lost one of its types meanwhile is cancelled as old_contact_changed", () => {
    expect(
      recheckBeforeApply({
        service: serviceOf({ billingId: CARL }),
        request: {
          requestedById: ANNA,
          oldContactId: BOB,
          newContactId: DAWID,
          contactTypes: ["tech", "billing"],
        },
        behindWithPayments: noOneBehind,
      }),
    ).toEqual({ ok: false, reason: "old_contact_changed" });
  });

  it("a billing change whose current contact fell behind is cancelled", () => {
    expect(
      recheckBeforeApply({
        service: serviceOf(),
        request: { requestedById: ANNA, oldContactId: CARL, newContactId: DAWID, contactTypes: ["billing"] },
        behindWithPayments: new Set([CARL]),
      }),
    ).toEqual({ ok: false, reason: "billing_payments_overdue" });
  });

  it("a billing change whose new contact fell behind is cancelled with the same reason", () => {
    expect(
      recheckBeforeApply({
        service: serviceOf(),
        request: { requestedById: ANNA, oldContactId: CARL, newContactId: DAWID, contactTypes: ["billing"] },
        behindWithPayments: (id) => id === DAWID,
      }),
    ).toEqual({ ok: false, reason: "billing_payments_overdue" });
  });

  it("payments do not matter when billing is not changed", () => {
    expect(
      recheckBeforeApply({
        service: serviceOf(),
        request: { requestedById: ANNA, oldContactId: BOB, newContactId: DAWID, contactTypes: ["tech"] },
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
