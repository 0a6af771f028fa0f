import { describe, expect, it } from "vitest";
import { type PlanContactChangeInput, type ProposedContact, planContactChange } from "./plan-contact-change";
import { ANNA, BOB, CARL, DAWID, EWA, serviceOf } from "./test-fixtures";
import type { ContactType } from "./vocabulary";

/**
 * An account id stands for a field naming that account, not edited (which only matters for the
 * current holder: see "a field edited to name its current holder"); else as given.
 */
type Proposed = Partial<Record<ContactType, number | ProposedContact>>;

const typed = (accountId: number, edited = true): ProposedContact => ({
  accountId,
  customerId: `c${accountId}-ovh`,
  edited,
});

// Anna administers, Bob is technical, Carl handles billing; Dawid and Ewa hold nothing.
function plan({
  proposed = {},
  ...overrides
}: Omit<Partial<PlanContactChangeInput>, "proposed"> & { proposed?: Proposed }) {
  return planContactChange({
    actorId: ANNA,
    service: serviceOf(),
    proposed: Object.fromEntries(
      Object.entries(proposed).map(([type, value]) => [
        type,
        typeof value === "number" ? typed(value, false) : value,
      ]),
    ),
    behindWithPayments: new Set<number>(),
    pendingRequests: [],
    ...overrides,
  });
}

describe("SPEC's table, row by row", () => {
  it("an admin naming a new tech contact is confirmed by the admin and the new contact, and the old one is told", () => {
    expect(plan({ proposed: { tech: DAWID } })).toEqual({
      ok: true,
      requests: [
        {
          serviceId: 10,
          requestedById: ANNA,
          oldContactId: BOB,
          newContactId: DAWID,
          contactTypes: ["tech"],
          kind: "replace",
          confirmerIds: [ANNA, DAWID],
          notifyOnEndIds: [ANNA, DAWID, BOB],
        },
      ],
    });
  });

  it("an admin naming a new billing contact is confirmed by the admin and the new contact, and the old one is told", () => {
    expect(plan({ proposed: { billing: DAWID } })).toEqual({
      ok: true,
      requests: [
        {
          serviceId: 10,
          requestedById: ANNA,
          oldContactId: CARL,
          newContactId: DAWID,
          contactTypes: ["billing"],
          kind: "replace",
          confirmerIds: [ANNA, DAWID],
          notifyOnEndIds: [ANNA, DAWID, CARL],
        },
      ],
    });
  });

  it("an admin taking back the tech contact confirms alone, and the old contact is told", () => {
    expect(plan({ proposed: { tech: ANNA } })).toEqual({
      ok: true,
      requests: [
        {
          serviceId: 10,
          requestedById: ANNA,
          oldContactId: BOB,
          newContactId: ANNA,
          contactTypes: ["tech"],
          kind: "take_back",
          confirmerIds: [ANNA],
          notifyOnEndIds: [ANNA, BOB],
        },
      ],
    });
  });

  it("an admin taking back the billing contact confirms alone, and the old contact is told", () => {
    expect(plan({ proposed: { billing: ANNA } })).toEqual({
      ok: true,
      requests: [
        {
          serviceId: 10,
          requestedById: ANNA,
          oldContactId: CARL,
          newContactId: ANNA,
          contactTypes: ["billing"],
          kind: "take_back",
          confirmerIds: [ANNA],
          notifyOnEndIds: [ANNA, CARL],
        },
      ],
    });
  });

  it("an admin naming a new admin hands over, confirmed and told: the admin and the new admin", () => {
    expect(plan({ proposed: { admin: DAWID } })).toEqual({
      ok: true,
      requests: [
        {
          serviceId: 10,
          requestedById: ANNA,
          oldContactId: ANNA,
          newContactId: DAWID,
          contactTypes: ["admin"],
          kind: "hand_over",
          confirmerIds: [ANNA, DAWID],
          notifyOnEndIds: [ANNA, DAWID],
        },
      ],
    });
  });

  it("a tech contact naming a new tech contact is confirmed and told: the tech and the new one", () => {
    expect(plan({ actorId: BOB, proposed: { tech: DAWID } })).toEqual({
      ok: true,
      requests: [
        {
          serviceId: 10,
          requestedById: BOB,
          oldContactId: BOB,
          newContactId: DAWID,
          contactTypes: ["tech"],
          kind: "hand_over",
          confirmerIds: [BOB, DAWID],
          notifyOnEndIds: [BOB, DAWID],
        },
      ],
    });
  });

  it("a billing contact naming a new billing contact is confirmed and told: the billing contact and the new one", () => {
    expect(plan({ actorId: CARL, proposed: { billing: DAWID } })).toEqual({
      ok: true,
      requests: [
        {
          serviceId: 10,
          requestedById: CARL,
          oldContactId: CARL,
          newContactId: DAWID,
          contactTypes: ["billing"],
          kind: "hand_over",
          confirmerIds: [CARL, DAWID],
          notifyOnEndIds: [CARL, DAWID],
        },
      ],
    });
  });
});

describe("refusals of the whole submission", () => {
  it("an account that is no contact of the service is refused as if the service did not exist", () => {
    expect(plan({ actorId: EWA, proposed: { tech: EWA } })).toEqual({ ok: false, reason: "not_a_contact" });
  });

  it("an outsider is refused even when they propose nothing", () => {
    expect(plan({ actorId: EWA })).toEqual({ ok: false, reason: "not_a_contact" });
  });

  it("naming the current holders changes nothing", () => {
    expect(plan({ proposed: { admin: ANNA, tech: BOB, billing: CARL } })).toEqual({
      ok: false,
      reason: "nothing_to_change",
    });
  });

  it("an empty submission changes nothing", () => {
    expect(plan({ proposed: {} })).toEqual({ ok: false, reason: "nothing_to_change" });
  });

  it("a tech contact repeating the current holder of a field it may not change is nothing to change, not a refusal", () => {
    expect(plan({ actorId: BOB, proposed: { admin: ANNA, billing: CARL } })).toEqual({
      ok: false,
      reason: "nothing_to_change",
    });
  });
});

describe("per-field refusals", () => {
  it("a tech contact cannot replace the billing contact", () => {
    expect(plan({ actorId: BOB, proposed: { billing: DAWID } })).toEqual({
      ok: false,
      reason: "invalid_fields",
      fieldErrors: { billing: { reason: "not_allowed" } },
    });
  });

  it("a tech contact cannot replace the admin", () => {
    expect(plan({ actorId: BOB, proposed: { admin: DAWID } })).toEqual({
      ok: false,
      reason: "invalid_fields",
      fieldErrors: { admin: { reason: "not_allowed" } },
    });
  });

  it("a billing contact cannot replace the tech contact", () => {
    expect(plan({ actorId: CARL, proposed: { tech: DAWID } })).toEqual({
      ok: false,
      reason: "invalid_fields",
      fieldErrors: { tech: { reason: "not_allowed" } },
    });
  });

  it("a tech contact cannot take the billing contact for themself", () => {
    expect(plan({ actorId: BOB, proposed: { billing: BOB } })).toEqual({
      ok: false,
      reason: "invalid_fields",
      fieldErrors: { billing: { reason: "not_allowed" } },
    });
  });

  it("one refused field plans nothing, not even the allowed change", () => {
    expect(plan({ actorId: BOB, proposed: { tech: DAWID, billing: DAWID } })).toEqual({
      ok: false,
      reason: "invalid_fields",
      fieldErrors: { billing: { reason: "not_allowed" } },
    });
  });

  it("every refused field is reported at once", () => {
    expect(
      plan({
        proposed: { admin: 0, tech: DAWID, billing: EWA },
        pendingRequests: [{ id: 42, contactTypes: ["tech"] }],
        behindWithPayments: new Set([CARL]),
      }),
    ).toEqual({
      ok: false,
      reason: "invalid_fields",
      fieldErrors: {
        admin: { reason: "unknown_account" },
        tech: { reason: "pending_request_exists", pendingRequestId: 42 },
        billing: { reason: "billing_payments_overdue" },
      },
    });
  });

  it("an account that does not exist is refused", () => {
    expect(plan({ proposed: { tech: { refused: "unknown_account" } } })).toEqual({
      ok: false,
      reason: "invalid_fields",
      fieldErrors: { tech: { reason: "unknown_account" } },
    });
  });

  it("a text that is not a customer ID is refused as malformed", () => {
    expect(plan({ proposed: { tech: { refused: "malformed_customer_id" } } })).toEqual({
      ok: false,
      reason: "invalid_fields",
      fieldErrors: { tech: { reason: "malformed_customer_id" } },
    });
  });

  it.each([0, -3, 1.5, Number.NaN])("a malformed account id (%s) is refused", (id) => {
    expect(plan({ proposed: { tech: id } })).toEqual({
      ok: false,
      reason: "invalid_fields",
      fieldErrors: { tech: { reason: "unknown_account" } },
    });
  });

  it.each([
    ["an unknown account", { refused: "unknown_account" }],
    ["a malformed customer ID", { refused: "malformed_customer_id" }],
    ["an existing account", typed(DAWID)],
  ] as const)(
    "a field the actor may not change is refused as not allowed, whatever it names: %s",
    (_name, billing) => {
      expect(plan({ actorId: BOB, proposed: { billing } })).toEqual({
        ok: false,
        reason: "invalid_fields",
        fieldErrors: { billing: { reason: "not_allowed" } },
      });
    },
  );

  it("a field edited to name its current holder is refused, naming them", () => {
    expect(plan({ proposed: { tech: typed(BOB), billing: DAWID } })).toEqual({
      ok: false,
      reason: "invalid_fields",
      fieldErrors: { tech: { reason: "already_holder", customerId: `c${BOB}-ovh` } },
    });
  });

  it("a field the actor may not change, naming its holder, is no change, edited or not", () => {
    expect(plan({ actorId: BOB, proposed: { billing: typed(CARL), tech: DAWID } })).toMatchObject({
      ok: true,
    });
    expect(plan({ actorId: BOB, proposed: { billing: typed(CARL, false) } })).toEqual({
      ok: false,
      reason: "nothing_to_change",
    });
  });

  it("a field left as shown, naming its holder, is no change", () => {
    expect(plan({ proposed: { admin: typed(ANNA, false), tech: typed(BOB, false) } })).toEqual({
      ok: false,
      reason: "nothing_to_change",
    });
    const result = plan({ proposed: { tech: typed(BOB, false), billing: DAWID } });
    expect(result.ok && result.requests.map((request) => request.contactTypes)).toEqual([["billing"]]);
  });

  it("a field refused for its text is reported with the refused changes of the others, all at once", () => {
    expect(
      plan({
        proposed: { admin: { refused: "malformed_customer_id" }, tech: DAWID },
        pendingRequests: [{ id: 42, contactTypes: ["tech"] }],
      }),
    ).toEqual({
      ok: false,
      reason: "invalid_fields",
      fieldErrors: {
        admin: { reason: "malformed_customer_id" },
        tech: { reason: "pending_request_exists", pendingRequestId: 42 },
      },
    });
  });
});

describe("billing rule", () => {
  const refused = {
    ok: false,
    reason: "invalid_fields",
    fieldErrors: { billing: { reason: "billing_payments_overdue" } },
  };

  it("a new billing contact behind with payments is planned: their standing is theirs to learn when they accept", () => {
    const result = plan({ proposed: { billing: DAWID }, behindWithPayments: new Set([DAWID]) });
    expect(result).toMatchObject({
      ok: true,
      requests: [{ newContactId: DAWID, confirmerIds: [ANNA, DAWID] }],
    });
  });

  it("the new billing contact's payments are never even looked up when the request is made", () => {
    const lookedUp = new Set<number>();
    const lookup = (id: number) => {
      lookedUp.add(id);
      return false;
    };
    expect(plan({ proposed: { billing: DAWID }, behindWithPayments: lookup }).ok).toBe(true);
    expect([...lookedUp].sort()).toEqual([ANNA, CARL]);
  });

  it("a current billing contact behind with payments is refused", () => {
    expect(plan({ proposed: { billing: DAWID }, behindWithPayments: new Set([CARL]) })).toEqual(refused);
  });

  it("an asker behind with payments is refused with the same reason", () => {
    expect(plan({ proposed: { billing: DAWID }, behindWithPayments: new Set([ANNA]) })).toEqual(refused);
  });

  it("an administrator behind with payments cannot take billing back", () => {
    expect(plan({ proposed: { billing: ANNA }, behindWithPayments: new Set([ANNA]) })).toEqual(refused);
  });

  it("a billing contact taking their own successor is refused when they are behind", () => {
    expect(
      plan({ actorId: CARL, proposed: { billing: DAWID }, behindWithPayments: (id) => id === CARL }),
    ).toEqual(refused);
  });

  it("payments do not matter for the tech contact", () => {
    const result = plan({ proposed: { tech: DAWID }, behindWithPayments: new Set([BOB, DAWID]) });
    expect(result.ok).toBe(true);
  });

  it("a behind account elsewhere does not block a billing change", () => {
    const result = plan({ proposed: { billing: DAWID }, behindWithPayments: new Set([BOB, EWA]) });
    expect(result.ok).toBe(true);
  });

  it("a tech contact is refused as not allowed, never told about billing payments", () => {
    expect(plan({ actorId: BOB, proposed: { billing: DAWID }, behindWithPayments: new Set([CARL]) })).toEqual(
      {
        ok: false,
        reason: "invalid_fields",
        fieldErrors: { billing: { reason: "not_allowed" } },
      },
    );
  });
});

describe("one pending request per service and contact type", () => {
  it("a second request for a contact type with a pending request is refused, naming it", () => {
    expect(
      plan({ proposed: { billing: DAWID }, pendingRequests: [{ id: 7, contactTypes: ["tech", "billing"] }] }),
    ).toEqual({
      ok: false,
      reason: "invalid_fields",
      fieldErrors: { billing: { reason: "pending_request_exists", pendingRequestId: 7 } },
    });
  });

  it("a pending request for another contact type does not block", () => {
    const result = plan({
      proposed: { tech: DAWID },
      pendingRequests: [{ id: 7, contactTypes: ["billing"] }],
    });
    expect(result.ok).toBe(true);
  });

  it("a pending request for a field left unchanged does not block", () => {
    const result = plan({
      proposed: { tech: DAWID, billing: CARL },
      pendingRequests: [{ id: 7, contactTypes: ["billing"] }],
    });
    expect(result.ok).toBe(true);
  });
});

describe("combined roles and grouping", () => {
  it("Anna holding every role and naming Dawid for tech and billing makes one request she and Dawid confirm", () => {
    const service = serviceOf({ techId: ANNA, billingId: ANNA });
    expect(plan({ service, proposed: { tech: DAWID, billing: DAWID } })).toEqual({
      ok: true,
      requests: [
        {
          serviceId: 10,
          requestedById: ANNA,
          oldContactId: ANNA,
          newContactId: DAWID,
          contactTypes: ["tech", "billing"],
          kind: "hand_over",
          confirmerIds: [ANNA, DAWID],
          notifyOnEndIds: [ANNA, DAWID],
        },
      ],
    });
  });

  it("an admin who is also the tech contact is listed once among the confirmers", () => {
    const result = plan({ service: serviceOf({ techId: ANNA }), proposed: { tech: DAWID } });
    expect(result.ok && result.requests.map((request) => request.confirmerIds)).toEqual([[ANNA, DAWID]]);
  });

  it("a tech contact who is also billing may replace both in one request", () => {
    const result = plan({
      actorId: BOB,
      service: serviceOf({ billingId: BOB }),
      proposed: { tech: DAWID, billing: DAWID },
    });
    expect(
      result.ok && result.requests.map((request) => [request.contactTypes, request.confirmerIds]),
    ).toEqual([
      [
        ["tech", "billing"],
        [BOB, DAWID],
      ],
    ]);
  });

  it("changes with the same old and new account form one request", () => {
    const result = plan({
      service: serviceOf({ billingId: BOB }),
      proposed: { tech: DAWID, billing: DAWID },
    });
    expect(result).toEqual({
      ok: true,
      requests: [
        {
          serviceId: 10,
          requestedById: ANNA,
          oldContactId: BOB,
          newContactId: DAWID,
          contactTypes: ["tech", "billing"],
          kind: "replace",
          confirmerIds: [ANNA, DAWID],
          notifyOnEndIds: [ANNA, DAWID, BOB],
        },
      ],
    });
  });

  it("an admin taking back tech and billing from one account confirms one request alone", () => {
    const result = plan({ service: serviceOf({ billingId: BOB }), proposed: { tech: ANNA, billing: ANNA } });
    expect(
      result.ok &&
        result.requests.map((request) => [request.kind, request.contactTypes, request.confirmerIds]),
    ).toEqual([["take_back", ["tech", "billing"], [ANNA]]]);
  });

  it("changes to different new accounts become separate requests", () => {
    const result = plan({ service: serviceOf({ billingId: BOB }), proposed: { tech: DAWID, billing: EWA } });
    expect(
      result.ok &&
        result.requests.map((request) => [request.oldContactId, request.newContactId, request.contactTypes]),
    ).toEqual([
      [BOB, DAWID, ["tech"]],
      [BOB, EWA, ["billing"]],
    ]);
  });

  it("changes from different old accounts become separate requests, in admin, tech, billing order", () => {
    const result = plan({ proposed: { billing: DAWID, tech: DAWID, admin: DAWID } });
    expect(
      result.ok &&
        result.requests.map((request) => [
          request.oldContactId,
          request.contactTypes,
          request.kind,
          request.confirmerIds,
          request.notifyOnEndIds,
        ]),
    ).toEqual([
      [ANNA, ["admin"], "hand_over", [ANNA, DAWID], [ANNA, DAWID]],
      [BOB, ["tech"], "replace", [ANNA, DAWID], [ANNA, DAWID, BOB]],
      [CARL, ["billing"], "replace", [ANNA, DAWID], [ANNA, DAWID, CARL]],
    ]);
  });

  it("unchanged entries are left out while the others are planned", () => {
    const result = plan({ proposed: { admin: ANNA, tech: BOB, billing: DAWID } });
    expect(result.ok && result.requests.map((request) => request.contactTypes)).toEqual([["billing"]]);
  });

  it("an admin may hand the admin contact to the tech contact", () => {
    const result = plan({ proposed: { admin: BOB } });
    expect(
      result.ok &&
        result.requests.map((request) => [request.oldContactId, request.newContactId, request.confirmerIds]),
    ).toEqual([[ANNA, BOB, [ANNA, BOB]]]);
  });
});
