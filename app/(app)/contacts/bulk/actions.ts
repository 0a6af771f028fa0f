"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db/client";
import type { ContactType } from "@/db/schema";
import type { FieldError } from "@/lib/contact-change";
import { kickOutboxSender } from "@/lib/email/outbox-sender";
import { parseForm } from "@/lib/parse-form";
import { registerBatch } from "@/lib/requests/batches/register-batch";
import type { BatchRefusal, Person } from "@/lib/requests/batches/vocabulary";
import { requireAccount } from "@/lib/session";
import { readBulkSelection } from "./read-bulk-selection";

type FieldValues = Partial<Record<ContactType, string>>;

export type BulkChangeState =
  /** `values`: what the fields held when the asker went back from the confirmation step. */
  | { status: "idle"; values?: FieldValues }
  /**
   * Nothing registered yet: the batch would hand over the administrator contact or take contacts
   * back (on `stepCount` of its requests), and the asker is to confirm it first.
   */
  | {
      status: "confirm";
      requestCount: number;
      serviceCount: number;
      stepCount: number;
      /** The first refused services, and how many in all. */
      refused: BatchRefusal[];
      refusedCount: number;
      values: FieldValues;
    }
  /** `batchId` null: every selected service was refused, nothing was registered. */
  | {
      status: "registered";
      batchId: number | null;
      requestCount: number;
      serviceCount: number;
      /** The first refused services, and how many in all. */
      refused: BatchRefusal[];
      refusedCount: number;
      confirmers: Person[];
    }
  | {
      status: "error";
      reason: "nothing_selected" | "too_many" | "nothing_to_change" | "invalid_fields" | "invalid_form";
      /** With `too_many`: the most services one hand-over may cover. */
      limit: number | null;
      fieldErrors: Partial<Record<ContactType, FieldError>>;
      values: FieldValues;
    };

/** How many refused services the page lists; the rest are counted. */
const REFUSALS_SHOWN = 100;

const customerIdField = z.string().max(100).optional();
// The selection's own values are read (and junk dropped) by readBulkSelection; these bounds only
// keep an absurd body from being read at all. A ticked list of MAX_BATCH_SERVICES ids fits.
const bulkChangeSchema = z.object({
  service: z.string().max(200_000).optional(),
  all: z.string().max(10).optional(),
  q: z.string().max(1000).optional(),
  type: z.string().max(50).optional(),
  role: z.string().max(50).optional(),
  admin: customerIdField,
  tech: customerIdField,
  billing: customerIdField,
  // Sent only from the confirmation step; without it a batch that needs the step only asks.
  confirmed: z.literal("yes").optional(),
  // The confirmation step's "Go back".
  back: z.literal("yes").optional(),
});

/**
 * "Confirm" on /contacts/bulk. The selection comes back from hidden fields, so it is only what the
 * user asks for: the domain keeps the services the actor is a contact of and applies the edit
 * form's rules to each.
 */
export async function bulkChangeAction(_previous: unknown, formData: unknown): Promise<BulkChangeState> {
  const account = await requireAccount();
  const parsed = parseForm(bulkChangeSchema, formData);
  const invalid = { limit: null, fieldErrors: {}, values: {} };
  if (!parsed.ok) return { status: "error", reason: "invalid_form", ...invalid };
  const form = parsed.data;
  const values: FieldValues = { admin: form.admin, tech: form.tech, billing: form.billing };
  if (form.back) return { status: "idle", values };
  const selection = readBulkSelection(form);
  if (!selection) return { status: "error", reason: "nothing_selected", ...invalid, values };

  const result = await registerBatch(getDb(), {
    actorId: account.id,
    selection,
    fields: values,
    askFirst: form.confirmed !== "yes",
  });
  if (!result.ok && result.reason === "needs_confirmation") {
    const { requestCount, serviceCount, stepCount } = result;
    return {
      status: "confirm",
      requestCount,
      serviceCount,
      stepCount,
      ...shownRefusals(result.refused),
      values,
    };
  }
  if (!result.ok) {
    return {
      status: "error",
      reason: result.reason,
      limit: result.reason === "too_many" ? result.limit : null,
      fieldErrors: result.reason === "invalid_fields" ? result.fieldErrors : {},
      values,
    };
  }
  if (result.batchId !== null) {
    kickOutboxSender();
    revalidatePath("/requests");
  }
  return {
    status: "registered",
    batchId: result.batchId,
    requestCount: result.requestCount,
    serviceCount: result.serviceCount,
    ...shownRefusals(result.refused),
    confirmers: result.confirmers,
  };
}

/**
 * The refused services the page lists: the first REFUSALS_SHOWN, and how many in all. The form
 * state goes back to the server with the next submit, and 10,000 refusals would pass the 1 MiB
 * body limit; re-planning on that submit finds them again anyway.
 */
function shownRefusals(refused: BatchRefusal[]): { refused: BatchRefusal[]; refusedCount: number } {
  return { refused: refused.slice(0, REFUSALS_SHOWN), refusedCount: refused.length };
}
