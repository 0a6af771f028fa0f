import type { z } from "zod";
import type { Language } from "@/db/schema";
import type { PreparedEmail } from "./define-email-template";
import { batchEndedTemplate } from "./templates/batch-ended";
import { changeRequestTemplate } from "./templates/change-request";
import { changeRequestBatchTemplate } from "./templates/change-request-batch";
import { emailChangeTemplate } from "./templates/email-change";
import { requestEndedTemplate } from "./templates/request-ended";

/** Every e-mail the app sends: template name → { schema, component, subject(props, language) }. */
export const EMAIL_TEMPLATES = {
  "change-request": changeRequestTemplate,
  "change-request-batch": changeRequestBatchTemplate,
  "request-ended": requestEndedTemplate,
  "batch-ended": batchEndedTemplate,
  "email-change": emailChangeTemplate,
} as const;

/** The name stored in `outbox.template`. */
export type EmailTemplateName = keyof typeof EMAIL_TEMPLATES;

/** The props a caller passes for a template (optional fields may be left out). */
export type EmailTemplateProps<T extends EmailTemplateName> = z.input<(typeof EMAIL_TEMPLATES)[T]["schema"]>;

/** Whether a stored string names a template. */
export function isEmailTemplateName(name: string): name is EmailTemplateName {
  return Object.hasOwn(EMAIL_TEMPLATES, name);
}

/** Thrown when a template does not exist or its props do not validate: retrying cannot help. */
export class EmailPropsError extends Error {
  override name = "EmailPropsError";
}

/**
 * Validates props for a template and binds them to its component, without rendering
 * (which is asynchronous). Throws `EmailPropsError`.
 */
export function prepareEmail(input: { template: string; props: unknown; language: Language }) {
  if (!isEmailTemplateName(input.template)) {
    throw new EmailPropsError(`unknown e-mail template "${input.template}"`);
  }
  const prepared: PreparedEmail = EMAIL_TEMPLATES[input.template].prepare(input.props, input.language);
  if (!prepared.ok) {
    throw new EmailPropsError(`invalid props for e-mail template "${input.template}": ${prepared.issues}`);
  }
  return prepared;
}
