import type { Tx } from "@/db/client";
import type { Account } from "@/db/schema";
import { enqueueEmail } from "@/lib/email/enqueue-email";
import { personRef, type RequestContext } from "./request-context";

/** What the validation codes of a request's e-mails belong to (`outbox.secretRef`). */
export function requestSecretRef(requestId: number): string {
  return `request:${requestId}`;
}

/** E-mails a confirmer their personal validation code, on creation and on "Resend request". */
export async function enqueueCodeEmail(
  tx: Tx,
  context: RequestContext,
  { confirmerId, code, isResend, now }: { confirmerId: number; code: string; isResend: boolean; now: Date },
): Promise<void> {
  const { request, service } = context;
  const confirmer = context.people.get(confirmerId) as Account;
  await enqueueEmail(tx, {
    to: confirmer.email,
    toAccountId: confirmer.id,
    language: confirmer.language,
    template: "change-request",
    props: {
      requestId: request.id,
      serviceName: service.name,
      serviceType: service.type,
      contactTypes: context.contactTypes,
      oldContact: personRef(context, request.oldContactId),
      newContact: personRef(context, request.newContactId),
      requestedBy: personRef(context, request.requestedById),
      recipient: personRef(context, confirmerId),
      code,
      expiresAt: request.expiresAt.toISOString(),
      ...(isResend ? { isResend: true } : {}),
    },
    secretRef: requestSecretRef(request.id),
    now,
  });
}
