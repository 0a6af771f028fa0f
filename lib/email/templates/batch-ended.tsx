import { z } from "zod";
import type { Language } from "@/db/schema";
import { appBaseUrl } from "@/lib/config";
import { defineEmailTemplate, type TemplateComponentProps } from "../define-email-template";
import { accountInWords, appLink, contactTypesInWords, serviceTypeInWords } from "../email-format";
import { ActionLink, EmailLayout, Paragraph } from "../email-layout";
import { accountRefSchema, baseUrlSchema, contactTypesSchema, serviceTypeSchema } from "../props-schemas";
import { REQUEST_OUTCOMES, type RequestOutcome } from "./request-ended";

/** How many of the ended requests the e-mail lists; the rest are counted. */
export const BATCH_ENDED_LISTED = 20;

/**
 * Props of the e-mail telling one person that requests of a bulk hand-over ended, in one e-mail
 * for all of them that ended together (one answer to the batch, one expiry sweep) instead of one
 * per request.
 */
export const batchEndedPropsSchema = z.object({
  batchId: z.number().int().positive(),
  recipientName: z.string().min(1).nullish(),
  /** How many ended, per outcome. */
  counts: z.object(
    Object.fromEntries(REQUEST_OUTCOMES.map((o) => [o, z.number().int().min(0)])) as Record<
      RequestOutcome,
      z.ZodNumber
    >,
  ),
  /** The first of them. */
  ended: z
    .array(
      z.object({
        requestId: z.number().int().positive(),
        serviceName: z.string().min(1),
        serviceType: serviceTypeSchema,
        contactTypes: contactTypesSchema,
        oldContact: accountRefSchema,
        newContact: accountRefSchema,
        outcome: z.enum(REQUEST_OUTCOMES),
      }),
    )
    .max(BATCH_ENDED_LISTED),
  /** Whether the recipient may open the batch's page (the one who asked, a confirmer); else My requests. */
  canOpenBatch: z.boolean(),
  baseUrl: baseUrlSchema,
});
export type BatchEndedEmailProps = z.input<typeof batchEndedPropsSchema>;
type Props = z.output<typeof batchEndedPropsSchema>;

const COPY = {
  en: {
    subject: (id: number, total: number) =>
      `${total === 1 ? "A contact change request" : `${total} contact change requests`} of batch ${id} ended`,
    heading: (id: number) => `Batch ${id}: requests ended`,
    greeting: (name: string) => `Hello ${name},`,
    summary: (parts: string) => `These requests of the batch ended: ${parts}.`,
    outcome: {
      done: (n: number) => `${n} done (the change has been made)`,
      refused: (n: number) => `${n} refused`,
      expired: (n: number) => `${n} expired`,
      cancelled: (n: number) => `${n} cancelled`,
    },
    label: { done: "Done", refused: "Refused", expired: "Expired", cancelled: "Cancelled" },
    line: (label: string, id: number, service: string, types: string, from: string, to: string) =>
      `${label}: request ${id}, ${service}, ${types} — ${from} → ${to}`,
    more: (n: number) => `… and ${n} more.`,
    unchanged: "Where a request was not done, the contacts stay as they are.",
    batchLink: "See the batch",
    listLink: "See My requests",
  },
  pl: {
    subject: (id: number, total: number) => `Zlecenia z pakietu nr ${id} zostały zamknięte (${total})`,
    heading: (id: number) => `Pakiet nr ${id}: zamknięte zlecenia`,
    greeting: (_name: string) => "Dzień dobry,",
    summary: (parts: string) => `Zamknięte zlecenia z pakietu: ${parts}.`,
    outcome: {
      done: (n: number) => `zakończone: ${n} (zmiana została wprowadzona)`,
      refused: (n: number) => `odrzucone: ${n}`,
      expired: (n: number) => `wygasłe: ${n}`,
      cancelled: (n: number) => `anulowane: ${n}`,
    },
    label: { done: "Zakończone", refused: "Odrzucone", expired: "Wygasłe", cancelled: "Anulowane" },
    line: (label: string, id: number, service: string, types: string, from: string, to: string) =>
      `${label}: zlecenie nr ${id}, ${service}, kontakt ${types} — ${from} → ${to}`,
    more: (n: number) => `… oraz pozostałe (${n}).`,
    unchanged: "Tam, gdzie zlecenie nie zostało zakończone, kontakty pozostają bez zmian.",
    batchLink: "Zobacz pakiet",
    listLink: "Zobacz Moje zlecenia",
  },
} satisfies Record<Language, unknown>;

const totalOf = (counts: Props["counts"]) =>
  REQUEST_OUTCOMES.reduce((sum, outcome) => sum + counts[outcome], 0);

/** Subject of the e-mail; synchronous so it can be computed inside a transaction. */
export function batchEndedSubject(props: Pick<Props, "batchId" | "counts">, language: Language): string {
  return COPY[language].subject(props.batchId, totalOf(props.counts));
}

/** The e-mail everyone involved receives when requests of a batch end together. */
export default function BatchEndedEmail(props: TemplateComponentProps<typeof batchEndedPropsSchema>) {
  const { language, batchId, counts } = props;
  const copy = COPY[language];
  const parts = REQUEST_OUTCOMES.filter((outcome) => counts[outcome] > 0)
    .map((outcome) => copy.outcome[outcome](counts[outcome]))
    .join(", ");
  const total = totalOf(counts);
  const path = props.canOpenBatch ? `/requests/batches/${batchId}` : "/requests";
  return (
    <EmailLayout
      language={language}
      preview={batchEndedSubject(props, language)}
      heading={copy.heading(batchId)}
    >
      {props.recipientName ? <Paragraph>{copy.greeting(props.recipientName)}</Paragraph> : null}
      <Paragraph>{copy.summary(parts)}</Paragraph>
      {props.ended.map((item) => (
        <Paragraph key={item.requestId}>
          {copy.line(
            copy.label[item.outcome],
            item.requestId,
            `${item.serviceName} (${serviceTypeInWords(item.serviceType, language)})`,
            contactTypesInWords(item.contactTypes, language),
            accountInWords(item.oldContact),
            accountInWords(item.newContact),
          )}
        </Paragraph>
      ))}
      {total > props.ended.length ? <Paragraph>{copy.more(total - props.ended.length)}</Paragraph> : null}
      {counts.done < total ? <Paragraph>{copy.unchanged}</Paragraph> : null}
      <ActionLink href={appLink(props.baseUrl ?? appBaseUrl(), path)}>
        {props.canOpenBatch ? copy.batchLink : copy.listLink}
      </ActionLink>
    </EmailLayout>
  );
}

BatchEndedEmail.PreviewProps = {
  language: "en",
  batchId: 7,
  recipientName: "Bartosz Wiśniewski",
  counts: { done: 2, refused: 0, expired: 0, cancelled: 0 },
  ended: [
    {
      requestId: 41,
      serviceName: "example.pl",
      serviceType: "domain",
      contactTypes: ["tech"],
      oldContact: { customerId: "bb200002-ovh", name: "Bartosz Wiśniewski" },
      newContact: { customerId: "dd400004-ovh", name: "Dawid Kowalczyk" },
      outcome: "done",
    },
    {
      requestId: 42,
      serviceName: "shop.example.pl",
      serviceType: "web_hosting",
      contactTypes: ["tech"],
      oldContact: { customerId: "bb200002-ovh", name: "Bartosz Wiśniewski" },
      newContact: { customerId: "dd400004-ovh", name: "Dawid Kowalczyk" },
      outcome: "done",
    },
  ],
  canOpenBatch: false,
  baseUrl: "http://localhost:3000",
} satisfies TemplateComponentProps<typeof batchEndedPropsSchema>;

/** The batch-ended template for the registry. */
export const batchEndedTemplate = defineEmailTemplate({
  schema: batchEndedPropsSchema,
  component: BatchEndedEmail,
  subject: batchEndedSubject,
});
