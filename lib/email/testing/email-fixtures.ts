import type { ChangeRequestEmailProps } from "../templates/change-request";
import type { EmailChangeEmailProps } from "../templates/email-change";
import type { RequestEndedEmailProps } from "../templates/request-ended";

export const BASE_URL = "http://localhost:3000";

/** A change-request e-mail to Dawid, the new technical contact, with a recognisable code. */
export function changeRequestProps(
  overrides: Partial<ChangeRequestEmailProps> = {},
): ChangeRequestEmailProps {
  return {
    requestId: 17,
    serviceName: "example.pl",
    serviceType: "domain",
    contactTypes: ["tech"],
    oldContact: { customerId: "bb200002-ovh", name: "Bartosz Wiśniewski" },
    newContact: { customerId: "dd400004-ovh", name: "Dawid Kowalczyk" },
    requestedBy: { customerId: "aa100001-ovh", name: "Anna Nowak" },
    recipient: { customerId: "dd400004-ovh", name: "Dawid Kowalczyk" },
    code: "Tok3n_-abcDEF0123456789xyzXYZ0123456789abcd",
    expiresAt: "2026-01-15T09:30:00.000Z",
    baseUrl: BASE_URL,
    ...overrides,
  };
}

export function requestEndedProps(overrides: Partial<RequestEndedEmailProps> = {}): RequestEndedEmailProps {
  return {
    requestId: 17,
    serviceName: "example.pl",
    serviceType: "domain",
    contactTypes: ["tech"],
    oldContact: { customerId: "bb200002-ovh", name: "Bartosz Wiśniewski" },
    newContact: { customerId: "dd400004-ovh", name: "Dawid Kowalczyk" },
    outcome: "done",
    baseUrl: BASE_URL,
    ...overrides,
  };
}

export function emailChangeProps(overrides: Partial<EmailChangeEmailProps> = {}): EmailChangeEmailProps {
  return {
    recipientName: "Dawid Kowalczyk",
    newEmail: "dawid.new@example.test",
    code: "EmailTok3n_-0123456789abcdefghijABCDEFGHIJ0",
    expiresAt: "2026-01-02T12:00:00.000Z",
    baseUrl: BASE_URL,
    ...overrides,
  };
}

/** The links of an HTML e-mail: href (entities decoded) and visible text (tags and comments removed). */
export function linksOf(html: string): Array<{ href: string; text: string }> {
  const decode = (s: string) =>
    s.replaceAll("&amp;", "&").replaceAll("&quot;", '"').replaceAll("&#x27;", "'").replaceAll("&lt;", "<");
  return [...html.matchAll(/<a\b[^>]*\bhref="([^"]*)"[^>]*>([\s\S]*?)<\/a>/g)].map((m) => ({
    href: decode(m[1] ?? ""),
    text: decode((m[2] ?? "").replace(/<!--[\s\S]*?-->/g, "").replace(/<[^>]+>/g, "")).trim(),
  }));
}
