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
import { ActionLink, CodeBlock, EmailLayout, Paragraph } from "../email-layout";
import {
  accountRefSchema,
  baseUrlSchema,
  contactTypesSchema,
  isoDateTimeSchema,
  secretCodeSchema,
  serviceTypeSchema,
} from "../props-schemas";

/** How many of a batch's changes the e-mail lists; the batch page shows them all. */
export const BATCH_EMAIL_LISTED = 20;

/** Props of the e-mail giving one confirmer one code for every request of a bulk hand-over that waits for them. */
export const changeRequestBatchPropsSchema = z.object({
  batchId: z.number().int().positive(),
  requestedBy: accountRefSchema,
  /** The confirmer: the code only works for this signed-in account. */
  recipient: accountRefSchema,
  /** How many requests of the batch wait for the recipient's answer. */
  requestCount: z.number().int().positive(),
  /** The first of them, at most BATCH_EMAIL_LISTED. */
  changes: z
    .array(
      z.object({
        serviceName: z.string().min(1),
        serviceType: serviceTypeSchema,
        contactTypes: contactTypesSchema,
        oldContact: accountRefSchema,
        newContact: accountRefSchema,
      }),
    )
    .max(BATCH_EMAIL_LISTED),
  /** The recipient's validation code in clear; null once sent through a real provider. */
  code: secretCodeSchema,
  expiresAt: isoDateTimeSchema,
  /** Sent again by "Resend request": the earlier code no longer works. */
  isResend: z.boolean().optional(),
  baseUrl: baseUrlSchema,
});
/** Props as a caller writes them (and as they are stored in the outbox). */
export type ChangeRequestBatchEmailProps = z.input<typeof changeRequestBatchPropsSchema>;

const COPY = {
  en: {
    subject: (count: number, id: number) =>
      `Confirm or refuse ${count === 1 ? "a contact change" : `${count} contact changes`} (batch ${id})`,
    preview: (count: number) =>
      `${count === 1 ? "A contact change needs" : `${count} contact changes need`} your answer`,
    heading: (id: number) => `Contact changes, batch ${id}`,
    greeting: (name: string) => `Hello ${name},`,
    intro: (requester: string, count: number) =>
      `${requester} asks for ${count === 1 ? "a contact change" : `contact changes on ${count} services`} in one go.`,
    ownIntro: (count: number) =>
      `Your ${count === 1 ? "request" : `${count} requests`} to change contacts ${count === 1 ? "has" : "have"} been registered and ${count === 1 ? "needs" : "need"} your confirmation too.`,
    change: (service: string, types: string, from: string, to: string) =>
      `${service}: ${types} — ${from} → ${to}`,
    more: (count: number) => `… and ${count} more, listed on the batch's page.`,
    resent: "This e-mail replaces the one sent earlier: the previous code no longer works.",
    codeIntro: "One validation code answers all of them:",
    codeGone: "[sent]",
    signInAs: (customerId: string) => `The code only works when you are signed in as ${customerId}.`,
    link: "Confirm or refuse the requests",
    eachOne:
      "On that page you can accept or refuse all of them at once, or service by service. Nothing changes until everyone asked has confirmed.",
    expires: (date: string) =>
      `The requests expire on ${date}; after that they are closed without any change.`,
  },
  pl: {
    subject: (count: number, id: number) =>
      `Potwierdź lub odrzuć zmiany kontaktów (${count}, pakiet nr ${id})`,
    preview: (count: number) => `Zmiany kontaktów czekają na Twoją odpowiedź (${count})`,
    heading: (id: number) => `Zmiany kontaktów, pakiet nr ${id}`,
    greeting: (_name: string) => "Dzień dobry,",
    intro: (requester: string, count: number) =>
      `Zlecenia zmiany kontaktów złożone jednocześnie przez: ${requester} (liczba usług: ${count}) czekają na Twoją odpowiedź.`,
    ownIntro: (count: number) =>
      `Twoje zlecenia zmiany kontaktów (liczba: ${count}) zostały zarejestrowane i czekają również na Twoje potwierdzenie.`,
    change: (service: string, types: string, from: string, to: string) =>
      `${service}: kontakt ${types} — ${from} → ${to}`,
    more: (count: number) => `… oraz pozostałe (${count}) na stronie pakietu.`,
    resent: "Ta wiadomość zastępuje wysłaną wcześniej: poprzedni kod już nie działa.",
    codeIntro: "Jeden kod potwierdzający obejmuje wszystkie zlecenia:",
    codeGone: "[wysłano]",
    signInAs: (customerId: string) => `Kod działa tylko po zalogowaniu na konto ${customerId}.`,
    link: "Potwierdź lub odrzuć zlecenia",
    eachOne:
      "Na tej stronie możesz zatwierdzić lub odrzucić wszystkie zlecenia naraz albo każdą usługę osobno. Nic się nie zmieni, dopóki wszystkie wskazane osoby nie potwierdzą zleceń.",
    expires: (date: string) =>
      `Zlecenia wygasną ${date}; po tym terminie zostaną zamknięte bez wprowadzania zmian.`,
  },
} satisfies Record<Language, unknown>;

/** Subject of the e-mail; synchronous so it can be computed inside a transaction. */
export function changeRequestBatchSubject(
  props: { requestCount: number; batchId: number },
  language: Language,
) {
  return COPY[language].subject(props.requestCount, props.batchId);
}

/** The e-mail a confirmer receives when a batch is registered or its code is sent again. */
export default function ChangeRequestBatchEmail(
  props: TemplateComponentProps<typeof changeRequestBatchPropsSchema>,
) {
  const { language, batchId, code, requestCount } = props;
  const copy = COPY[language];
  const batchPath = `/requests/batches/${batchId}`;
  // Without the code (scrubbed after sending) the link still leads to the batch.
  const href = appLink(
    props.baseUrl ?? appBaseUrl(),
    code === null ? batchPath : `${batchPath}?token=${encodeURIComponent(code)}`,
  );
  return (
    <EmailLayout language={language} preview={copy.preview(requestCount)} heading={copy.heading(batchId)}>
      <Paragraph>{copy.greeting(props.recipient.name)}</Paragraph>
      <Paragraph>
        {props.recipient.customerId === props.requestedBy.customerId
          ? copy.ownIntro(requestCount)
          : copy.intro(accountInWords(props.requestedBy), requestCount)}
      </Paragraph>
      {props.changes.map((change) => (
        <Paragraph key={`${change.serviceType}/${change.serviceName}`}>
          {copy.change(
            `${change.serviceName} (${serviceTypeInWords(change.serviceType, language)})`,
            contactTypesInWords(change.contactTypes, language),
            accountInWords(change.oldContact),
            accountInWords(change.newContact),
          )}
        </Paragraph>
      ))}
      {requestCount > props.changes.length ? (
        <Paragraph>{copy.more(requestCount - props.changes.length)}</Paragraph>
      ) : null}
      {props.isResend ? <Paragraph>{copy.resent}</Paragraph> : null}
      <Paragraph>{copy.codeIntro}</Paragraph>
      <CodeBlock>{code ?? copy.codeGone}</CodeBlock>
      <Paragraph>{copy.signInAs(props.recipient.customerId)}</Paragraph>
      <ActionLink href={href}>{copy.link}</ActionLink>
      <Paragraph>{copy.eachOne}</Paragraph>
      <Paragraph>{copy.expires(formatDateTime(props.expiresAt, language))}</Paragraph>
    </EmailLayout>
  );
}

ChangeRequestBatchEmail.PreviewProps = {
  language: "en",
  batchId: 7,
  requestedBy: { customerId: "aa100001-ovh", name: "Anna Nowak" },
  recipient: { customerId: "dd400004-ovh", name: "Dawid Kowalczyk" },
  requestCount: 2,
  changes: [
    {
      serviceName: "example.pl",
      serviceType: "domain",
      contactTypes: ["tech"],
      oldContact: { customerId: "bb200002-ovh", name: "Bartosz Wiśniewski" },
      newContact: { customerId: "dd400004-ovh", name: "Dawid Kowalczyk" },
    },
    {
      serviceName: "shop.example.pl",
      serviceType: "web_hosting",
      contactTypes: ["tech"],
      oldContact: { customerId: "bb200002-ovh", name: "Bartosz Wiśniewski" },
      newContact: { customerId: "dd400004-ovh", name: "Dawid Kowalczyk" },
    },
  ],
  code: "q3XbW9yJm1t0cLrA5nV8pKs2dGhEfU7iOzY4wRjTxQk",
  expiresAt: "2026-01-15T09:30:00.000Z",
  baseUrl: "http://localhost:3000",
} satisfies TemplateComponentProps<typeof changeRequestBatchPropsSchema>;

/** The batch template for the registry. */
export const changeRequestBatchTemplate = defineEmailTemplate({
  schema: changeRequestBatchPropsSchema,
  component: ChangeRequestBatchEmail,
  subject: changeRequestBatchSubject,
});
