import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

/*
 * Secrets the app must read back in clear (an API application's secret to check signatures, a
 * webhook endpoint's secret to sign events) are stored sealed: AES-256-GCM under a key derived
 * from AUTH_SECRET with HKDF-SHA256 and a label per use (so no two uses, and never the session
 * cookies, share a key), a random 96-bit IV per secret, and the row's own key as associated data
 * (a sealed secret copied to another row does not open). A copy of the database without
 * AUTH_SECRET holds no usable secret.
 */

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
      "AUTH_SECRET is not set: the app encrypts the secrets it keeps with a key derived from it. " +
        "Start the app with `npm start` (which creates one) or set AUTH_SECRET (e.g. openssl rand -base64 32).",
    );
  }
  return secret;
}

const derived = new Map<string, { secret: string; key: Buffer }>();

function encryptionKey(label: string): Buffer {
  const secret = authSecret();
  let entry = derived.get(label);
  if (entry?.secret !== secret) {
    entry = { secret, key: Buffer.from(hkdfSync("sha256", secret, Buffer.alloc(0), label, 32)) };
    derived.set(label, entry);
  }
  return entry.key;
}

/** Where a sealed secret belongs: the HKDF label of its use, and the key of its row. */
export type SealContext = { label: string; associatedData: string };

/** Seals a secret for storage: `v1.{iv}.{ciphertext}.{tag}`, base64url. */
export function sealSecret(secret: string, context: SealContext): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", encryptionKey(context.label), iv, {
    authTagLength: TAG_BYTES,
  });
  cipher.setAAD(Buffer.from(context.associatedData, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(secret, "utf8"), cipher.final()]);
  return [FORMAT, iv, ciphertext, cipher.getAuthTag()]
    .map((part) => (typeof part === "string" ? part : part.toString("base64url")))
    .join(".");
}

/** Why a sealed secret did not open: not in the format, or not under this key and row. */
export class SealedSecretError extends Error {
  constructor(
    readonly kind: "format" | "decrypt",
    options?: ErrorOptions,
  ) {
    super(kind === "format" ? `not in the ${FORMAT} format` : "cannot be decrypted", options);
  }
}

/** Opens what {@link sealSecret} sealed in the same context; throws a {@link SealedSecretError} when it cannot. */
export function openSealedSecret(sealed: string, context: SealContext): string {
  const [format, iv, ciphertext, tag, ...rest] = sealed.split(".");
  if (format !== FORMAT || iv === undefined || ciphertext === undefined || tag === undefined || rest.length) {
    throw new SealedSecretError("format");
  }
  try {
    const decipher = createDecipheriv(
      "aes-256-gcm",
      encryptionKey(context.label),
      Buffer.from(iv, "base64url"),
      {
        authTagLength: TAG_BYTES,
      },
    );
    decipher.setAAD(Buffer.from(context.associatedData, "utf8"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString(
      "utf8",
    );
  } catch (error) {
    throw new SealedSecretError("decrypt", { cause: error });
  }
}
