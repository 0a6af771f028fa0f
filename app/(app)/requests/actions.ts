"use server";

import { revalidatePath } from "next/cache";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { signOut } from "@/auth";
import { getDb } from "@/db/client";
import { MAX_ROW_ID } from "@/db/row-id";
import { clientAddressFrom } from "@/lib/client-address";
import { CODE_COOKIE, codeForPath } from "@/lib/code-cookie";
import { kickOutboxSender } from "@/lib/email/outbox-sender";
import { parseForm } from "@/lib/parse-form";
import type { AnswerRequestResult } from "@/lib/requests/answer-request";
import { answerRequestThrottled } from "@/lib/requests/answer-request-throttled";
import { type CancelRequestResult, cancelRequest } from "@/lib/requests/cancel-request";
import { type ResendRequestResult, resendRequest } from "@/lib/requests/resend-request";
import { requireAccount } from "@/lib/session";
import { secondsUntil } from "@/lib/throttle/throttle-policy";

export type AnswerState =
  | { status: "idle" }
  | { status: "done"; result: AnswerRequestResult; code: string }
  /** Too many wrong codes from this account or address lately; nothing was checked. */
  | { status: "throttled"; seconds: number; code: string }
  /** The call was no form this page sends (a forged or broken request); nothing changed. */
  | { status: "invalid_form" };

export type RequestActionState =
  | { status: "idle" }
  | { status: "done"; action: "resend"; result: ResendRequestResult }
  | { status: "done"; action: "cancel"; result: CancelRequestResult }
  /** "Cancel request" pressed once: nothing changed; the page asks to confirm. */
  | { status: "confirm_cancel" }
  | { status: "invalid_form" };

const requestIdField = z.coerce.number().int().positive().max(MAX_ROW_ID);

const answerSchema = z.object({
  requestId: requestIdField,
  // No length limit: an over-long code is a wrong code like any other, and counted as one.
  token: z.string().trim().default(""),
  decision: z.enum(["accepted", "refused"]),
});

const requestActionSchema = z.object({
  requestId: requestIdField,
  // "keep" is the cancel step's way back.
  action: z.enum(["resend", "cancel", "keep"]),
  // Sent only from the cancel step: a cancel without it (one click, or a forged call) only asks.
  confirmed: z.literal("yes").optional(),
});

function afterChange(requestId: number): void {
  kickOutboxSender();
  revalidatePath(`/requests/${requestId}`);
  revalidatePath("/requests");
}

export async function answerRequestAction(_previous: unknown, formData: unknown): Promise<AnswerState> {
  const account = await requireAccount();
  const parsed = parseForm(answerSchema, formData);
  if (!parsed.ok) return { status: "invalid_form" };
  const { requestId, token, decision } = parsed.data;
  const result = await answerRequestThrottled(getDb(), {
    requestId,
    actorId: account.id,
    token,
    decision,
    clientAddress: clientAddressFrom(await headers()),
  });
  if (!result.ok && result.reason === "throttled") {
    return { status: "throttled", seconds: secondsUntil(result.retryAt), code: token };
  }
  // The e-mailed link's code has done its work.
  const jar = await cookies();
  if (result.ok && codeForPath(jar.get(CODE_COOKIE)?.value, `/requests/${requestId}`))
    jar.delete(CODE_COOKIE);
  afterChange(requestId);
  // A wrong code stays in the field so the person can see what they typed.
  return { status: "done", result, code: result.ok ? "" : token };
}

export async function requestAction(_previous: unknown, formData: unknown): Promise<RequestActionState> {
  const account = await requireAccount();
  const parsed = parseForm(requestActionSchema, formData);
  if (!parsed.ok) return { status: "invalid_form" };
  const { requestId, action, confirmed } = parsed.data;
  if (action === "keep") return { status: "idle" };
  if (action === "cancel" && !confirmed) return { status: "confirm_cancel" };
  const input = { requestId, actorId: account.id };
  const state: RequestActionState =
    action === "resend"
      ? { status: "done", action, result: await resendRequest(getDb(), input) }
      : { status: "done", action, result: await cancelRequest(getDb(), input) };
  if (state.result.ok) afterChange(requestId);
  return state;
}

const switchAccountSchema = z.union([
  z.object({ requestId: requestIdField }),
  z.object({ batchId: requestIdField }),
]);

/**
 * "Switch account" on a request whose e-mailed link is another account's: ends this session and
 * goes to sign-in, back to the request afterwards. Unlike "Sign out" it keeps the link's code
 * (bound to that one request's address), so the account it was sent to finds it prefilled.
 */
export async function switchAccountAction(formData: unknown): Promise<void> {
  await requireAccount();
  const parsed = parseForm(switchAccountSchema, formData);
  const back = !parsed.ok
    ? "/requests"
    : "requestId" in parsed.data
      ? `/requests/${parsed.data.requestId}`
      : `/requests/batches/${parsed.data.batchId}`;
  await signOut({ redirect: false });
  redirect(`/login?callbackUrl=${encodeURIComponent(back)}`);
}
