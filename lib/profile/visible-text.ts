/**
 * Which characters of a typed text show nothing, and which act on the text around them instead
 * of showing. Names and e-mail addresses are judged by these, so a value made of nothing visible,
 * or one that breaks lines or reorders the sentence it is shown in, never gets stored.
 */

/**
 * Whitespace and Unicode's default-ignorable code points: zero-width spaces, joiners and marks
 * (U+200B–U+200F), the soft hyphen (U+00AD), the word joiner and invisible operators
 * (U+2060–U+206F), bidirectional controls (U+202A–U+202E), variation selectors, the byte order
 * mark (U+FEFF), Hangul fillers, tag characters. Unicode's own list, so it stays complete.
 */
const INVISIBLE = /[\p{White_Space}\p{Default_Ignorable_Code_Point}]/u;

/**
 * C0 and C1 controls (U+0000–U+001F, U+007F–U+009F), the line and paragraph separators, and the
 * bidirectional embeddings, overrides and isolates, which can make a name read as another.
 */
const CONTROL = /[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069]/u;

/** Characters that only change the one before them: variation selectors and emoji tag characters. */
const MODIFIER = /[\p{Variation_Selector}\u{E0020}-\u{E007F}]/u;

/** Whether `char` (one code point) shows nothing by itself. */
export function isInvisible(char: string): boolean {
  return INVISIBLE.test(char);
}

/** Whether `char` (one code point) modifies the character before it (a variation selector, an emoji tag). */
export function isModifier(char: string): boolean {
  return MODIFIER.test(char);
}

/** Whether `text` holds a control character (see CONTROL) anywhere. */
export function hasControlCharacter(text: string): boolean {
  return CONTROL.test(text);
}

/** Whether `text` holds any character that is a control or shows nothing, whitespace included. */
export function hasControlOrInvisibleCharacter(text: string): boolean {
  return hasControlCharacter(text) || [...text].some(isInvisible);
}
