"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db/client";
import { kickOutboxSender } from "@/lib/email/outbox-sender";
import { type AnswerRequestResult, answerRequest } from "@/lib/requests/answer-request";
import { type CancelRequestResult, cancelRequest } from "@/lib/requests/cancel-request";
import { type ResendRequestResult, resendRequest } from "@/lib/requests/resend-request";
import { requireAccount } from "@/lib/session";

export type AnswerState = { status: "idle" } | { status: "done"; result: AnswerRequestResult; code: string };
export type RequestActionState =
  | { status: "idle" }
  | { status: "done"; action: "resend"; result: ResendRequestResult }
  | { status: "done"; action: "cancel"; result: CancelRequestResult };

const answerSchema = z.object({
  requestId: z.coerce.number().int().positive(),
  token: z.string().trim().max(200).default(""),
  decision: z.enum(["accepted", "refused"]),
});

const requestActionSchema = z.object({
  requestId: z.coerce.number().int().positive(),
  action: z.enum(["resend", "cancel"]),
});

function afterChange(requestId: number): void {
  kickOutboxSender();
  revalidatePath(`/requests/${requestId}`);
  revalidatePath("/requests");
}

export async function answerRequestAction(_previous: AnswerState, formData: FormData): Promise<AnswerState> {
  const account = await requireAccount();
  const parsed = answerSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return { status: "done", result: { ok: false, reason: "not_found" }, code: "" };
  const { requestId, token, decision } = parsed.data;
  const result = answerRequest(getDb(), { requestId, actorId: account.id, token, decision });
  afterChange(requestId);
  // A wrong code stays in the field so the person can see what they typed.
  return { status: "done", result, code: result.ok ? "" : token };
}

export async function requestAction(
  _previous: RequestActionState,
  formData: FormData,
): Promise<RequestActionState> {
  const account = await requireAccount();
  const parsed = requestActionSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success)
    return { status: "done", action: "cancel", result: { ok: false, reason: "not_found" } };
  const { requestId, action } = parsed.data;
  const input = { requestId, actorId: account.id };
  const state: RequestActionState =
    action === "resend"
      ? { status: "done", action, result: resendRequest(getDb(), input) }
      : { status: "done", action, result: cancelRequest(getDb(), input) };
  if (state.result.ok) afterChange(requestId);
  return state;
}
