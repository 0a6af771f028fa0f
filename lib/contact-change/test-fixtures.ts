import type { ServiceWithContacts } from "./service-contacts";

/** Account ids shared by the tests, named so a failing assertion reads as a story. */
export const ANNA = 1;
export const BOB = 2;
export const CARL = 3;
export const DAWID = 4;
export const EWA = 5;

/** Anna administers, Bob is technical, Carl handles billing. */
export function serviceOf(contacts: Partial<Omit<ServiceWithContacts, "id">> = {}): ServiceWithContacts {
  return { id: 10, adminId: ANNA, techId: BOB, billingId: CARL, ...contacts };
}
