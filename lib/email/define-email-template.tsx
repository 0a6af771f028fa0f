import type { ReactElement } from "react";
import type { z } from "zod";
import type { Language } from "@/db/schema";

/** What a template's component receives: its validated props and the recipient's language. */
export type TemplateComponentProps<S extends z.ZodType> = z.output<S> & { language: Language };

/** An e-mail template: props schema, React component and a synchronous subject. */
export interface EmailTemplate<S extends z.ZodType<Record<string, unknown>>> {
  /** Validates stored props (they come back from a JSON column). */
  schema: S;
  component: (props: TemplateComponentProps<S>) => ReactElement;
  /** Synchronous and cheap: `enqueueEmail` computes it inside the transaction that stores the e-mail. */
  subject: (props: z.output<S>, language: Language) => string;
}

/** The outcome of validating stored props, with the typing erased for the registry's callers. */
export type PreparedEmail =
  | { ok: true; props: Record<string, unknown>; subject: string; element: ReactElement }
  | { ok: false; issues: string };

/** A template plus `prepare`, which validates untyped props and binds them to the component. */
export type DefinedEmailTemplate<S extends z.ZodType<Record<string, unknown>>> = EmailTemplate<S> & {
  prepare: (rawProps: unknown, language: Language) => PreparedEmail;
};

/**
 * Defines a template. `prepare` keeps schema, component and subject checked against one
 * another here, so the registry can hold templates of different prop types side by side.
 */
export function defineEmailTemplate<S extends z.ZodType<Record<string, unknown>>>(
  template: EmailTemplate<S>,
): DefinedEmailTemplate<S> {
  return {
    ...template,
    prepare(rawProps, language) {
      const parsed = template.schema.safeParse(rawProps);
      if (!parsed.success) {
        return {
          ok: false,
          issues: parsed.error.issues.map((i) => `${i.path.join(".") || "props"}: ${i.message}`).join("; "),
        };
      }
      const props = parsed.data;
      const Component = template.component;
      return {
        ok: true,
        props,
        subject: template.subject(props, language),
        element: <Component {...props} language={language} />,
      };
    },
  };
}
