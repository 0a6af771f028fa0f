import { z } from "zod";
import type { Language } from "@/db/schema";
import { appBaseUrl } from "@/lib/config";
import { defineEmailTemplate, type TemplateComponentProps } from "../define-email-template";
import { accountInWords, appLink, contactTypesInWords, serviceTypeInWords } from "../email-format";
import { ActionLink, Details, EmailLayout, Paragraph } from "../email-layout";
import { accountRefSchema, baseUrlSchema, contactTypesSchema, serviceTypeSchema } from "../props-schemas";

/** How a request ended: every state but `pending`. */
export const REQUEST_OUTCOMES = ["done", "refused", "expired", "cancelled"] as const;
export type RequestOutcome = (typeof REQUEST_OUTCOMES)[number];

/**
 * Reasons a request was cancelled that the e-mail explains in words. Other codes are
 * accepted and get a general sentence, so a new reason never stops an e-mail.
 */
export const KNOWN_END_REASONS = [
  "withdrawn",
  "old_contact_changed",
  "requester_no_longer_allowed",
  "billing_payments_overdue",
  "service_removed",
] as const;
export type KnownEndReason = (typeof KNOWN_END_REASONS)[number];

/** Props of the e-mail telling everyone involved how a request ended. */
export const requestEndedPropsSchema = z.object({
  requestId: z.number().int().positive(),
  serviceName: z.string().min(1),
  serviceType: serviceTypeSchema,
  contactTypes: contactTypesSchema,
  oldContact: accountRefSchema,
  newContact: accountRefSchema,
  outcome: z.enum(REQUEST_OUTCOMES),
  /** The reason code of a cancellation (`withdrawn`, `old_contact_changed`, …). */
  reason: z.string().min(1).nullish(),
  /** Who refused or withdrew it, when a person did. */
  actor: accountRefSchema.nullish(),
  /** The recipient's name, for the greeting. */
  recipientName: z.string().min(1).nullish(),
  baseUrl: baseUrlSchema,
});
/** Props as a caller writes them (and as they are stored in the outbox). */
export type RequestEndedEmailProps = z.input<typeof requestEndedPropsSchema>;
type Props = z.output<typeof requestEndedPropsSchema>;

function isKnownReason(reason: string | null | undefined): reason is KnownEndReason {
  return (KNOWN_END_REASONS as readonly (string | null | undefined)[]).includes(reason);
}

const COPY = {
  en: {
    subject: {
      done: (id: number, service: string) => `Contact change request ${id} for ${service} is done`,
      refused: (id: number, service: string) => `Contact change request ${id} for ${service} was refused`,
      expired: (id: number, service: string) => `Contact change request ${id} for ${service} has expired`,
      cancelled: (id: number, service: string) => `Contact change request ${id} for ${service} was cancelled`,
    },
    label: { done: "Done", refused: "Refused", expired: "Expired", cancelled: "Cancelled" },
    heading: (id: number, label: string) => `Request ${id}: ${label}`,
    greeting: (name: string) => `Hello ${name},`,
    service: "Service",
    contact: (count: number) => (count > 1 ? "Contacts" : "Contact"),
    from: "Previous contact",
    to: "New contact",
    done: (newContact: string) =>
      `Everyone asked has confirmed and the change has been made: ${newContact} is now the contact.`,
    refused: (actor: string | null) =>
      actor
        ? `${actor} refused the request, so the contacts stay as they are.`
        : "One of the people asked refused the request, so the contacts stay as they are.",
    expired:
      "Not everyone asked confirmed the request in time, so it expired and the contacts stay as they are.",
    cancelled: {
      withdrawn: (actor: string | null) =>
        `The request was withdrawn${actor ? ` by ${actor}` : ""}, so the contacts stay as they are.`,
      old_contact_changed: () =>
        "The contact changed in the meantime, so the request no longer applied and was cancelled.",
      requester_no_longer_allowed: () =>
        "The account that asked no longer holds the role that allowed the change, so the request was cancelled.",
      billing_payments_overdue: () =>
        "The change could not be made because a billing contact concerned is behind with payments, so the request was cancelled.",
      service_removed: () =>
        "The service has been removed by the provider, so the request was cancelled and nothing was changed.",
      other: () => "The request was cancelled because it is no longer valid; the contacts stay as they are.",
    },
    link: "See the request",
  },
  pl: {
    subject: {
      done: (id: number, service: string) => `Zlecenie nr ${id} dla usługi ${service} zostało zakończone`,
      refused: (id: number, service: string) => `Zlecenie nr ${id} dla usługi ${service} zostało odrzucone`,
      expired: (id: number, service: string) => `Zlecenie nr ${id} dla usługi ${service} wygasło`,
      cancelled: (id: number, service: string) => `Zlecenie nr ${id} dla usługi ${service} zostało anulowane`,
    },
    // The labels of the request's page (Requests.states), one word per state everywhere.
    label: { done: "Zakończone", refused: "Odrzucone", expired: "Wygasłe", cancelled: "Anulowane" },
    heading: (id: number, label: string) => `Zlecenie nr ${id}: ${label}`,
    greeting: (_name: string) => "Dzień dobry,",
    service: "Usługa",
    contact: (count: number) => (count > 1 ? "Rodzaje kontaktów" : "Rodzaj kontaktu"),
    from: "Poprzedni kontakt",
    to: "Nowy kontakt",
    done: (newContact: string) =>
      `Wszystkie wskazane osoby potwierdziły zlecenie i zmiana została wprowadzona. Nowy kontakt: ${newContact}.`,
    refused: (actor: string | null) =>
      actor
        ? `Zlecenie odrzucone przez: ${actor}; kontakty pozostają bez zmian.`
        : "Jedna ze wskazanych osób odrzuciła zlecenie; kontakty pozostają bez zmian.",
    expired:
      "Nie wszystkie wskazane osoby potwierdziły zlecenie w terminie, więc zlecenie wygasło, a kontakty pozostają bez zmian.",
    cancelled: {
      withdrawn: (actor: string | null) =>
        actor
          ? `Zlecenie wycofane przez: ${actor}; kontakty pozostają bez zmian.`
          : "Zlecenie zostało wycofane; kontakty pozostają bez zmian.",
      old_contact_changed: () =>
        "Kontakt do zmiany zmienił się w międzyczasie, więc zlecenie stało się nieaktualne i zostało anulowane.",
      requester_no_longer_allowed: () =>
        "Konto, z którego złożono zlecenie, nie pełni już roli pozwalającej na tę zmianę, więc zlecenie zostało anulowane.",
      billing_payments_overdue: () =>
        "Zmiany nie można było wprowadzić, ponieważ jedno z kont, których dotyczy zlecenie, ma nieuregulowaną fakturę, więc zlecenie zostało anulowane.",
      service_removed: () =>
        "Usługa została usunięta przez dostawcę, więc zlecenie zostało anulowane i nic nie zostało zmienione.",
      other: () =>
        "Zlecenie zostało anulowane, ponieważ przestało być aktualne; kontakty pozostają bez zmian.",
    },
    link: "Zobacz zlecenie",
  },
} satisfies Record<Language, unknown>;

/** Subject of the e-mail; synchronous so it can be computed inside a transaction. */
export function requestEndedSubject(
  props: Pick<Props, "requestId" | "serviceName" | "outcome">,
  language: Language,
): string {
  return COPY[language].subject[props.outcome](props.requestId, props.serviceName);
}

function whatHappened(props: Props, language: Language): string {
  const copy = COPY[language];
  const actor = props.actor ? accountInWords(props.actor) : null;
  switch (props.outcome) {
    case "done":
      return copy.done(accountInWords(props.newContact));
    case "refused":
      return copy.refused(actor);
    case "expired":
      return copy.expired;
    case "cancelled":
      return isKnownReason(props.reason) ? copy.cancelled[props.reason](actor) : copy.cancelled.other();
  }
}

/** The e-mail everyone involved receives when a request is done, refused, expired or cancelled. */
export default function RequestEndedEmail(props: TemplateComponentProps<typeof requestEndedPropsSchema>) {
  const { language, requestId } = props;
  const copy = COPY[language];
  const count = props.contactTypes.length;
  return (
    <EmailLayout
      language={language}
      preview={requestEndedSubject(props, language)}
      heading={copy.heading(requestId, copy.label[props.outcome])}
    >
      {props.recipientName ? <Paragraph>{copy.greeting(props.recipientName)}</Paragraph> : null}
      <Paragraph>{whatHappened(props, language)}</Paragraph>
      <Details
        rows={[
          [copy.service, `${props.serviceName} (${serviceTypeInWords(props.serviceType, language)})`],
          [copy.contact(count), contactTypesInWords(props.contactTypes, language)],
          [copy.from, accountInWords(props.oldContact)],
          [copy.to, accountInWords(props.newContact)],
        ]}
      />
      <ActionLink href={appLink(props.baseUrl ?? appBaseUrl(), `/requests/${requestId}`)}>
        {copy.link}
      </ActionLink>
    </EmailLayout>
  );
}

RequestEndedEmail.PreviewProps = {
  language: "en",
  requestId: 42,
  serviceName: "example.pl",
  serviceType: "domain",
  contactTypes: ["tech", "billing"],
  oldContact: { customerId: "bb200002-ovh", name: "Bartosz Wiśniewski" },
  newContact: { customerId: "dd400004-ovh", name: "Dawid Kowalczyk" },
  outcome: "cancelled",
  reason: "withdrawn",
  actor: { customerId: "aa100001-ovh", name: "Anna Nowak" },
  recipientName: "Bartosz Wiśniewski",
  baseUrl: "http://localhost:3000",
} satisfies TemplateComponentProps<typeof requestEndedPropsSchema>;

/** The request-ended template for the registry. */
export const requestEndedTemplate = defineEmailTemplate({
  schema: requestEndedPropsSchema,
  component: RequestEndedEmail,
  subject: requestEndedSubject,
});
