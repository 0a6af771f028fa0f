"use server";

import { revalidatePath } from "next/cache";
import { cookies, headers } from "next/headers";
import { z } from "zod";
import { getDb } from "@/db/client";
import { MAX_ROW_ID } from "@/db/row-id";
import { clientAddressFrom } from "@/lib/client-address";
import { CODE_COOKIE, codeForPath } from "@/lib/code-cookie";
import { kickOutboxSender } from "@/lib/email/outbox-sender";
import { parseForm } from "@/lib/parse-form";
import { type AnswerBatchResult, answerBatch } from "@/lib/requests/batches/answer-batch";
import { requireAccount } from "@/lib/session";
import { secondsUntil } from "@/lib/throttle/throttle-policy";

export type BatchAnswerState =
  | { status: "idle" }
  | { status: "done"; result: Exclude<AnswerBatchResult, { reason: "throttled" }>; code: string }
  /** Too many wrong codes from this account or address lately; nothing was checked. */
  | { status: "throttled"; seconds: number; code: string }
  /** The call was no form this page sends (a forged or broken request); nothing changed. */
  | { status: "invalid_form" };

const rowId = z.coerce.number().int().positive().max(MAX_ROW_ID);

const answerBatchSchema = z.object({
  batchId: rowId,
  // No length limit: an over-long code is a wrong code like any other, and counted as one.
  token: z.string().trim().default(""),
  // "accepted" / "refused" answer every request awaiting the viewer; ":id" only that one.
  answer: z.string().regex(/^(accepted|refused)(:\d{1,15})?$/),
});

/** "Accept all", "Refuse all" and the per-request buttons of a batch's page. */
export async function answerBatchAction(_previous: unknown, formData: unknown): Promise<BatchAnswerState> {
  const account = await requireAccount();
  const parsed = parseForm(answerBatchSchema, formData);
  if (!parsed.ok) return { status: "invalid_form" };
  const { batchId, token, answer } = parsed.data;
  const [decision, only] = answer.split(":") as ["accepted" | "refused", string | undefined];
  const requestId = only === undefined ? null : rowId.safeParse(only);
  if (requestId && !requestId.success) return { status: "invalid_form" };

  const result = await answerBatch(getDb(), {
    batchId,
    actorId: account.id,
    token,
    decision,
    requestIds: requestId ? [requestId.data] : undefined,
    clientAddress: clientAddressFrom(await headers()),
  });
  if (!result.ok && result.reason === "throttled") {
    return { status: "throttled", seconds: secondsUntil(result.retryAt), code: token };
  }
  const path = `/requests/batches/${batchId}`;
  if (result.ok) {
    // The e-mailed link's code has done its work once nothing is left for it to answer.
    const jar = await cookies();
    if (only === undefined && codeForPath(jar.get(CODE_COOKIE)?.value, path)) jar.delete(CODE_COOKIE);
    kickOutboxSender();
    revalidatePath(path);
    revalidatePath("/requests");
  }
  // A wrong code stays in the field so the person can see what they typed; a right one stays
  // too while requests are answered one by one.
  return { status: "done", result, code: result.ok && only === undefined ? "" : token };
}
