import { and, eq, ne } from "drizzle-orm";
import type { Db } from "@/db/client";
import { accounts, type Language } from "@/db/schema";
import { languageSchema } from "./email-change-rules";

export type ChooseLanguageResult =
  | { ok: true; language: Language }
  | { ok: false; reason: "invalid_language" | "not_found" };

/**
 * The customer picks the language of the interface and of their e-mails (the header's switch):
 * it is stored as their choice, so it no longer follows the browser. A value that is not one of
 * the app's languages changes nothing.
 */
export async function chooseLanguage(
  db: Db,
  input: { accountId: number; language: unknown },
): Promise<ChooseLanguageResult> {
  const language = languageSchema.safeParse(input.language);
  if (!language.success) return { ok: false, reason: "invalid_language" };
  const updated = await db.transaction((tx) =>
    tx
      .update(accounts)
      .set({ language: language.data, isLanguageChosen: true })
      .where(eq(accounts.id, input.accountId))
      .returning({ id: accounts.id }),
  );
  return updated.length === 1 ? { ok: true, language: language.data } : { ok: false, reason: "not_found" };
}

/**
 * Stores the browser's language for an account whose holder has not picked one. Conditional, so
 * a choice made meanwhile (another tab) wins; callers call it only when the languages differ, so
 * an ordinary page view writes nothing.
 */
export async function followBrowserLanguage(
  db: Db,
  input: { accountId: number; language: Language },
): Promise<void> {
  await db.transaction((tx) =>
    tx
      .update(accounts)
      .set({ language: input.language })
      .where(
        and(
          eq(accounts.id, input.accountId),
          eq(accounts.isLanguageChosen, false),
          ne(accounts.language, input.language),
        ),
      ),
  );
}
