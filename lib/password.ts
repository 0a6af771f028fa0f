import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from "node:crypto";

// OWASP's scrypt minimum (N=2^17, r=8, p=1) needs 128 MiB a hash; N=2^15 keeps a
// sign-in near 50 ms on this hardware while staying far from brute-forceable.
const PARAMS = { N: 2 ** 15, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;

function scryptAsync(password: string, salt: Buffer, keyLength: number, options: ScryptOptions) {
  return new Promise<Buffer>((resolve, reject) => {
    scrypt(password, salt, keyLength, { ...options, maxmem: 64 * 1024 * 1024 }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/** Hashes a password as `scrypt$N$r$p$salt$key` (base64url parts). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, KEY_LENGTH, PARAMS);
  return ["scrypt", PARAMS.N, PARAMS.r, PARAMS.p, salt.toString("base64url"), key.toString("base64url")].join(
    "$",
  );
}

/** Checks a password against a stored hash in constant time. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split("$");
  if (scheme !== "scrypt" || !salt || !key) return false;
  const expected = Buffer.from(key, "base64url");
  // A key that decodes short (or empty) would match (nearly) any password.
  if (expected.length !== KEY_LENGTH) return false;
  try {
    const actual = await scryptAsync(password, Buffer.from(salt, "base64url"), expected.length, {
      N: Number(n),
      r: Number(r),
      p: Number(p),
    });
    return timingSafeEqual(actual, expected);
  } catch {
    return false; // parameters scrypt rejects: a damaged hash, not a match
  }
}

/**
 * Whether `stored` is a hash in this app's format with this app's own parameters: a hash handed
 * in from outside (the provisioning API) must not make sign-in run scrypt with costs of its
 * choosing.
 */
export function isPasswordHash(stored: string): boolean {
  const [scheme, n, r, p, salt, key, ...rest] = stored.split("$");
  return (
    scheme === "scrypt" &&
    n === String(PARAMS.N) &&
    r === String(PARAMS.r) &&
    p === String(PARAMS.p) &&
    rest.length === 0 &&
    /^[A-Za-z0-9_-]{22}$/.test(salt ?? "") &&
    /^[A-Za-z0-9_-]{43}$/.test(key ?? "")
  );
}

/** A hash no password matches, to spend the same time on unknown accounts. */
export const UNUSABLE_PASSWORD_HASH = `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$AAAAAAAAAAAAAAAAAAAAAA$${"A".repeat(43)}`;
