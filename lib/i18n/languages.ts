/** Languages the interface and the e-mails exist in. */
export const LANGUAGES = ["en", "pl"] as const;
export type Language = (typeof LANGUAGES)[number];

/** Each language's name in itself, as language menus show them: never translated. */
export const LANGUAGE_NAMES: Record<Language, string> = { en: "English", pl: "Polski" };
