import type { ContactType } from "./vocabulary";

/** The three contact accounts of a service, as the `services` table stores them. */
export interface ServiceContacts {
  adminId: number;
  techId: number;
  billingId: number;
}

/** A service as the domain needs it: its id and its three contacts. */
export interface ServiceWithContacts extends ServiceContacts {
  id: number;
}

const HOLDER_FIELD: Readonly<Record<ContactType, keyof ServiceContacts>> = {
  admin: "adminId",
  tech: "techId",
  billing: "billingId",
};

/** The account that holds `contactType` on `service`. */
export function holderOf(service: ServiceContacts, contactType: ContactType): number {
  return service[HOLDER_FIELD[contactType]];
}

/**
 * A set of accounts, given either as ids or as a lookup. Callers hold overdue invoices and
 * existing accounts in different shapes; accepting both keeps the conversion out of every caller.
 */
export type AccountSet = ReadonlySet<number> | ((accountId: number) => boolean);

/** Whether `accountId` belongs to `accounts`. */
export function isInAccountSet(accounts: AccountSet, accountId: number): boolean {
  return typeof accounts === "function" ? accounts(accountId) : accounts.has(accountId);
}

/** Ids without duplicates, keeping the first occurrence, so "actor first" survives de-duplication. */
export function uniqueIds(ids: Iterable<number>): number[] {
  return [...new Set(ids)];
}
