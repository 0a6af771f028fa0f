import { createHash, randomBytes } from "node:crypto";

/** A one-time token: 32 random bytes, URL-safe. Only its hash is ever stored. */
export function generateToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString("base64url");
  return { token, hash: hashToken(token) };
}

/** SHA-256 of a token, hex: what the database keeps and looks tokens up by. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token.trim(), "utf8").digest("hex");
}
