import { randomBytes } from "node:crypto";

const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
// The largest multiple of 62 below 256: bytes above it are drawn again, so every character is
// equally likely (a plain `byte % 62` would favour the first 8).
const UNBIASED_LIMIT = 256 - (256 % ALPHANUMERIC.length);

/** `length` random characters from [A-Za-z0-9], the alphabet of OVH's keys. */
export function randomAlphanumeric(length: number): string {
  let key = "";
  while (key.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < UNBIASED_LIMIT && key.length < length) key += ALPHANUMERIC[byte % ALPHANUMERIC.length];
    }
  }
  return key;
}

/** Lengths of OVH's keys: a 16-character application key, 32-character secret and consumer key. */
export const APPLICATION_KEY_LENGTH = 16;
export const APPLICATION_SECRET_LENGTH = 32;
export const CONSUMER_KEY_LENGTH = 32;
