import { describe, expect, it } from "vitest";
import {
  actorRoles,
  canActOnRequest,
  canChangeContact,
  canTakeBack,
  changeableContactTypes,
  changeKind,
  confirmerIdsFor,
  notifyOnEndIdsFor,
  type RequestAction,
  type Role,
  requestPartiesOf,
  takeBackOptions,
} from "./permissions";
import { ANNA, BOB, CARL, DAWID, EWA, serviceOf } from "./test-fixtures";
import type { ContactType } from "./vocabulary";

describe("roles", () => {
  it("an account holding every contact has all three roles, in order", () => {
    expect(actorRoles(serviceOf({ adminId: ANNA, techId: ANNA, billingId: ANNA }), ANNA)).toEqual([
      "admin",
      "tech",
      "billing",
    ]);
  });

  it("an account holds exactly the contacts it is named in", () => {
    expect(actorRoles(serviceOf({ techId: CARL }), CARL)).toEqual(["tech", "billing"]);
    expect(actorRoles(serviceOf(), BOB)).toEqual(["tech"]);
  });

  it("an account that is no contact of the service has no role", () => {
    expect(actorRoles(serviceOf(), EWA)).toEqual([]);
  });
});

describe("who may name another account", () => {
  const cases: [string, Role[], ContactType, boolean][] = [
    ["an admin may name a new admin", ["admin"], "admin", true],
    ["an admin may name a new tech contact", ["admin"], "tech", true],
    ["an admin may name a new billing contact", ["admin"], "billing", true],
    ["a tech contact may name a new tech contact", ["tech"], "tech", true],
    ["a tech contact cannot replace the admin", ["tech"], "admin", false],
    ["a tech contact cannot replace the billing contact", ["tech"], "billing", false],
    ["a billing contact may name a new billing contact", ["billing"], "billing", true],
    ["a billing contact cannot replace the admin", ["billing"], "admin", false],
    ["a billing contact cannot replace the tech contact", ["billing"], "tech", false],
    ["tech and billing together may change both but not the admin", ["tech", "billing"], "admin", false],
    ["tech and billing together may change billing", ["tech", "billing"], "billing", true],
    ["no role allows nothing", [], "tech", false],
  ];
  it.each(cases)("%s", (_name, roles, contactType, expected) => {
    expect(canChangeContact(roles, contactType)).toBe(expected);
  });

  it("the edit form lets a tech and billing contact edit exactly those two fields", () => {
    expect(changeableContactTypes(["tech", "billing"])).toEqual(["tech", "billing"]);
    expect(changeableContactTypes(["admin"])).toEqual(["admin", "tech", "billing"]);
    expect(changeableContactTypes([])).toEqual([]);
  });
});

describe("who may take a contact back", () => {
  const cases: [string, Role[], ContactType, boolean][] = [
    ["an admin may take back the tech contact", ["admin"], "tech", true],
    ["an admin may take back the billing contact", ["admin"], "billing", true],
    ["taking back the admin contact is no request (the admin holds it)", ["admin"], "admin", false],
    ["a tech contact cannot take the billing contact", ["tech"], "billing", false],
    ["a billing contact cannot take the tech contact", ["billing"], "tech", false],
    ["a tech contact cannot take the admin contact", ["tech"], "admin", false],
  ];
  it.each(cases)("%s", (_name, roles, contactType, expected) => {
    expect(canTakeBack(roles, contactType)).toBe(expected);
  });

  it("an admin is offered take back only for the contacts someone else holds", () => {
    expect(takeBackOptions(serviceOf(), ANNA)).toEqual(["tech", "billing"]);
    expect(takeBackOptions(serviceOf({ techId: ANNA }), ANNA)).toEqual(["billing"]);
    expect(takeBackOptions(serviceOf(), BOB)).toEqual([]);
  });
});

describe("kinds of change and their confirmers", () => {
  it("an admin naming someone for another's contact replaces it, confirmed by admin and new contact", () => {
    const kind = changeKind({ actorId: ANNA, oldContactId: BOB, newContactId: DAWID });
    expect(kind).toBe("replace");
    expect(confirmerIdsFor(kind, { actorId: ANNA, newContactId: DAWID })).toEqual([ANNA, DAWID]);
  });

  it("naming oneself is a take back, confirmed by the actor alone", () => {
    const kind = changeKind({ actorId: ANNA, oldContactId: BOB, newContactId: ANNA });
    expect(kind).toBe("take_back");
    expect(confirmerIdsFor(kind, { actorId: ANNA, newContactId: ANNA })).toEqual([ANNA]);
  });

  it("the holder naming someone else hands over, confirmed by holder and new contact", () => {
    const kind = changeKind({ actorId: BOB, oldContactId: BOB, newContactId: DAWID });
    expect(kind).toBe("hand_over");
    expect(confirmerIdsFor(kind, { actorId: BOB, newContactId: DAWID })).toEqual([BOB, DAWID]);
  });

  it("everyone involved is the confirmers and the old contact, each once", () => {
    expect(notifyOnEndIdsFor({ confirmerIds: [ANNA, DAWID], oldContactId: BOB })).toEqual([ANNA, DAWID, BOB]);
    expect(notifyOnEndIdsFor({ confirmerIds: [BOB, DAWID], oldContactId: BOB })).toEqual([BOB, DAWID]);
  });
});

describe("who may act on a request", () => {
  // Anna asked to replace Bob (tech) by Dawid; Carl administers the service now.
  const request = { requestedById: ANNA, oldContactId: BOB, newContactId: DAWID };
  const actor = (actorId: number) => ({ actorId, request, serviceAdminId: CARL });

  it("an account is every party it plays", () => {
    expect(
      requestPartiesOf({ actorId: ANNA, request: { ...request, oldContactId: ANNA }, serviceAdminId: ANNA }),
    ).toEqual(["requester", "old_contact", "service_admin"]);
    expect(requestPartiesOf(actor(EWA))).toEqual([]);
  });

  const cases: [string, RequestAction, number, boolean][] = [
    ["the requester may resend", "resend", ANNA, true],
    ["the old contact may resend", "resend", BOB, true],
    ["the new contact may resend", "resend", DAWID, true],
    ["the service's current admin may resend", "resend", CARL, true],
    ["an outsider may not resend", "resend", EWA, false],
    ["the requester may cancel", "cancel", ANNA, true],
    ["the service's current admin may cancel", "cancel", CARL, true],
    ["the old contact may not cancel", "cancel", BOB, false],
    ["the new contact may not cancel", "cancel", DAWID, false],
    ["an outsider may not cancel", "cancel", EWA, false],
    ["the old contact may see the request", "view", BOB, true],
    ["an outsider may not see the request", "view", EWA, false],
  ];
  it.each(cases)("%s", (_name, action, actorId, expected) => {
    expect(canActOnRequest(action, actor(actorId))).toBe(expected);
  });
});
