import { createHash, timingSafeEqual } from "node:crypto";

/** What OVH's clients sign: every part as sent, the URL as `https://{host without port}{path and query}`. */
export type OvhSignedRequest = {
  applicationSecret: string;
  consumerKey: string;
  /** The HTTP method as sent (`GET`, `POST`…). */
  method: string;
  /** `https://{host}/api/1.0/{path}?{query}`, exactly as the client built it. */
  url: string;
  /** The raw request body; `""` when there is none. */
  body: string;
  /** The X-Ovh-Timestamp header as sent (unix seconds). */
  timestamp: string | number;
};

/**
 * The X-Ovh-Signature of a request, as OVH's official clients compute it (node-ovh's
 * `signRequest`): `"$1$"` + SHA-1 hex of `AS+CK+METHOD+URL+BODY+TIMESTAMP`, joined with `+`.
 * SHA-1 is OVH's choice and part of the contract; it is used as a keyed hash of the secret.
 */
export function ovhSignature(request: OvhSignedRequest): string {
  const { applicationSecret, consumerKey, method, url, body, timestamp } = request;
  const signed = [applicationSecret, consumerKey, method, url, body, String(timestamp)].join("+");
  return `$1$${createHash("sha1").update(signed, "utf8").digest("hex")}`;
}

/**
 * Whether a received signature is the expected one, in time that does not depend on where they
 * differ (both are hashed first, so their lengths do not show either).
 */
export function isSameSignature(expected: string, received: string): boolean {
  const digest = (text: string) => createHash("sha256").update(text, "utf8").digest();
  return timingSafeEqual(digest(expected), digest(received));
}
