import type { ServiceContacts } from "@/lib/contact-change/service-contacts";

/** A service's three contacts, as account ids. */
export type ContactIds = ServiceContacts;

/** The three contact ids of a service, in the order admin, tech, billing. */
export function contactsOf(service: ContactIds): number[] {
  return [service.adminId, service.techId, service.billingId];
}

/** Whether the provider's contacts are the ones the service already has: then nothing is written. */
export function isSameContacts(service: ContactIds, wanted: ContactIds): boolean {
  return (
    service.adminId === wanted.adminId &&
    service.techId === wanted.techId &&
    service.billingId === wanted.billingId
  );
}

/** The refusal of a contact naming no account; the same words for the API and the import. */
export function unknownAccountMessage(field: string, customerId: string): string {
  return `${field}: no account has the customer ID ${customerId}`;
}
