"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db/client";
import { kickOutboxSender } from "@/lib/email/outbox-sender";
import {
  cancelEmailChange,
  languageSchema,
  profileNameSchema,
  type RequestEmailChangeRefusalReason,
  requestEmailChange,
  type UpdateProfileRefusalReason,
  updateProfile,
} from "@/lib/profile";
import { requireAccount } from "@/lib/session";

export type ProfileFormValues = { name: string; email: string; language: string };

/** Why saving the profile changed nothing; each code has a message in `Profile.errors`. */
export type SaveProfileErrorReason =
  | "invalid_form"
  | UpdateProfileRefusalReason
  | RequestEmailChangeRefusalReason;

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
  invalid_name: "name",
  invalid_language: "language",
  invalid_email: "email",
  same_email: "email",
  email_taken: "email",
};

/**
 * Saves name and language; a changed e-mail address only starts its confirmation (a link
 * sent to the new address). Checks everything before writing, so a refused address saves
 * nothing else either.
 */
export async function saveProfileAction(
  _previous: SaveProfileState,
  formData: FormData,
): Promise<SaveProfileState> {
  const account = await requireAccount();
  const savedAt = Date.now();
  const parsed = saveProfileSchema.safeParse(Object.fromEntries(formData));
  const values: ProfileFormValues = parsed.success
    ? parsed.data
    : { name: account.name, email: account.email, language: account.language };
  const refuse = (reason: SaveProfileErrorReason): SaveProfileState => ({
    status: "error",
    savedAt,
    reason,
    field: FIELD_OF[reason],
    values,
  });
  if (!parsed.success) return refuse("invalid_form");
  if (!profileNameSchema.safeParse(values.name).success) return refuse("invalid_name");
  if (!languageSchema.safeParse(values.language).success) return refuse("invalid_language");

  const db = getDb();
  let emailLinkSentTo: string | null = null;
  if (values.email.trim().toLowerCase() !== account.email) {
    const requested = requestEmailChange(db, {
      accountId: account.id,
      newEmail: values.email,
      now: new Date(),
    });
    if (!requested.ok) return refuse(requested.reason);
    emailLinkSentTo = requested.newEmail;
    kickOutboxSender();
  }
  const updated = updateProfile(db, { accountId: account.id, name: values.name, language: values.language });
  if (!updated.ok) return refuse(updated.reason);
  // The language is the whole app's: the layout and header must render again in it.
  revalidatePath("/", "layout");
  return { status: "success", savedAt, emailLinkSentTo };
}

/** Withdraws the pending e-mail change: its link stops working and the current address stays. */
export async function cancelEmailChangeAction(): Promise<void> {
  const account = await requireAccount();
  cancelEmailChange(getDb(), { accountId: account.id });
  revalidatePath("/profile");
}
