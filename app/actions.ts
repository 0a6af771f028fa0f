"use server";

import { revalidatePath } from "next/cache";
import { cookies } from "next/headers";
import { z } from "zod";
import { getDb } from "@/db/client";
import { appBaseUrl } from "@/lib/config";
import { LANGUAGE_COOKIE, LANGUAGE_COOKIE_MAX_AGE_S } from "@/lib/i18n/interface-language";
import { parseForm } from "@/lib/parse-form";
import { chooseLanguage, languageSchema } from "@/lib/profile";
import { getCurrentAccount } from "@/lib/session";

/** What the language switch shows after a click: nothing, or why nothing changed. */
export type SwitchLanguageState = { status: "idle" } | { status: "error"; reason: "invalid_language" };

const switchLanguageSchema = z.object({ language: z.string().max(20) });

/**
 * The header's and the sign-in page's language switch. Signed in, the language becomes the
 * account's choice (the same rule as the profile's: `chooseLanguage`); either way the browser
 * keeps it in a cookie, so the sign-in page speaks it after signing out too.
 */
export async function switchLanguageAction(
  _previous: unknown,
  formData: unknown,
): Promise<SwitchLanguageState> {
  const parsed = parseForm(switchLanguageSchema, formData);
  const language = parsed.ok ? languageSchema.safeParse(parsed.data.language) : null;
  if (!language?.success) return { status: "error", reason: "invalid_language" };
  const account = await getCurrentAccount();
  if (account) {
    const chosen = await chooseLanguage(getDb(), { accountId: account.id, language: language.data });
    if (!chosen.ok) return { status: "error", reason: "invalid_language" };
  }
  (await cookies()).set(LANGUAGE_COOKIE, language.data, {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    maxAge: LANGUAGE_COOKIE_MAX_AGE_S,
    secure: appBaseUrl().startsWith("https:"),
  });
  // The language is the whole app's: every page renders again in it.
  revalidatePath("/", "layout");
  return { status: "idle" };
}
