import { z } from "zod";
import type { EmailUndeliverableKind } from "@/lib/provider/vocabulary";

/**
 * What a Resend webhook means for the app: the addresses it marks and why, or nothing.
 *
 * - `email.bounced`: the recipient's server refused the e-mail for good (Resend reports hard
 *   bounces under this type; a bounce it calls `Transient` would be a soft one, and marks nothing).
 * - `email.complained`: the recipient marked the e-mail as spam.
 * - Every other type (`email.sent`, `email.delivered`, `email.delivery_delayed`, `email.opened`…)
 *   changes nothing. A delivery in particular does not clear a mark: only a new address, confirmed
 *   by its owner, does (lib/profile/confirm-email-change.ts); one e-mail getting through says
 *   little about the next after a bounce or a spam report.
 */
export type ResendEvent =
  | { kind: "undeliverable"; type: string; mark: EmailUndeliverableKind; addresses: string[] }
  | { kind: "ignored"; type: string }
  | { kind: "malformed"; message: string };

const MARKING_TYPES: Record<string, EmailUndeliverableKind> = {
  "email.bounced": "bounced",
  "email.complained": "complained",
};

/** Resend sends up to 50 recipients per e-mail. */
const MAX_RECIPIENTS = 50;

const envelopeSchema = z.object({ type: z.string().min(1).max(100) });

const markingSchema = z.object({
  data: z.object({
    to: z.array(z.string().max(320)).min(1).max(MAX_RECIPIENTS),
    bounce: z.object({ type: z.string().optional() }).optional(),
  }),
});

/** The bare address of `to` as given when sending (`a@b` or `Name <a@b>`), in lower case. */
function bareAddress(recipient: string): string {
  const angled = /<([^<>]+)>\s*$/.exec(recipient);
  return (angled?.[1] ?? recipient).trim().toLowerCase();
}

/** Reads a verified webhook's body. Pure: no clock, no database. */
export function readResendEvent(body: string): ResendEvent {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { kind: "malformed", message: "The body is not valid JSON." };
  }
  const envelope = envelopeSchema.safeParse(json);
  if (!envelope.success) return { kind: "malformed", message: "The body has no event type." };
  const { type } = envelope.data;
  const mark = Object.hasOwn(MARKING_TYPES, type) ? MARKING_TYPES[type] : undefined;
  if (!mark) return { kind: "ignored", type };
  const event = markingSchema.safeParse(json);
  if (!event.success) {
    return { kind: "malformed", message: `The ${type} event has no list of recipients (data.to).` };
  }
  if (mark === "bounced" && event.data.data.bounce?.type?.toLowerCase() === "transient") {
    return { kind: "ignored", type };
  }
  const addresses = [...new Set(event.data.data.to.map(bareAddress).filter((address) => address !== ""))];
  return { kind: "undeliverable", type, mark, addresses };
}
