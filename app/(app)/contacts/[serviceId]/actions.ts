"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db/client";
import { MAX_ROW_ID } from "@/db/row-id";
import { CONTACT_TYPES, type ContactType } from "@/db/schema";
import { kickOutboxSender } from "@/lib/email/outbox-sender";
import { parseForm } from "@/lib/parse-form";
import {
  type ContactFieldError,
  type RegisteredRequest,
  requestContactChange,
} from "@/lib/requests/request-contact-change";
import { requireAccount } from "@/lib/session";

export type EditContactsState =
  | { status: "idle" }
  | { status: "success"; requests: RegisteredRequest[] }
  | {
      status: "error";
      reason: "not_found" | "nothing_to_change" | "invalid_fields" | "invalid_form";
      fieldErrors: Partial<Record<ContactType, ContactFieldError>>;
      values: Partial<Record<ContactType, string>>;
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
});

export async function editContactsAction(_previous: unknown, formData: unknown): Promise<EditContactsState> {
  const account = await requireAccount();
  const parsed = parseForm(editContactsSchema, formData);
  if (!parsed.ok) return { status: "error", reason: "invalid_form", fieldErrors: {}, values: {} };
  const form = parsed.data;
  const values = { admin: form.admin, tech: form.tech, billing: form.billing };

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
  });
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
