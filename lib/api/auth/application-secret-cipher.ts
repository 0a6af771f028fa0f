import { authSecret, openSealedSecret, SealedSecretError, sealSecret } from "@/lib/secret-cipher";

/*
 * How the automation API keeps its secrets:
 * - An application secret must be read back in clear to check each request's signature (OVH's
 *   scheme signs with it, it proves nothing by itself), so it is stored encrypted: AES-256-GCM
 *   under a key derived from AUTH_SECRET with HKDF-SHA256 and a label of its own (so this key is
 *   never the one that signs session cookies; lib/secret-cipher.ts), a random 96-bit IV per secret, and the application
 *   key as associated data (a sealed secret copied to another application's row does not open).
 *   A copy of the database without AUTH_SECRET holds no usable secret; changing AUTH_SECRET makes
 *   every application unusable (their owners create new ones).
 * - Consumer keys and the validation URL's credential tokens are only ever compared, so only their
 *   SHA-256 hashes are stored (lib/tokens.ts), as the app does for every other token.
 */

const KEY_LABEL = "service-contacts/api-application-secret/v1";

export { authSecret };

/** Seals an application secret for storage: `v1.{iv}.{ciphertext}.{tag}`, base64url. */
export function encryptApplicationSecret(secret: string, applicationKey: string): string {
  return sealSecret(secret, { label: KEY_LABEL, associatedData: applicationKey });
}

/**
 * Opens what {@link encryptApplicationSecret} sealed for the same application key. Throws when it
 * cannot (another AUTH_SECRET, another application's row, a damaged value): a server fault, not a
 * client's.
 */
export function decryptApplicationSecret(sealed: string, applicationKey: string): string {
  try {
    return openSealedSecret(sealed, { label: KEY_LABEL, associatedData: applicationKey });
  } catch (error) {
    if (error instanceof SealedSecretError && error.kind === "format") {
      throw new Error(`the secret of application ${applicationKey} is not in the v1 format`);
    }
    throw new Error(
      `the secret of application ${applicationKey} cannot be decrypted: was AUTH_SECRET changed since it was created?`,
      { cause: error },
    );
  }
}
