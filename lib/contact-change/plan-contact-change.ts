import {
  actorRoles,
  type ChangeKind,
  canChangeContact,
  canTakeBack,
  changeKind,
  confirmerIdsFor,
  notifyOnEndIdsFor,
  type Role,
} from "./permissions";
import { type AccountSet, holderOf, isInAccountSet, type ServiceWithContacts } from "./service-contacts";
import { CONTACT_TYPES, type ContactType } from "./vocabulary";

/** A pending request of the service, as far as the one-pending-per-type rule needs it. */
export interface PendingRequestSummary {
  id: number;
  contactTypes: readonly ContactType[];
}

/**
 * What one field of the edit form names, as the caller read it: an account, found by the
 * customer ID typed (`edited` when the text differs from what the form showed), or why it names
 * none — the text is not a customer ID, or no account has it.
 */
export type ProposedContact =
  | { accountId: number; customerId: string; edited: boolean }
  | { refused: "malformed_customer_id" | "unknown_account" };

/** One submission of the edit form, with customer IDs already looked up. */
export interface PlanContactChangeInput {
  actorId: number;
  service: ServiceWithContacts;
  /**
   * Each field submitted; a missing one asks for no change, and so does one left as the form
   * showed it naming the current holder.
   */
  proposed: Partial<Record<ContactType, ProposedContact>>;
  /**
   * Accounts with an overdue invoice. Only the old billing contact and the actor are looked up:
   * the new contact's standing is not the asker's to learn, so it waits for their acceptance
   * (decideConfirmation). A lookup function lets the caller read no one else's.
   */
  behindWithPayments: AccountSet;
  /**
   * The service's pending requests. Expire the overdue ones first: the database's unique index
   * still counts them as pending until their state is written.
   */
  pendingRequests: readonly PendingRequestSummary[];
}

/** Why one field of the edit form is refused; `pendingRequestId` names the request in the way. */
export type FieldError =
  | { reason: "not_allowed" }
  | { reason: "malformed_customer_id" }
  | { reason: "unknown_account" }
  | { reason: "already_holder"; customerId: string }
  | { reason: "pending_request_exists"; pendingRequestId: number }
  | { reason: "billing_payments_overdue" };

/** The refused fields of a submission. */
export type FieldErrors = Partial<Record<ContactType, FieldError>>;

/** A request to create: one old account replaced by one new account for one or more contact types. */
export interface PlannedRequest {
  serviceId: number;
  requestedById: number;
  oldContactId: number;
  newContactId: number;
  /** In CONTACT_TYPES. */
  contactTypes: ContactType[];
  kind: ChangeKind;
  /** Each gets a personal token; unique, the actor first. */
  confirmerIds: number[];
  /** Told when the request ends in any way: the confirmers and the old contact, unique. */
  notifyOnEndIds: number[];
}

/** The requests to create for a submission, or why there are none. */
export type PlanContactChangeResult =
  | { ok: true; requests: PlannedRequest[] }
  | { ok: false; reason: "not_a_contact" }
  | { ok: false; reason: "nothing_to_change" }
  | { ok: false; reason: "invalid_fields"; fieldErrors: FieldErrors };

interface Change {
  contactType: ContactType;
  oldContactId: number;
  newContactId: number;
}

/**
 * Decides which contact change requests one submission of the edit form creates (SPEC.md "Who
 * may ask for what"), and every reason a field is refused. Any refused field refuses the whole
 * submission, so a form is never half applied; changes with the same old and new account share
 * one request.
 */
export function planContactChange(input: PlanContactChangeInput): PlanContactChangeResult {
  const roles = actorRoles(input.service, input.actorId);
  if (roles.length === 0) return { ok: false, reason: "not_a_contact" };

  const fieldErrors: FieldErrors = {};
  const changes: Change[] = [];
  for (const contactType of CONTACT_TYPES) {
    const proposed = input.proposed[contactType];
    if (proposed === undefined) continue;
    const read = readField(contactType, proposed, roles, input);
    if (read === null) continue;
    if ("reason" in read) fieldErrors[contactType] = read;
    else changes.push(read);
  }
  for (const change of changes) {
    const error = changeError(change, roles, input);
    if (error) fieldErrors[change.contactType] = error;
  }
  if (Object.keys(fieldErrors).length > 0) return { ok: false, reason: "invalid_fields", fieldErrors };
  if (changes.length === 0) return { ok: false, reason: "nothing_to_change" };

  return { ok: true, requests: groupIntoRequests(changes, input) };
}

// Permission comes first, here and in changeError, so that someone who may not touch a field
// learns nothing else about it: not whether a customer ID exists, who holds the role, or whether
// an account is behind with its payments.
const mayTouch = (roles: readonly Role[], contactType: ContactType) =>
  canChangeContact(roles, contactType) || canTakeBack(roles, contactType);

/** One field read as a change, an error, or no change (`null`). */
function readField(
  contactType: ContactType,
  proposed: ProposedContact,
  roles: readonly Role[],
  { service }: PlanContactChangeInput,
): Change | FieldError | null {
  if ("refused" in proposed) {
    return { reason: mayTouch(roles, contactType) ? proposed.refused : "not_allowed" };
  }
  const oldContactId = holderOf(service, contactType);
  if (proposed.accountId !== oldContactId) {
    return { contactType, oldContactId, newContactId: proposed.accountId };
  }
  // Naming the holder: a field left as the form showed it (or one the actor may not change,
  // which only ever shows its holder) is no change; an edit to the holder is a mistake to point out.
  return proposed.edited && mayTouch(roles, contactType)
    ? { reason: "already_holder", customerId: proposed.customerId }
    : null;
}

function changeError(
  change: Change,
  roles: readonly Role[],
  input: PlanContactChangeInput,
): FieldError | null {
  const { contactType, oldContactId, newContactId } = change;
  const isAllowed =
    newContactId === input.actorId ? canTakeBack(roles, contactType) : canChangeContact(roles, contactType);
  if (!isAllowed) return { reason: "not_allowed" };
  if (!isAccountId(newContactId)) return { reason: "unknown_account" };

  const pending = input.pendingRequests.find((request) => request.contactTypes.includes(contactType));
  if (pending) return { reason: "pending_request_exists", pendingRequestId: pending.id };

  // Only the standing of accounts whose invoices the actor may already know about: their own and
  // the outgoing billing contact's. Checking the proposed account here would let anyone test
  // whether any customer is behind with payments.
  if (
    contactType === "billing" &&
    (isInAccountSet(input.behindWithPayments, oldContactId) ||
      isInAccountSet(input.behindWithPayments, input.actorId))
  ) {
    return { reason: "billing_payments_overdue" };
  }
  return null;
}

// The caller looks accounts up, but a form or a script can still hand over 0, NaN or 1.5.
function isAccountId(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value > 0;
}

// A Map keeps insertion order, and changes arrive in CONTACT_TYPES, so requests come out
// ordered by their first contact type.
function groupIntoRequests(changes: readonly Change[], input: PlanContactChangeInput): PlannedRequest[] {
  const groups = new Map<string, Change[]>();
  for (const change of changes) {
    const key = `${change.oldContactId}->${change.newContactId}`;
    const group = groups.get(key);
    if (group) group.push(change);
    else groups.set(key, [change]);
  }

  return [...groups.values()].map((group) => {
    const [first] = group as [Change, ...Change[]];
    const { oldContactId, newContactId } = first;
    const kind = changeKind({ actorId: input.actorId, oldContactId, newContactId });
    const confirmerIds = confirmerIdsFor(kind, { actorId: input.actorId, newContactId });
    return {
      serviceId: input.service.id,
      requestedById: input.actorId,
      oldContactId,
      newContactId,
      contactTypes: group.map((change) => change.contactType),
      kind,
      confirmerIds,
      notifyOnEndIds: notifyOnEndIdsFor({ confirmerIds, oldContactId }),
    };
  });
}
