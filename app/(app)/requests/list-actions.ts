"use server";

import { z } from "zod";
import { isRowId } from "@/db/row-id";
import { parseForm } from "@/lib/parse-form";
import { requireAccount } from "@/lib/session";
import { type AnswerState, answerRequestAction, type RequestActionState, requestAction } from "./actions";

/**
 * What a row of My requests did, for the list to tell: an outcome in a notice above the table
 * (the row may leave a filtered list), an error in its row. The request page's actions decide.
 */
export type ListRowState =
  | { status: "idle" }
  | { status: "answered"; requestId: number; answer: AnswerState }
  | { status: "acted"; requestId: number; outcome: RequestActionState }
  /** The call was no form the list sends; nothing changed. */
  | { status: "invalid_form" };

/**
 * The list is one form: the pressed button says what to do to which request
 * (`intent=accept:12`, `confirm-cancel:12` from a row's cancel step), and each row's code field is
 * named after its request (`token-12`).
 */
const INTENT = /^(accept|refuse|resend|cancel|confirm-cancel|keep):(\d{1,10})$/;

const listRowSchema = z.object({ intent: z.string().regex(INTENT) }).catchall(z.string());

/** A row's Accept, Refuse, Resend or Cancel: handed to the request page's action of that name. */
export async function listRowAction(_previous: unknown, formData: unknown): Promise<ListRowState> {
  await requireAccount();
  const parsed = parseForm(listRowSchema, formData);
  const [, verb, idText] = (parsed.ok && INTENT.exec(parsed.data.intent)) || [];
  const requestId = Number(idText);
  if (!parsed.ok || !verb || !isRowId(requestId)) return { status: "invalid_form" };
  const form = new FormData();
  form.set("requestId", String(requestId));
  if (verb === "accept" || verb === "refuse") {
    form.set("decision", verb === "accept" ? "accepted" : "refused");
    form.set("token", parsed.data[`token-${requestId}`] ?? "");
    return { status: "answered", requestId, answer: await answerRequestAction(undefined, form) };
  }
  // "Cancel request" first asks (the action answers confirm_cancel); the row's step then sends
  // confirm-cancel, or keep. The step's confirmation is read from the pressed button alone: the
  // table is one form, so a field would go with every other row's buttons too.
  if (verb === "keep") return { status: "idle" };
  form.set("action", verb === "confirm-cancel" ? "cancel" : verb);
  if (verb === "confirm-cancel") form.set("confirmed", "yes");
  return { status: "acted", requestId, outcome: await requestAction(undefined, form) };
}
