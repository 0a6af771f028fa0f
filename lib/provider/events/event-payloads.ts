import type { ContactType, RequestState, ServiceType } from "@/lib/contact-change/vocabulary";

/**
 * The `data` of each event type, built in one place so that every writer of an event (a request
 * applied, the provider's own change, the import) sends the same shape. Accounts are named by
 * customer ID, services by type and name: the provider's own keys.
 */

export type ServiceRef = { type: ServiceType; name: string };
export type ServiceContacts = { admin: string; tech: string; billing: string };

/** `service.contacts_changed`: a service's contacts after a change, and before it (null for a new service). */
export function serviceContactsChangedData(input: {
  service: ServiceRef;
  contacts: ServiceContacts;
  previous: ServiceContacts | null;
  /** `request`: a contact change request was applied; `provider`: the provisioning API or an import. */
  cause: "request" | "provider";
  requestId?: number;
}): Record<string, unknown> {
  return {
    service: input.service,
    contacts: input.contacts,
    previous: input.previous,
    cause: input.cause,
    ...(input.requestId === undefined ? {} : { requestId: input.requestId }),
  };
}

/** `service.removed`: the provider removed a service; its contacts when it was removed. */
export function serviceRemovedData(input: {
  service: ServiceRef;
  contacts: ServiceContacts;
}): Record<string, unknown> {
  return { service: input.service, contacts: input.contacts };
}

/** `request.*`: a request as it is after the step the event tells of. */
export function requestEventData(input: {
  request: {
    id: number;
    state: RequestState;
    service: ServiceRef;
    contactTypes: ContactType[];
    askingAccount: string;
    fromAccount: string;
    toAccount: string;
    createdAt: Date;
    expiresAt: Date;
    endedAt: Date | null;
    endReason: string | null;
  };
  /** Who took the step (customer ID); null when the system did (expiry, a re-check). */
  actor: string | null;
}): Record<string, unknown> {
  const { request } = input;
  return {
    request: {
      ...request,
      createdAt: request.createdAt.toISOString(),
      expiresAt: request.expiresAt.toISOString(),
      endedAt: request.endedAt?.toISOString() ?? null,
    },
    actor: input.actor,
  };
}
