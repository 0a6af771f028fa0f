import type { ContactType, RequestState, ServiceType } from "@/db/schema";
import type { FieldError } from "@/lib/contact-change";

/** The most services one bulk hand-over may cover. */
export const MAX_BATCH_SERVICES = 10_000;

/** Rows per page of a batch's page (keyset by request id). */
export const BATCH_PAGE_SIZE = 50;

/** A customer account as pages and e-mails name it. */
export type Person = { customerId: string; name: string };

/**
 * What a bulk hand-over covers: services ticked in My contacts, or every service of the account
 * matching My contacts' filter (as `/contacts?q=&type=&role=` lists them).
 */
export type BatchSelection =
  | { kind: "services"; serviceIds: number[] }
  | { kind: "filter"; search: string; type: ServiceType | null; role: ContactType | null };

/** A selected service the rules refused, with each refused field's reason (as the edit form gives them). */
export type BatchRefusal = {
  serviceId: number;
  serviceName: string;
  serviceType: ServiceType;
  fieldErrors: Partial<Record<ContactType, FieldError>>;
};

/** One request of a batch, as its page lists it. */
export type BatchRequestRow = {
  id: number;
  serviceName: string;
  serviceType: ServiceType;
  contactTypes: ContactType[];
  oldContact: Person;
  newContact: Person;
  /** As pages show it: a pending request past its deadline reads `expired`. */
  state: RequestState;
  /** While pending: the confirmers who have not answered yet. */
  waitingFor: Person[];
  /** Whether the viewer must still answer this one (pending, their confirmation unanswered). */
  awaitsViewer: boolean;
};
