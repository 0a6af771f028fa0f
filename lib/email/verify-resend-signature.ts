import { Webhook, WebhookVerificationError } from "standardwebhooks";

/** The svix headers Resend signs a webhook with, as the request carried them (absent: undefined). */
export type SvixHeaders = {
  id: string | undefined;
  timestamp: string | undefined;
  signature: string | undefined;
};

/** Longer headers are no svix headers; refused before any hashing (the id is stored). */
const MAX_ID_LENGTH = 200;
const MAX_SIGNATURE_LENGTH = 2000;

export type ResendSignatureCheck = { ok: true; messageId: string } | { ok: false; message: string };

/**
 * Whether `body` is exactly what Resend signed with `secret` (svix's scheme, which is Standard
 * Webhooks' under other header names), within the library's 5 minutes of the clock, so a
 * captured delivery cannot be replayed later. Parses nothing: the body is read only once it is
 * known to be Resend's.
 */
export function verifyResendSignature(input: {
  secret: string;
  headers: SvixHeaders;
  body: string;
}): ResendSignatureCheck {
  const { id, timestamp, signature } = input.headers;
  if (!id || !timestamp || !signature) {
    return { ok: false, message: "The svix-id, svix-timestamp and svix-signature headers are required." };
  }
  if (id.length > MAX_ID_LENGTH || signature.length > MAX_SIGNATURE_LENGTH) {
    return { ok: false, message: "The svix headers are too long." };
  }
  try {
    new Webhook(input.secret).verify(
      input.body,
      { "webhook-id": id, "webhook-timestamp": timestamp, "webhook-signature": signature },
      { jsonParse: false },
    );
    return { ok: true, messageId: id };
  } catch (error) {
    if (error instanceof WebhookVerificationError) {
      return { ok: false, message: `The signature was refused: ${error.message}.` };
    }
    throw error;
  }
}
