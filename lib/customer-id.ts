import { customerIdSuffix } from "./config";

/**
 * Parses a customer ID (NIC handle): two or more letters, digits, then `-{suffix}`.
 * Input is trimmed and compared case-insensitively; the result is lower case.
 * Returns null when the input is not a customer ID.
 */
export function parseCustomerId(input: string, suffix = customerIdSuffix()): string | null {
  const value = input.trim().toLowerCase();
  return patternFor(suffix).test(value) ? value : null;
}

let cached: { suffix: string; pattern: RegExp } | undefined;

/** The pattern of a suffix, built once: a bulk import parses millions of customer IDs. */
function patternFor(suffix: string): RegExp {
  if (cached?.suffix !== suffix) {
    cached = { suffix, pattern: new RegExp(`^[a-z]{2,}[0-9]+-${escapeRegExp(suffix)}$`) };
  }
  return cached.pattern;
}

/** An example customer ID for messages and placeholders. */
export function exampleCustomerId(suffix = customerIdSuffix()): string {
  return `aa123456-${suffix}`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
