import { CONTACT_TYPES, type ContactType } from "./vocabulary";

/**
 * The `changes*` columns of `change_requests`. The schema stores contact types as flags so that
 * partial unique indexes can allow one pending request per service and contact type.
 */
export interface ContactTypeFlags {
  changesAdmin: boolean;
  changesTech: boolean;
  changesBilling: boolean;
}

const FLAG: Readonly<Record<ContactType, keyof ContactTypeFlags>> = {
  admin: "changesAdmin",
  tech: "changesTech",
  billing: "changesBilling",
};

/** The flags to store for a request that changes `contactTypes`. */
export function contactTypeFlags(contactTypes: readonly ContactType[]): ContactTypeFlags {
  return {
    changesAdmin: contactTypes.includes("admin"),
    changesTech: contactTypes.includes("tech"),
    changesBilling: contactTypes.includes("billing"),
  };
}

/** The contact types a stored request changes, in CONTACT_TYPES. */
export function contactTypesFromFlags(flags: ContactTypeFlags): ContactType[] {
  return CONTACT_TYPES.filter((contactType) => flags[FLAG[contactType]]);
}
