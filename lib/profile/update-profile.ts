import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { accounts, type Language } from "@/db/schema";
import { languageSchema, profileNameSchema } from "./email-change-rules";
import type { UpdateProfileRefusalReason } from "./reason-codes";

export type UpdateProfileInput = { accountId: number; name: string; language: string };

export type UpdateProfileResult =
  | { ok: true; name: string; language: Language }
  | { ok: false; reason: UpdateProfileRefusalReason };

/**
 * Stores the account's name (trimmed) and language. The e-mail address is not changed here:
 * a new address takes effect only through `requestEmailChange` and `confirmEmailChange`.
 */
export function updateProfile(db: Db, input: UpdateProfileInput): UpdateProfileResult {
  const name = profileNameSchema.safeParse(input.name);
  if (!name.success) return { ok: false, reason: "invalid_name" };
  const language = languageSchema.safeParse(input.language);
  if (!language.success) return { ok: false, reason: "invalid_language" };
  const { changes } = db
    .update(accounts)
    .set({ name: name.data, language: language.data })
    .where(eq(accounts.id, input.accountId))
    .run();
  if (changes !== 1) return { ok: false, reason: "not_found" };
  return { ok: true, name: name.data, language: language.data };
}
