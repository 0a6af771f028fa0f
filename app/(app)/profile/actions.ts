"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db/client";
import { kickOutboxSender } from "@/lib/email/outbox-sender";
import { parseForm } from "@/lib/parse-form";
import { cancelEmailChange, type SaveProfileRefusalReason, saveProfile } from "@/lib/profile";
import { requireAccount } from "@/lib/session";
import { reserveAttempt } from "@/lib/throttle/reserve-attempt";
import { EMAIL_CHANGES_PER_ACCOUNT } from "@/lib/throttle/throttle-policy";

/** The throttle scope of e-mail changes started from the profile. */
const EMAIL_CHANGE_SCOPE = "email-change";

export type ProfileFormValues = { name: string; email: string; language: string };

/**
 * Why saving the profile changed nothing; each code has a message in `Profile.errors`.
 * `throttled`: too many e-mail changes lately (each sends a link to an address the user typed).
 */
export type SaveProfileErrorReason = "invalid_form" | "throttled" | SaveProfileRefusalReason;

export type SaveProfileState =
  | { status: "idle" }
  /** `emailLinkSentTo`: a changed address, now waiting for its confirmation link. */
  | { status: "success"; savedAt: number; emailLinkSentTo: string | null }
  | {
      status: "error";
      savedAt: number;
      reason: SaveProfileErrorReason;
      field: keyof ProfileFormValues | null;
      values: ProfileFormValues;
    };

const saveProfileSchema = z.object({
  name: z.string().max(1000),
  email: z.string().max(1000),
  language: z.string().max(20),
});

const FIELD_OF: Record<SaveProfileErrorReason, keyof ProfileFormValues | null> = {
  invalid_form: null,
  not_found: null,
  throttled: "email",
  invalid_name: "name",
  name_too_long: "name",
  invalid_language: "language",
  invalid_email: "email",
};

/**
 * Saves name and language and, for a changed e-mail address, only starts its confirmation
 * (a link sent to the new address), all in one transaction: a refusal saves nothing. An
 * address another account uses is answered exactly like a free one (see `startEmailChange`).
 */
export async function saveProfileAction(_previous: unknown, formData: unknown): Promise<SaveProfileState> {
  const account = await requireAccount();
  const savedAt = Date.now();
  const parsed = parseForm(saveProfileSchema, formData);
  const values: ProfileFormValues = parsed.ok
    ? parsed.data
    : { name: account.name, email: account.email, language: account.language };
  const refuse = (reason: SaveProfileErrorReason): SaveProfileState => ({
    status: "error",
    savedAt,
    reason,
    field: FIELD_OF[reason],
    values,
  });
  if (!parsed.ok) return refuse("invalid_form");

  const db = getDb();
  const reservation =
    values.email.trim().toLowerCase() === account.email
      ? null
      : await reserveAttempt(db, {
          scope: EMAIL_CHANGE_SCOPE,
          keys: [{ key: `account:${account.id}`, policy: EMAIL_CHANGES_PER_ACCOUNT }],
        });
  if (reservation && !reservation.ok) return refuse("throttled");
  const saved = await saveProfile(db, { accountId: account.id, ...values, now: new Date() });
  if (!saved.ok || !saved.emailChange) await reservation?.release();
  if (!saved.ok) return refuse(saved.reason);
  if (saved.emailChange) kickOutboxSender();
  // The language is the whole app's: the layout and header must render again in it.
  revalidatePath("/", "layout");
  return { status: "success", savedAt, emailLinkSentTo: saved.emailChange?.newEmail ?? null };
}

/** Withdraws the pending e-mail change: its link stops working and the current address stays. */
export async function cancelEmailChangeAction(): Promise<void> {
  const account = await requireAccount();
  await cancelEmailChange(getDb(), { accountId: account.id });
  revalidatePath("/profile");
}
