"use server";

import { revalidatePath } from "next/cache";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { unstable_update } from "@/auth";
import { getDb } from "@/db/client";
import { startSession } from "@/lib/auth/sessions";
import { clientAddressFrom } from "@/lib/client-address";
import { CODE_COOKIE } from "@/lib/code-cookie";
import { parseForm } from "@/lib/parse-form";
import { type ConfirmEmailChangeRefusalReason, confirmEmailChange } from "@/lib/profile";
import { requireAccount } from "@/lib/session";
import { reserveCodeAttempt } from "@/lib/throttle/code-attempts";
import { secondsUntil } from "@/lib/throttle/throttle-policy";

export type ConfirmEmailState =
  | { status: "idle" }
  | { status: "error"; reason: "invalid_form" | ConfirmEmailChangeRefusalReason }
  | { status: "throttled"; seconds: number };

const confirmEmailSchema = z.object({ token: z.string().trim().min(1) });

/**
 * The button on the confirmation page: the only way the link's token changes the address. A new
 * address ends every session of the account (SPEC.md); this browser gets a fresh one at once.
 */
export async function confirmEmailChangeAction(
  _previous: unknown,
  formData: unknown,
): Promise<ConfirmEmailState> {
  const account = await requireAccount();
  const parsed = parseForm(confirmEmailSchema, formData);
  if (!parsed.ok) return { status: "error", reason: "invalid_form" };
  const db = getDb();
  const reservation = await reserveCodeAttempt(db, {
    accountId: account.id,
    clientAddress: clientAddressFrom(await headers()),
  });
  if (!reservation.ok) {
    return { status: "throttled", seconds: secondsUntil(reservation.retryAt) };
  }
  const result = await confirmEmailChange(db, {
    accountId: account.id,
    token: parsed.data.token,
    now: new Date(),
  });
  if (!result.ok) {
    if (result.reason !== "not_found") await reservation.release();
    return { status: "error", reason: result.reason };
  }
  await reservation.release();
  (await cookies()).delete(CODE_COOKIE);
  // The change ended every session of the account; this browser carries on in a new one.
  await unstable_update({ sessionId: await startSession(db, { accountId: account.id }) });
  revalidatePath("/", "layout");
  redirect("/profile?emailConfirmed=1");
}
