import { eq } from "drizzle-orm";
import { type Db, lockRows } from "@/db/client";
import { accounts, type Language } from "@/db/schema";
import { emailAddressSchema, languageSchema } from "./email-change-rules";
import { normalizeProfileName } from "./normalize-name";
import type { SaveProfileRefusalReason } from "./reason-codes";
import { type StartedEmailChange, startEmailChange } from "./request-email-change";

export type SaveProfileInput = {
  accountId: number;
  name: string;
  /** As typed: the current address (in any letter case, with spaces around) changes nothing. */
  email: string;
  language: string;
  now: Date;
};

export type SaveProfileResult =
  | {
      ok: true;
      name: string;
      language: Language;
      /** A changed address, now waiting for the link sent to it; null when it did not change. */
      emailChange: StartedEmailChange | null;
    }
  | { ok: false; reason: SaveProfileRefusalReason };

/**
 * Saves the profile form in one immediate transaction: the name (normalised, see
 * `normalizeProfileName`) and the language (a changed one becomes the customer's choice, no
 * longer following the browser), and, when the address differs from the account's,
 * starts its change (`startEmailChange`: a
 * link to the new address, in the newly chosen language). Everything is checked before
 * anything is written, so a refusal saves nothing. The address itself changes only through
 * `confirmEmailChange`. Call `kickOutboxSender()` after it returns with an `emailChange`.
 */
export async function saveProfile(db: Db, input: SaveProfileInput): Promise<SaveProfileResult> {
  const name = normalizeProfileName(input.name);
  if (!name.ok) return name;
  const language = languageSchema.safeParse(input.language);
  if (!language.success) return { ok: false, reason: "invalid_language" };
  return db.transaction(async (tx): Promise<SaveProfileResult> => {
    // As in requestEmailChange: one change of the account at a time, so two saves never leave
    // two pending e-mail changes.
    await lockRows(tx, accounts, eq(accounts.id, input.accountId));
    const [account] = await tx.select().from(accounts).where(eq(accounts.id, input.accountId));
    if (!account) return { ok: false, reason: "not_found" };
    let emailChange: StartedEmailChange | null = null;
    if (input.email.trim().toLowerCase() !== account.email) {
      const email = emailAddressSchema.safeParse(input.email);
      if (!email.success) return { ok: false, reason: "invalid_email" };
      const saved = { id: account.id, name: name.name, language: language.data };
      emailChange = await startEmailChange(tx, saved, email.data, input.now);
    }
    // Saving the language the panel already shows is no choice; changing it is.
    const isLanguageChosen = account.isLanguageChosen || language.data !== account.language;
    await tx
      .update(accounts)
      .set({ name: name.name, language: language.data, isLanguageChosen })
      .where(eq(accounts.id, account.id));
    return { ok: true, name: name.name, language: language.data, emailChange };
  });
}
