"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db/client";
import { MAX_ROW_ID } from "@/db/row-id";
import { CONTACT_TYPES, type ContactType } from "@/db/schema";
import { kickOutboxSender } from "@/lib/email/outbox-sender";
import { parseForm } from "@/lib/parse-form";
import {
  type ChangePreview,
  type ContactFieldError,
  type RegisteredRequest,
  requestContactChange,
} from "@/lib/requests/request-contact-change";
import { requireAccount } from "@/lib/session";

type FieldValues = Partial<Record<ContactType, string>>;

export type EditContactsState =
  /** `values`: what the fields held when the asker went back from the confirmation step. */
  | { status: "idle"; values?: FieldValues }
  | { status: "success"; requests: RegisteredRequest[] }
  /**
   * Nothing registered yet: the submission hands over the administrator or takes a contact back,
   * and the asker is to confirm what `requests` shows. `takeBack` when a take-back button asked.
   */
  | { status: "confirm"; requests: ChangePreview[]; values: FieldValues; takeBack?: "tech" | "billing" }
  | {
      status: "error";
      reason: "not_found" | "nothing_to_change" | "invalid_fields" | "invalid_form";
      fieldErrors: Partial<Record<ContactType, ContactFieldError>>;
      values: FieldValues;
    };

const customerIdField = z.string().max(100).optional();
const editContactsSchema = z.object({
  serviceId: z.coerce.number().int().positive().max(MAX_ROW_ID),
  takeBack: z.enum(["tech", "billing"]).optional(),
  admin: customerIdField,
  tech: customerIdField,
  billing: customerIdField,
  shown_admin: customerIdField,
  shown_tech: customerIdField,
  shown_billing: customerIdField,
  // Sent only from the confirmation step; without it a hand-over or a take-back only asks.
  confirmed: z.literal("yes").optional(),
  // The confirmation step's "Go back".
  back: z.literal("yes").optional(),
});

export async function editContactsAction(_previous: unknown, formData: unknown): Promise<EditContactsState> {
  const account = await requireAccount();
  const parsed = parseForm(editContactsSchema, formData);
  if (!parsed.ok) return { status: "error", reason: "invalid_form", fieldErrors: {}, values: {} };
  const form = parsed.data;
  const values = { admin: form.admin, tech: form.tech, billing: form.billing };
  if (form.back) return { status: "idle", values };

  // "Take back" is a one-click request for that contact alone, whatever the fields say.
  const fields: Partial<Record<ContactType, string>> = form.takeBack
    ? { [form.takeBack]: account.customerId }
    : Object.fromEntries(
        CONTACT_TYPES.flatMap((type) => (values[type] === undefined ? [] : [[type, values[type]]])),
      );
  const shown = form.takeBack
    ? {}
    : { admin: form.shown_admin, tech: form.shown_tech, billing: form.shown_billing };

  const result = await requestContactChange(getDb(), {
    actorId: account.id,
    serviceId: form.serviceId,
    fields,
    shown,
    askFirst: form.confirmed !== "yes",
  });
  if (!result.ok && result.reason === "needs_confirmation") {
    return {
      status: "confirm",
      requests: result.requests,
      values: form.takeBack ? {} : values,
      takeBack: form.takeBack,
    };
  }
  if (!result.ok) {
    return {
      status: "error",
      reason: result.reason,
      fieldErrors: result.reason === "invalid_fields" ? result.fieldErrors : {},
      values: form.takeBack ? {} : values,
    };
  }
  kickOutboxSender();
  revalidatePath(`/contacts/${form.serviceId}`);
  return { status: "success", requests: result.requests };
}
