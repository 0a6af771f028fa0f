/**
 * The words of the contact change domain. The database schemas store these values and import them
 * from here; nothing here knows about storage.
 */

/** Kinds of service a customer can hold. */
export const SERVICE_TYPES = ["domain", "web_hosting", "vps", "dedicated_server", "email"] as const;
export type ServiceType = (typeof SERVICE_TYPES)[number];

/** The three contacts of every service. */
export const CONTACT_TYPES = ["admin", "tech", "billing"] as const;
export type ContactType = (typeof CONTACT_TYPES)[number];

/** States of a contact change request (SPEC.md, "Request life cycle"). */
export const REQUEST_STATES = ["pending", "done", "refused", "expired", "cancelled"] as const;
export type RequestState = (typeof REQUEST_STATES)[number];

/** What a confirmer answers. */
export const DECISIONS = ["accepted", "refused"] as const;
export type Decision = (typeof DECISIONS)[number];
