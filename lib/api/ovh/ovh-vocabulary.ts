import type { ContactType, Language, RequestState, ServiceType } from "@/db/schema";

/**
 * OVH's words for ours, at the API's edge only: the domain keeps its own vocabulary
 * (lib/contact-change/vocabulary.ts) and this file translates both ways.
 */

/** `nichandle.changeContact.TaskStateEnum`, every value OVH's schema lists (OVH-REFERENCE.md §1.1). */
export const OVH_TASK_STATES = [
  "aborted",
  "checkValidity",
  "doing",
  "done",
  "error",
  "expired",
  "refused",
  "todo",
  "validatingByCustomers",
] as const;
export type OvhTaskState = (typeof OVH_TASK_STATES)[number];

/** The OVH state each of our states reads as (SPEC.md "Automation API, OVH-compatible"). */
export const OVH_STATE_OF: Readonly<Record<RequestState, OvhTaskState>> = {
  pending: "validatingByCustomers",
  done: "done",
  refused: "refused",
  expired: "expired",
  cancelled: "aborted",
};

/**
 * Our state behind an OVH state filter, or null for the OVH states this app never reaches
 * (`todo`, `checkValidity`, `doing`, `error`): a valid filter that matches nothing.
 */
export function requestStateOf(state: OvhTaskState): RequestState | null {
  const found = (Object.entries(OVH_STATE_OF) as [RequestState, OvhTaskState][]).find(
    ([, ovh]) => ovh === state,
  );
  return found ? found[0] : null;
}

/** `nichandle.changeContact.ContactTypeEnum`, in our CONTACT_TYPES order. */
export const OVH_CONTACT_TYPES = ["contactAdmin", "contactTech", "contactBilling"] as const;
export type OvhContactType = (typeof OVH_CONTACT_TYPES)[number];

/** The OVH name of each of our contact types (also the field names of `changeContact` and `serviceInfos`). */
export const OVH_CONTACT_TYPE_OF: Readonly<Record<ContactType, OvhContactType>> = {
  admin: "contactAdmin",
  tech: "contactTech",
  billing: "contactBilling",
};

/**
 * The API path under which OVH serves each kind of service (OVH-REFERENCE.md §1.2): web hosting
 * is `/hosting/web/{serviceName}`, a dedicated server `/dedicated/server/{serviceName}`, an e-mail
 * service (MX Plan) `/email/domain/{domain}`.
 */
export const OVH_SERVICE_PATHS: Readonly<Record<ServiceType, string>> = {
  domain: "domain",
  web_hosting: "hosting/web",
  vps: "vps",
  dedicated_server: "dedicated/server",
  email: "email/domain",
};

/** Our service type behind an OVH service path (`hosting/web`), or null when none is. */
export function serviceTypeOfPath(path: string): ServiceType | null {
  const found = (Object.entries(OVH_SERVICE_PATHS) as [ServiceType, string][]).find(
    ([, ovhPath]) => ovhPath === path,
  );
  return found ? found[0] : null;
}

/** `nichandle.LanguageEnum` values for our languages (OVH writes a locale, `pl_PL`). */
export const OVH_LANGUAGE_OF: Readonly<Record<Language, string>> = {
  en: "en_GB",
  pl: "pl_PL",
};
