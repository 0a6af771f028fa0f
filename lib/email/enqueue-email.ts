import { randomUUID } from "node:crypto";
import type { Tx } from "@/db/client";
import { type Language, outbox } from "@/db/schema";
import { appBaseUrl } from "@/lib/config";
import { type EmailTemplateName, type EmailTemplateProps, prepareEmail } from "./email-templates";

/** An e-mail to store in the outbox. */
export type EnqueueEmailInput<T extends EmailTemplateName> = {
  to: string;
  toAccountId?: number | null;
  /** The recipient's language. */
  language: Language;
  template: T;
  props: EmailTemplateProps<T>;
  /**
   * What the validation code in `props` belongs to (`request:12`, `email-change:5`), so that
   * `eraseCodes` can erase it once the code is of no use.
   */
  secretRef?: string | null;
  now: Date;
};

/**
 * Stores an e-mail in the outbox, to be sent after the transaction commits (and rolled
 * back with it). Call it inside `db.transaction(async (tx) => …)` with `tx`, and await it.
 * Props are validated here so a mistake fails the action that causes the e-mail rather
 * than a send much later. Returns the row's id and idempotency key.
 */
export async function enqueueEmail<T extends EmailTemplateName>(
  tx: Tx,
  input: EnqueueEmailInput<T>,
): Promise<{ id: number; idempotencyKey: string }> {
  // Fixed now, so every retry renders the same links whatever the sender's environment.
  const props = { ...input.props, baseUrl: input.props.baseUrl ?? appBaseUrl() };
  const prepared = prepareEmail({ template: input.template, props, language: input.language });
  const idempotencyKey = `outbox-${randomUUID()}`;
  const [row] = await tx
    .insert(outbox)
    .values({
      toAddress: input.to,
      toAccountId: input.toAccountId ?? null,
      language: input.language,
      template: input.template,
      props: prepared.props,
      subject: prepared.subject,
      idempotencyKey,
      secretRef: input.secretRef ?? null,
      status: "pending",
      nextAttemptAt: input.now,
      createdAt: input.now,
    })
    .returning({ id: outbox.id });
  if (!row) throw new Error("the outbox insert returned no row");
  return { id: row.id, idempotencyKey };
}
