/**
 * Every reason code the profile functions return. The UI translates the codes of the
 * functions it calls (`saveProfile`, `confirmEmailChange`); the lists let a test check that
 * each has a message in every language.
 */

/** Why `saveProfile` (the profile form) changes nothing. */
export const SAVE_PROFILE_REFUSAL_REASONS = [
  /** The account does not exist (any more). */
  "not_found",
  /**
   * Nothing visible is left of the name once whitespace and invisible characters are trimmed,
   * or it holds a control character (see normalizeProfileName).
   */
  "invalid_name",
  /** The name is longer than MAX_NAME_LENGTH (100) characters. */
  "name_too_long",
  /** Not one of the languages the app speaks. */
  "invalid_language",
  /** The address changed and is not an e-mail address. */
  "invalid_email",
] as const;
/** Why `saveProfile` changes nothing. */
export type SaveProfileRefusalReason = (typeof SAVE_PROFILE_REFUSAL_REASONS)[number];

/**
 * Why `requestEmailChange` sends no link. There is deliberately no code for an address
 * another account uses: that is answered like a free address (see `startEmailChange`).
 */
export const REQUEST_EMAIL_CHANGE_REFUSAL_REASONS = [
  /** The account does not exist (any more). */
  "not_found",
  /** Not an e-mail address. */
  "invalid_email",
  /** The address is already the account's own (the profile form treats it as no change). */
  "same_email",
] as const;
/** Why `requestEmailChange` sends no link. */
export type RequestEmailChangeRefusalReason = (typeof REQUEST_EMAIL_CHANGE_REFUSAL_REASONS)[number];

/**
 * Why `confirmEmailChange` (and the confirmation page's preview) changes nothing. The preview
 * returns the same codes so the page can say before any click why the link will not work.
 */
export const CONFIRM_EMAIL_CHANGE_REFUSAL_REASONS = [
  /** No pending change of the signed-in account has this token (wrong, replaced, cancelled or someone else's). Counts as a failed attempt. */
  "not_found",
  /** Too many wrong tokens: only a new link (saving the address again) unlocks the change. */
  "locked",
  /** The link is older than 24 hours. */
  "expired",
  /** The token was spent already: each link works once. */
  "already_used",
  /** Another account took the address since the link was sent. */
  "email_taken",
] as const;
/** Why `confirmEmailChange` changes nothing. */
export type ConfirmEmailChangeRefusalReason = (typeof CONFIRM_EMAIL_CHANGE_REFUSAL_REASONS)[number];
