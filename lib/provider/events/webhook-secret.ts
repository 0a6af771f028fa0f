import { randomBytes } from "node:crypto";
import { openSealedSecret, sealSecret } from "@/lib/secret-cipher";

/*
 * An endpoint's signing secret must be read back in clear to sign each delivery, so it is sealed
 * (lib/secret-cipher.ts) under a key of its own, bound to the endpoint's id.
 */
const KEY_LABEL = "service-contacts/webhook-endpoint-secret/v1";

const sealContext = (endpointId: number) => ({
  label: KEY_LABEL,
  associatedData: `webhook-endpoint:${endpointId}`,
});

/** A Standard Webhooks secret: `whsec_` and 32 random bytes in base64. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}

export function sealWebhookSecret(secret: string, endpointId: number): string {
  return sealSecret(secret, sealContext(endpointId));
}

/** Throws when the secret cannot be opened (AUTH_SECRET changed): a server fault. */
export function openWebhookSecret(sealed: string, endpointId: number): string {
  return openSealedSecret(sealed, sealContext(endpointId));
}
