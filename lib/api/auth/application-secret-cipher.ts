import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

/*
 * How the automation API keeps its secrets:
 * - An application secret must be read back in clear to check each request's signature (OVH's
 *   scheme signs with it, it proves nothing by itself), so it is stored encrypted: AES-256-GCM
 *   under a key derived from AUTH_SECRET with HKDF-SHA256 and a label of its own (so this key is
 *   never the one that signs session cookies), a random 96-bit IV per secret, and the application
 *   key as associated data (a sealed secret copied to another application's row does not open).
 *   A copy of the database without AUTH_SECRET holds no usable secret; changing AUTH_SECRET makes
 *   every application unusable (their owners create new ones).
 * - Consumer keys and the validation URL's credential tokens are only ever compared, so only their
 *   SHA-256 hashes are stored (lib/tokens.ts), as the app does for every other token.
 */

const KEY_LABEL = "service-contacts/api-application-secret/v1";
const FORMAT = "v1";
const IV_BYTES = 12;
// Fixed, so a shortened tag (which GCM would otherwise accept) is refused.
const TAG_BYTES = 16;

/**
 * AUTH_SECRET, which scripts/start.ts provides (generated beside the SQLite file, or given with
 * DATABASE_URL). Read here because lib/config.ts has no accessor for it; throws when it is unset.
 */
export function authSecret(): string {
  const secret = process.env.AUTH_SECRET?.trim();
  if (!secret) {
    throw new Error(
      "AUTH_SECRET is not set: the automation API encrypts application secrets with a key derived from it. " +
        "Start the app with `npm start` (which creates one) or set AUTH_SECRET (e.g. openssl rand -base64 32).",
    );
  }
  return secret;
}

let derived: { secret: string; key: Buffer } | undefined;

function encryptionKey(): Buffer {
  const secret = authSecret();
  if (derived?.secret !== secret) {
    derived = { secret, key: Buffer.from(hkdfSync("sha256", secret, Buffer.alloc(0), KEY_LABEL, 32)) };
  }
  return derived.key;
}

/** Seals an application secret for storage: `v1.{iv}.{ciphertext}.{tag}`, base64url. */
export function encryptApplicationSecret(secret: string, applicationKey: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", encryptionKey(), iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(applicationKey, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(secret, "utf8"), cipher.final()]);
  return [FORMAT, iv, ciphertext, cipher.getAuthTag()]
    .map((part) => (typeof part === "string" ? part : part.toString("base64url")))
    .join(".");
}

/**
 * Opens what {@link encryptApplicationSecret} sealed for the same application key. Throws when it
 * cannot (another AUTH_SECRET, another application's row, a damaged value): a server fault, not a
 * client's.
 */
export function decryptApplicationSecret(sealed: string, applicationKey: string): string {
  const [format, iv, ciphertext, tag, ...rest] = sealed.split(".");
  if (format !== FORMAT || iv === undefined || ciphertext === undefined || tag === undefined || rest.length) {
    throw new Error(`the secret of application ${applicationKey} is not in the ${FORMAT} format`);
  }
  try {
    const decipher = createDecipheriv("aes-256-gcm", encryptionKey(), Buffer.from(iv, "base64url"), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(Buffer.from(applicationKey, "utf8"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString(
      "utf8",
    );
  } catch (error) {
    throw new Error(
      `the secret of application ${applicationKey} cannot be decrypted: was AUTH_SECRET changed since it was created?`,
      { cause: error },
    );
  }
}
