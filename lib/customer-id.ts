import { customerIdSuffix } from "./config";

/**
 * Parses a customer ID (NIC handle): two or more letters, digits, then `-{suffix}`.
 * Input is trimmed and compared case-insensitively; the result is lower case.
 * Returns null when the input is not a customer ID.
 */
export function parseCustomerId(input: string, suffix = customerIdSuffix()): string | null {
  const value = input.trim().toLowerCase();
  const pattern = new RegExp(`^[a-z]{2,}[0-9]+-${escapeRegExp(suffix)}$`);
  return pattern.test(value) ? value : null;
}

/** An example customer ID for messages and placeholders. */
export function exampleCustomerId(suffix = customerIdSuffix()): string {
  return `aa123456-${suffix}`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
