import type { ContactType, Language, ServiceType } from "@/db/schema";
import { CONTACT_TYPES } from "@/db/schema";

/** Contact types as they read after "contact" (Polish uses the forms of "kontakt administratora / techniczny"). */
const CONTACT_TYPE_WORDS: Record<Language, Record<ContactType, string>> = {
  en: { admin: "administrator", tech: "technical", billing: "billing" },
  pl: { admin: "administratora", tech: "techniczny", billing: "rozliczeniowy" },
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

/** "administrator and technical" / "administratora i techniczny", always in the schema's order. */
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
 * A date and time in UTC, labelled as such: the recipient's time zone is unknown, and the
 * rendering must not depend on the sending process's zone (a retried send must produce
 * the same message, or Resend rejects the reused idempotency key).
 */
export function formatDateTime(iso: string, language: Language): string {
  const formatted = new Intl.DateTimeFormat(language === "pl" ? "pl-PL" : "en-GB", {
    dateStyle: "long",
    timeStyle: "short",
    timeZone: "UTC",
  }).format(new Date(iso));
  return `${formatted} UTC`;
}

/** "Anna Nowak (aa100001-ovh)". */
export function accountInWords(account: { customerId: string; name: string }): string {
  return `${account.name} (${account.customerId})`;
}

/** Joins a base URL and a path without doubling or losing the slash. */
export function appLink(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, "")}${path}`;
}
