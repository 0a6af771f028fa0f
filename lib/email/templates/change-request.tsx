import { z } from "zod";
import type { Language } from "@/db/schema";
import { appBaseUrl } from "@/lib/config";
import { defineEmailTemplate, type TemplateComponentProps } from "../define-email-template";
import {
  accountInWords,
  appLink,
  contactTypesInWords,
  formatDateTime,
  serviceTypeInWords,
} from "../email-format";
import { ActionLink, CodeBlock, Details, EmailLayout, Paragraph } from "../email-layout";
import {
  accountRefSchema,
  baseUrlSchema,
  contactTypesSchema,
  isoDateTimeSchema,
  secretCodeSchema,
  serviceTypeSchema,
} from "../props-schemas";

/** Props of the e-mail asking one confirmer to confirm or refuse a contact change request. */
export const changeRequestPropsSchema = z.object({
  requestId: z.number().int().positive(),
  serviceName: z.string().min(1),
  serviceType: serviceTypeSchema,
  contactTypes: contactTypesSchema,
  oldContact: accountRefSchema,
  newContact: accountRefSchema,
  requestedBy: accountRefSchema,
  /** The confirmer: the code only works for this signed-in account. */
  recipient: accountRefSchema,
  /** The recipient's validation code in clear; null once sent through a real provider. */
  code: secretCodeSchema,
  expiresAt: isoDateTimeSchema,
  /** Sent again by "Resend request": the earlier code no longer works. */
  isResend: z.boolean().optional(),
  baseUrl: baseUrlSchema,
});
/** Props as a caller writes them (and as they are stored in the outbox). */
export type ChangeRequestEmailProps = z.input<typeof changeRequestPropsSchema>;

const COPY = {
  en: {
    subject: (service: string, id: number) =>
      `Confirm or refuse the contact change for ${service} (request ${id})`,
    preview: (service: string) => `A contact change for ${service} needs your answer`,
    heading: (id: number) => `Contact change request ${id}`,
    greeting: (name: string) => `Hello ${name},`,
    intro: (requester: string, types: string, count: number, service: string) =>
      `${requester} asks to change the ${types} contact${count > 1 ? "s" : ""} of ${service}.`,
    ownIntro: (types: string, count: number, service: string) =>
      `Your request to change the ${types} contact${count > 1 ? "s" : ""} of ${service} has been registered and needs your confirmation too.`,
    service: "Service",
    contact: (count: number) => (count > 1 ? "Contacts" : "Contact"),
    from: "Current contact",
    to: "New contact",
    requestedBy: "Requested by",
    resent: "This e-mail replaces the one sent earlier: the previous code no longer works.",
    codeIntro: "Your answer is needed. Your validation code:",
    codeGone: "[sent]",
    signInAs: (customerId: string) => `The code only works when you are signed in as ${customerId}.`,
    link: "Confirm or refuse the request",
    nothingChanges:
      "Nothing changes until everyone asked has confirmed. If you did not expect this request, refuse it: the contacts then stay as they are.",
    expires: (date: string) => `The request expires on ${date}; after that it is closed without any change.`,
  },
  pl: {
    subject: (service: string, id: number) =>
      `Potwierdź lub odrzuć zmianę kontaktu usługi ${service} (zlecenie nr ${id})`,
    preview: (service: string) => `Zmiana kontaktu usługi ${service} czeka na Twoją odpowiedź`,
    heading: (id: number) => `Zlecenie zmiany kontaktu nr ${id}`,
    // A bare "Dzień dobry," is how Polish e-mails open: a name would need its vocative.
    greeting: (_name: string) => "Dzień dobry,",
    intro: (requester: string, _types: string, count: number, service: string) =>
      `Zlecenie zmiany ${count > 1 ? "kontaktów" : "kontaktu"} usługi ${service} złożone przez: ${requester} czeka na Twoją odpowiedź.`,
    ownIntro: (_types: string, count: number, service: string) =>
      `Twoje zlecenie zmiany ${count > 1 ? "kontaktów" : "kontaktu"} usługi ${service} zostało zarejestrowane i czeka również na Twoje potwierdzenie.`,
    service: "Usługa",
    contact: (count: number) => (count > 1 ? "Rodzaje kontaktów" : "Rodzaj kontaktu"),
    from: "Kontakt do zmiany",
    to: "Wybrany kontakt",
    requestedBy: "Złożone przez",
    resent: "Ta wiadomość zastępuje wysłaną wcześniej: poprzedni kod już nie działa.",
    codeIntro: "Potrzebna jest Twoja odpowiedź. Twój kod potwierdzający:",
    codeGone: "[wysłano]",
    signInAs: (customerId: string) => `Kod działa tylko po zalogowaniu na konto ${customerId}.`,
    link: "Potwierdź lub odrzuć zlecenie",
    nothingChanges:
      "Nic się nie zmieni, dopóki wszystkie wskazane osoby nie potwierdzą zlecenia. Jeśli nie spodziewasz się tego zlecenia, odrzuć je: kontakty pozostaną wtedy bez zmian.",
    expires: (date: string) =>
      `Zlecenie wygaśnie ${date}; po tym terminie zostanie zamknięte bez wprowadzania zmian.`,
  },
} satisfies Record<Language, unknown>;

/** Subject of the e-mail; synchronous so it can be computed inside a transaction. */
export function changeRequestSubject(props: { serviceName: string; requestId: number }, language: Language) {
  return COPY[language].subject(props.serviceName, props.requestId);
}

/** The e-mail a confirmer receives when a request is created or resent. */
export default function ChangeRequestEmail(props: TemplateComponentProps<typeof changeRequestPropsSchema>) {
  const { language, requestId, code } = props;
  const copy = COPY[language];
  const service = `${props.serviceName} (${serviceTypeInWords(props.serviceType, language)})`;
  const count = props.contactTypes.length;
  const types = contactTypesInWords(props.contactTypes, language);
  const requestPath = `/requests/${requestId}`;
  // Without the code (scrubbed after sending) the link still leads to the request.
  const href = appLink(
    props.baseUrl ?? appBaseUrl(),
    code === null ? requestPath : `${requestPath}?token=${encodeURIComponent(code)}`,
  );
  return (
    <EmailLayout
      language={language}
      preview={copy.preview(props.serviceName)}
      heading={copy.heading(requestId)}
    >
      <Paragraph>{copy.greeting(props.recipient.name)}</Paragraph>
      <Paragraph>
        {/* The one who asked is told it is their own request, not their own name asking them. */}
        {props.recipient.customerId === props.requestedBy.customerId
          ? copy.ownIntro(types, count, service)
          : copy.intro(accountInWords(props.requestedBy), types, count, service)}
      </Paragraph>
      <Details
        rows={[
          [copy.service, service],
          [copy.contact(count), types],
          [copy.from, accountInWords(props.oldContact)],
          [copy.to, accountInWords(props.newContact)],
          [copy.requestedBy, accountInWords(props.requestedBy)],
        ]}
      />
      {props.isResend ? <Paragraph>{copy.resent}</Paragraph> : null}
      <Paragraph>{copy.codeIntro}</Paragraph>
      <CodeBlock>{code ?? copy.codeGone}</CodeBlock>
      <Paragraph>{copy.signInAs(props.recipient.customerId)}</Paragraph>
      <ActionLink href={href}>{copy.link}</ActionLink>
      <Paragraph>{copy.nothingChanges}</Paragraph>
      <Paragraph>{copy.expires(formatDateTime(props.expiresAt, language))}</Paragraph>
    </EmailLayout>
  );
}

ChangeRequestEmail.PreviewProps = {
  language: "en",
  requestId: 42,
  serviceName: "example.pl",
  serviceType: "domain",
  contactTypes: ["tech"],
  oldContact: { customerId: "bb200002-ovh", name: "Bartosz Wiśniewski" },
  newContact: { customerId: "dd400004-ovh", name: "Dawid Kowalczyk" },
  requestedBy: { customerId: "aa100001-ovh", name: "Anna Nowak" },
  recipient: { customerId: "dd400004-ovh", name: "Dawid Kowalczyk" },
  code: "q3XbW9yJm1t0cLrA5nV8pKs2dGhEfU7iOzY4wRjTxQk",
  expiresAt: "2026-01-15T09:30:00.000Z",
  baseUrl: "http://localhost:3000",
} satisfies TemplateComponentProps<typeof changeRequestPropsSchema>;

/** The change-request template for the registry. */
export const changeRequestTemplate = defineEmailTemplate({
  schema: changeRequestPropsSchema,
  component: ChangeRequestEmail,
  subject: changeRequestSubject,
});
