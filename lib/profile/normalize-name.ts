import type { SaveProfileRefusalReason } from "./reason-codes";
import { hasControlCharacter, isInvisible, isModifier } from "./visible-text";

/** The longest name accepted, in characters (Unicode code points) once normalised. */
export const MAX_NAME_LENGTH = 100;

/** A name ready to store, or why it is refused. */
export type NormalizeNameResult =
  | { ok: true; name: string }
  | { ok: false; reason: Extract<SaveProfileRefusalReason, "invalid_name" | "name_too_long"> };

/**
 * Normalises a name as typed into the one stored, shown to other contacts and written into
 * e-mails: NFC (so "Zielin\u0301ska" and "Zielińska" are one name), without whitespace or
 * invisible characters at either end. Refused (`invalid_name`) when nothing visible is left, or
 * when a control character remains (see below); `name_too_long` beyond MAX_NAME_LENGTH.
 *
 * Invisible characters inside a name are kept: zero-width joiners and variation selectors are
 * part of emoji and of some scripts' spelling. Control characters inside are refused rather than
 * stripped: a one-line form field cannot produce them, so they come from scripts or forged posts;
 * they would break lines or reorder the e-mail sentence the name is shown in; and stripping would
 * silently store something other than what was sent.
 */
export function normalizeProfileName(raw: unknown): NormalizeNameResult {
  if (typeof raw !== "string") return { ok: false, reason: "invalid_name" };
  const chars = [...raw.normalize("NFC")];
  let start = 0;
  while (start < chars.length && isInvisible(chars[start] as string)) start += 1;
  let end = chars.length;
  while (end > start && isInvisible(chars[end - 1] as string)) end -= 1;
  // A variation selector right after the last visible character is part of it ("❤️").
  while (end > start && end < chars.length && isModifier(chars[end] as string)) end += 1;

  const kept = chars.slice(start, end);
  const name = kept.join("");
  if (name === "" || hasControlCharacter(name)) return { ok: false, reason: "invalid_name" };
  if (kept.length > MAX_NAME_LENGTH) return { ok: false, reason: "name_too_long" };
  return { ok: true, name };
}
