import { z } from "zod";
import type { Language } from "@/db/schema";
import { appBaseUrl } from "@/lib/config";
import { defineEmailTemplate, type TemplateComponentProps } from "../define-email-template";
import { appLink, formatDateTime } from "../email-format";
import { ActionLink, EmailLayout, Paragraph } from "../email-layout";
import { baseUrlSchema, isoDateTimeSchema, secretCodeSchema } from "../props-schemas";

/** Props of the e-mail sent to a new address to confirm it. */
export const emailChangePropsSchema = z.object({
  recipientName: z.string().min(1),
  newEmail: z.email(),
  /** The confirmation token in clear; null once sent through a real provider. */
  code: secretCodeSchema,
  expiresAt: isoDateTimeSchema,
  baseUrl: baseUrlSchema,
});
/** Props as a caller writes them (and as they are stored in the outbox). */
export type EmailChangeEmailProps = z.input<typeof emailChangePropsSchema>;

const COPY = {
  en: {
    subject: "Confirm your new e-mail address",
    greeting: (name: string) => `Hello ${name},`,
    intro: (email: string) => `To use ${email} as the e-mail address of your account, open this link:`,
    link: "Confirm my e-mail address",
    expires: (date: string) => `The link expires on ${date}.`,
    ignore: "If you did not ask for this, ignore this e-mail: your address stays as it is.",
  },
  pl: {
    subject: "Potwierdź nowy adres e-mail",
    greeting: (_name: string) => "Dzień dobry,",
    intro: (email: string) => `Aby adres ${email} stał się adresem e-mail Twojego konta, otwórz ten link:`,
    link: "Potwierdź adres e-mail",
    expires: (date: string) => `Link wygasa ${date}.`,
    ignore: "Jeśli to nie Ty prosisz o zmianę, zignoruj tę wiadomość: obecny adres pozostanie bez zmian.",
  },
} satisfies Record<Language, unknown>;

/** Subject of the e-mail; synchronous so it can be computed inside a transaction. */
export function emailChangeSubject(_props: unknown, language: Language): string {
  return COPY[language].subject;
}

/** The e-mail with the link that confirms a new e-mail address. */
export default function EmailChangeEmail(props: TemplateComponentProps<typeof emailChangePropsSchema>) {
  const { language, code } = props;
  const copy = COPY[language];
  // Without the token (scrubbed after sending) the link can only lead to the profile.
  const path = code === null ? "/profile" : `/profile/confirm-email?token=${encodeURIComponent(code)}`;
  return (
    <EmailLayout language={language} preview={copy.subject} heading={copy.subject}>
      <Paragraph>{copy.greeting(props.recipientName)}</Paragraph>
      <Paragraph>{copy.intro(props.newEmail)}</Paragraph>
      <ActionLink href={appLink(props.baseUrl ?? appBaseUrl(), path)}>{copy.link}</ActionLink>
      <Paragraph>{copy.expires(formatDateTime(props.expiresAt, language))}</Paragraph>
      <Paragraph>{copy.ignore}</Paragraph>
    </EmailLayout>
  );
}

EmailChangeEmail.PreviewProps = {
  language: "en",
  recipientName: "Dawid Kowalczyk",
  newEmail: "dawid.kowalczyk@example.test",
  code: "Zk3p9QeV1mS7xW2bN5tYcH8jR4uA0dLfGiOqE6sTnBw",
  expiresAt: "2026-01-02T12:00:00.000Z",
  baseUrl: "http://localhost:3000",
} satisfies TemplateComponentProps<typeof emailChangePropsSchema>;

/** The email-change template for the registry. */
export const emailChangeTemplate = defineEmailTemplate({
  schema: emailChangePropsSchema,
  component: EmailChangeEmail,
  subject: emailChangeSubject,
});
