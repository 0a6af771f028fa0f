import type { ContactType, Language, ServiceType } from "@/db/schema";
import { CONTACT_TYPES } from "@/db/schema";
import { appTimeZone } from "@/lib/config";

/** Contact types as they read with "contact" (OVH's "kontakt administracyjny / techniczny / księgowy"). */
const CONTACT_TYPE_WORDS: Record<Language, Record<ContactType, string>> = {
  en: { admin: "administrator", tech: "technical", billing: "billing" },
  pl: { admin: "administracyjny", tech: "techniczny", billing: "księgowy" },
};

const SERVICE_TYPE_WORDS: Record<Language, Record<ServiceType, string>> = {
  en: {
    domain: "domain",
    web_hosting: "web hosting",
    vps: "VPS",
    dedicated_server: "dedicated server",
    email: "e-mail",
  },
  pl: {
    domain: "domena",
    web_hosting: "hosting WWW",
    vps: "VPS",
    dedicated_server: "serwer dedykowany",
    email: "poczta e-mail",
  },
};

/** "administrator and technical" / "administracyjny i techniczny", always in the schema's order. */
export function contactTypesInWords(types: readonly ContactType[], language: Language): string {
  const words = CONTACT_TYPES.filter((type) => types.includes(type)).map(
    (type) => CONTACT_TYPE_WORDS[language][type],
  );
  return new Intl.ListFormat(language, { type: "conjunction" }).format(words);
}

/** The kind of service in the recipient's language. */
export function serviceTypeInWords(type: ServiceType, language: Language): string {
  return SERVICE_TYPE_WORDS[language][type];
}

/**
 * A date and time in the app's zone (APP_TIME_ZONE, the one the pages use, so an e-mail and the
 * page it links to agree), in the recipient's language, with the zone's name. Never the sending
 * process's own zone: a retried send must produce the same message, or Resend rejects the
 * reused idempotency key.
 */
export function formatDateTime(iso: string, language: Language, timeZone = appTimeZone()): string {
  const formatted = new Intl.DateTimeFormat(language === "pl" ? "pl-PL" : "en-GB", {
    dateStyle: "long",
    timeStyle: "short",
    timeZone,
  }).format(new Date(iso));
  return `${formatted} (${timeZoneName(iso, language, timeZone)})`;
}

/** "CET", "CEST", "UTC"…: the short name of the zone at that moment. */
function timeZoneName(iso: string, language: Language, timeZone: string): string {
  const parts = new Intl.DateTimeFormat(language === "pl" ? "pl-PL" : "en-GB", {
    timeZone,
    timeZoneName: "short",
  }).formatToParts(new Date(iso));
  return parts.find((part) => part.type === "timeZoneName")?.value ?? timeZone;
}

/** "Anna Nowak (aa100001-ovh)". */
export function accountInWords(account: { customerId: string; name: string }): string {
  return `${account.name} (${account.customerId})`;
}

/** Joins a base URL and a path without doubling or losing the slash. */
export function appLink(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, "")}${path}`;
}
