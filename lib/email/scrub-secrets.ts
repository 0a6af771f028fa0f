/** Stands in for a secret once it is erased, so the row (and the mailbox) still reads sensibly. */
export const SCRUBBED = "[sent]";

/** The forms a message's validation code takes in its props: as is, and inside a link. */
function secretsOf(props: Record<string, unknown>): string[] {
  const code = props.code;
  if (typeof code !== "string" || code === "") return [];
  return [...new Set([code, encodeURIComponent(code)])];
}

/**
 * Props without the secret they carried: `code` becomes null and any other string
 * holding it (a tokenized link) becomes "[sent]". Only the token's hash may stay at rest.
 */
export function scrubSecrets(props: Record<string, unknown>): Record<string, unknown> {
  const secrets = secretsOf(props);
  if (secrets.length === 0) return props;
  const scrub = (value: unknown): unknown => {
    if (typeof value === "string") return secrets.some((s) => value.includes(s)) ? SCRUBBED : value;
    if (Array.isArray(value)) return value.map(scrub);
    if (value !== null && typeof value === "object") {
      return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, scrub(inner)]));
    }
    return value;
  };
  return { ...(scrub(props) as Record<string, unknown>), code: null };
}

/**
 * `text` (an error message about a message, on its way to a log line or `lastError`) with the
 * message's code cut out, in case a provider or a renderer echoed it back.
 */
export function redactSecrets(text: string, props: Record<string, unknown>): string {
  return secretsOf(props).reduce((redacted, secret) => redacted.replaceAll(secret, "[code]"), text);
}
