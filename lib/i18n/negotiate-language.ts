import { LANGUAGES, type Language } from "@/db/schema";

export const DEFAULT_LANGUAGE: Language = "en";

/** Picks the interface language from an `Accept-Language` header (RFC 9110 q-values). */
export function negotiateLanguage(header: string | null | undefined): Language {
  if (!header) return DEFAULT_LANGUAGE;
  const ranked = header
    .split(",")
    .map((part, position) => {
      const [range = "", ...params] = part.trim().split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      return { tag: range.trim().toLowerCase(), q: q ? Number(q.slice(2)) : 1, position };
    })
    .filter((entry) => entry.tag && Number.isFinite(entry.q) && entry.q > 0)
    .sort((a, b) => b.q - a.q || a.position - b.position);
  for (const { tag } of ranked) {
    const language = LANGUAGES.find((l) => tag === l || tag.startsWith(`${l}-`));
    if (language) return language;
  }
  return DEFAULT_LANGUAGE;
}

export function isLanguage(value: unknown): value is Language {
  return typeof value === "string" && (LANGUAGES as readonly string[]).includes(value);
}
