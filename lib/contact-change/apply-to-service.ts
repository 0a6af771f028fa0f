import { actorRoles, canChangeContact, canTakeBack } from "./permissions";
import type { RecheckRefusalReason } from "./reason-codes";
import { type AccountSet, holderOf, isInAccountSet, type ServiceContacts } from "./service-contacts";
import type { ContactType } from "./vocabulary";

/** What a request changes. */
export interface RequestChange {
  oldContactId: number;
  newContactId: number;
  contactTypes: readonly ContactType[];
}

/** Whether a fully confirmed request may still be applied; if not, it ends cancelled with `reason`. */
export type RecheckResult = { ok: true } | { ok: false; reason: RecheckRefusalReason };

/**
 * Re-checks a fully confirmed request against the service as it is now: days may have passed
 * since it was made, and the old contact or someone's payments may have changed meanwhile.
 */
export function recheckBeforeApply(input: {
  service: ServiceContacts;
  request: RequestChange & { requestedById: number };
  behindWithPayments: AccountSet;
}): RecheckResult {
  const { service, request, behindWithPayments } = input;
  // The account that asked may have lost the role that let it ask (an administrator who
  // handed the administrator contact over): its other requests must not apply on its word.
  const roles = actorRoles(service, request.requestedById);
  const isStillAllowed = request.contactTypes.every((contactType) =>
    request.newContactId === request.requestedById
      ? canTakeBack(roles, contactType) || canChangeContact(roles, contactType)
      : canChangeContact(roles, contactType),
  );
  if (!isStillAllowed) return { ok: false, reason: "requester_no_longer_allowed" };
  if (request.contactTypes.some((contactType) => holderOf(service, contactType) !== request.oldContactId)) {
    return { ok: false, reason: "old_contact_changed" };
  }
  if (
    request.contactTypes.includes("billing") &&
    (isInAccountSet(behindWithPayments, request.oldContactId) ||
      isInAccountSet(behindWithPayments, request.newContactId))
  ) {
    return { ok: false, reason: "billing_payments_overdue" };
  }
  return { ok: true };
}

/** The service's contacts once `request` is applied; the input is left untouched. */
export function applyToService(
  service: ServiceContacts,
  request: Pick<RequestChange, "newContactId" | "contactTypes">,
): ServiceContacts {
  const wanted = (contactType: ContactType) =>
    request.contactTypes.includes(contactType) ? request.newContactId : holderOf(service, contactType);
  return { adminId: wanted("admin"), techId: wanted("tech"), billingId: wanted("billing") };
}
