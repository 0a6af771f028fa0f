import { inArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import { accounts, inboundWebhookMessages } from "@/db/schema";
import { readResendEvent } from "./read-resend-event";
import { type SvixHeaders, verifyResendSignature } from "./verify-resend-signature";

export type ReceiveResendWebhookInput = {
  /** RESEND_WEBHOOK_SECRET (`whsec_…`). */
  secret: string;
  headers: SvixHeaders;
  /** The body exactly as received: the signature covers its text. */
  body: string;
  now: Date;
};

/**
 * What became of a webhook. Refusals change nothing; Resend retries anything but a 2xx, so only
 * what is not Resend's (`bad_signature`) or cannot ever be read (`malformed`) is refused.
 */
export type ReceiveResendWebhookResult =
  | { ok: true; outcome: "marked"; marked: number }
  | { ok: true; outcome: "ignored" | "duplicate" }
  | { ok: false; reason: "bad_signature" | "malformed"; message: string };

/**
 * Takes one Resend webhook (`/api/webhooks/resend`): checks its svix signature, then for a bounce
 * or a spam complaint marks the accounts whose current address received the e-mail, so their
 * profile and the requests waiting for them say why codes do not arrive. A message Resend sends
 * again (same svix-id) is taken once: its id is stored in the transaction that marks. Types that
 * mark nothing are acknowledged and not stored (they are most of Resend's traffic).
 */
export async function receiveResendWebhook(
  db: Db,
  input: ReceiveResendWebhookInput,
): Promise<ReceiveResendWebhookResult> {
  const signature = verifyResendSignature(input);
  if (!signature.ok) return { ok: false, reason: "bad_signature", message: signature.message };
  const event = readResendEvent(input.body);
  if (event.kind === "malformed") return { ok: false, reason: "malformed", message: event.message };
  if (event.kind === "ignored") return { ok: true, outcome: "ignored" };

  return db.transaction(async (tx) => {
    // First: of two deliveries of one message racing on two instances, the second waits on this
    // row's key and then finds it taken.
    const taken = await tx
      .insert(inboundWebhookMessages)
      .values({ messageId: signature.messageId, source: "resend", type: event.type, receivedAt: input.now })
      .onConflictDoNothing()
      .returning({ messageId: inboundWebhookMessages.messageId });
    if (taken.length === 0) return { ok: true, outcome: "duplicate" } as const;
    // Addresses are stored in lower case (readResendEvent lowers the recipients too). An address
    // no account holds any more (changed since) marks nobody.
    const marked = await tx
      .update(accounts)
      .set({ emailUndeliverable: event.mark, emailUndeliverableAt: input.now })
      .where(inArray(accounts.email, event.addresses))
      .returning({ id: accounts.id });
    return { ok: true, outcome: "marked", marked: marked.length } as const;
  });
}
