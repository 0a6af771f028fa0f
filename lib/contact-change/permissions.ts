import { holderOf, type ServiceContacts, uniqueIds } from "./service-contacts";
import { CONTACT_TYPES, type ContactType } from "./vocabulary";

/** A role is a contact type the actor holds on the service; one person may hold several. */
export type Role = ContactType;

/** What one role may ask for. */
export interface RolePermission {
  /** Contact types the role may hand to another account. */
  nameOther: readonly ContactType[];
  /** Contact types the role may take back for the actor ("recover"). */
  takeBack: readonly ContactType[];
}

/**
 * SPEC.md "Who may ask for what", as data. Rights of a person holding several roles are the
 * union. A tech or billing contact can only replace themself, since they hold that type.
 */
export const ROLE_PERMISSIONS: Readonly<Record<Role, RolePermission>> = {
  admin: { nameOther: ["admin", "tech", "billing"], takeBack: ["tech", "billing"] },
  tech: { nameOther: ["tech"], takeBack: [] },
  billing: { nameOther: ["billing"], takeBack: [] },
};

/** The roles `actorId` holds on `service`, in CONTACT_TYPES; empty for an outsider. */
export function actorRoles(service: ServiceContacts, actorId: number): Role[] {
  return CONTACT_TYPES.filter((contactType) => holderOf(service, contactType) === actorId);
}

/** Whether `roles` may ask for another account to become the `contactType` contact. */
export function canChangeContact(roles: readonly Role[], contactType: ContactType): boolean {
  return roles.some((role) => ROLE_PERMISSIONS[role].nameOther.includes(contactType));
}

/** Whether `roles` may take the `contactType` contact back for the actor. */
export function canTakeBack(roles: readonly Role[], contactType: ContactType): boolean {
  return roles.some((role) => ROLE_PERMISSIONS[role].takeBack.includes(contactType));
}

/** The contact types the edit form lets `roles` change; the others are shown read-only. */
export function changeableContactTypes(roles: readonly Role[]): ContactType[] {
  return CONTACT_TYPES.filter((contactType) => canChangeContact(roles, contactType));
}

/**
 * The contact types for which the edit form offers a one-click "take back": those the roles may
 * take back and the actor does not already hold.
 */
export function takeBackOptions(service: ServiceContacts, actorId: number): ContactType[] {
  const roles = actorRoles(service, actorId);
  return CONTACT_TYPES.filter(
    (contactType) => canTakeBack(roles, contactType) && holderOf(service, contactType) !== actorId,
  );
}

/** The kinds of change, one per shape of row in SPEC.md's table. */
export const CHANGE_KINDS = [
  /** An administrator names account X for a tech or billing contact someone else holds. */
  "replace",
  /** An administrator takes a tech or billing contact back for themself. */
  "take_back",
  /** The holder names account X in their own place (admin, tech or billing). */
  "hand_over",
] as const;
/** The kinds of change, one per shape of row in SPEC.md's table. */
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/** Who confirms, relative to the request. */
export type ConfirmerRole = "actor" | "new_contact";

/**
 * Who must confirm each kind, actor first. Who is told at the end is not listed: it is always the
 * confirmers and the old contact (SPEC.md "E-mails"), which gives the table's last column.
 */
export const CONFIRMERS_BY_KIND: Readonly<Record<ChangeKind, readonly ConfirmerRole[]>> = {
  replace: ["actor", "new_contact"],
  take_back: ["actor"],
  hand_over: ["actor", "new_contact"],
};

/** The kind of a change of `oldContactId` to `newContactId` asked by `actorId`. */
export function changeKind(change: {
  actorId: number;
  oldContactId: number;
  newContactId: number;
}): ChangeKind {
  if (change.newContactId === change.actorId) return "take_back";
  if (change.oldContactId === change.actorId) return "hand_over";
  return "replace";
}

/** The account ids that must confirm a change of `kind`, unique, actor first. */
export function confirmerIdsFor(kind: ChangeKind, ids: { actorId: number; newContactId: number }): number[] {
  return uniqueIds(
    CONFIRMERS_BY_KIND[kind].map((confirmer) => (confirmer === "actor" ? ids.actorId : ids.newContactId)),
  );
}

/** Everyone involved in a request, told when it ends in any way: its confirmers and the old contact. */
export function notifyOnEndIdsFor(request: {
  confirmerIds: readonly number[];
  oldContactId: number;
}): number[] {
  return uniqueIds([...request.confirmerIds, request.oldContactId]);
}

/** What an account can do to an existing request besides answering it. */
export const REQUEST_ACTIONS = ["view", "resend", "cancel"] as const;
/** What an account can do to an existing request besides answering it. */
export type RequestAction = (typeof REQUEST_ACTIONS)[number];

/** How an account relates to a request. The service's administrator is the current one. */
export type RequestParty = "requester" | "old_contact" | "new_contact" | "service_admin";

/**
 * SPEC.md: any party and the service's administrator may see and resend a request (the first
 * e-mail may have gone to an outdated address); only the account that asked or the
 * administrator may cancel it.
 */
export const REQUEST_ACTION_PARTIES: Readonly<Record<RequestAction, readonly RequestParty[]>> = {
  view: ["requester", "old_contact", "new_contact", "service_admin"],
  resend: ["requester", "old_contact", "new_contact", "service_admin"],
  cancel: ["requester", "service_admin"],
};

/** The accounts a request involves, as stored. */
export interface RequestPartyIds {
  requestedById: number;
  oldContactId: number;
  newContactId: number;
}

/** Who asks to act on which request of which service. */
export interface RequestActor {
  actorId: number;
  request: RequestPartyIds;
  /** The service's administrator now, not when the request was made. */
  serviceAdminId: number;
}

/** The parties `actorId` is to the request; empty for an outsider. */
export function requestPartiesOf({ actorId, request, serviceAdminId }: RequestActor): RequestParty[] {
  const parties: RequestParty[] = [];
  if (request.requestedById === actorId) parties.push("requester");
  if (request.oldContactId === actorId) parties.push("old_contact");
  if (request.newContactId === actorId) parties.push("new_contact");
  if (serviceAdminId === actorId) parties.push("service_admin");
  return parties;
}

/** Whether the actor may `action` the request, whatever its state (the decide* functions add that). */
export function canActOnRequest(action: RequestAction, actor: RequestActor): boolean {
  const allowed = REQUEST_ACTION_PARTIES[action];
  return requestPartiesOf(actor).some((party) => allowed.includes(party));
}
