"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { getDb } from "@/db/client";
import { type ConfirmEmailChangeRefusalReason, confirmEmailChange } from "@/lib/profile";
import { requireAccount } from "@/lib/session";

export type ConfirmEmailState =
  | { status: "idle" }
  | { status: "error"; reason: "invalid_form" | ConfirmEmailChangeRefusalReason };

const confirmEmailSchema = z.object({ token: z.string().trim().min(1).max(200) });

/** The button on the confirmation page: the only way the link's token changes the address. */
export async function confirmEmailChangeAction(
  _previous: ConfirmEmailState,
  formData: FormData,
): Promise<ConfirmEmailState> {
  const account = await requireAccount();
  const parsed = confirmEmailSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return { status: "error", reason: "invalid_form" };
  const result = confirmEmailChange(getDb(), {
    accountId: account.id,
    token: parsed.data.token,
    now: new Date(),
  });
  if (!result.ok) return { status: "error", reason: result.reason };
  revalidatePath("/", "layout");
  redirect("/profile?emailConfirmed=1");
}
