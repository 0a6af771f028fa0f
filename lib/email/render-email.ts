import { render, toPlainText } from "@react-email/components";
import { z } from "zod";
import { LANGUAGES, type Language } from "@/db/schema";
import { EmailPropsError, prepareEmail } from "./email-templates";

/** A message ready for a transport. */
export type RenderedEmail = { subject: string; html: string; text: string };

const languageSchema = z.enum(LANGUAGES);

// Headings keep their case in the text part: upper-cased Polish reads as shouting.
const PLAIN_TEXT_OPTIONS = { selectors: [{ selector: "h1", options: { uppercase: false } }] };

/**
 * Renders an e-mail to its subject, HTML and plain text. Takes the template name and
 * props loosely typed because they usually come back from an outbox row; they are
 * validated with the template's zod schema. Throws `EmailPropsError` when they do not fit.
 */
export async function renderEmail(input: {
  template: string;
  props: unknown;
  language: Language;
}): Promise<RenderedEmail> {
  const language = languageSchema.safeParse(input.language);
  if (!language.success) throw new EmailPropsError(`unknown e-mail language "${String(input.language)}"`);
  const { subject, element } = prepareEmail({ ...input, language: language.data });
  const html = await render(element);
  // Derived from the HTML rather than rendered twice: the same markup, half the work.
  return { subject, html, text: toPlainText(html, PLAIN_TEXT_OPTIONS) };
}
