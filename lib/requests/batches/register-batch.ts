import type { Db } from "@/db/client";
import type { ContactType } from "@/db/schema";
import type { FieldError } from "@/lib/contact-change";
import type { BatchRefusal, BatchSelection, Person } from "./vocabulary";

export type RegisterBatchInput = {
  actorId: number;
  selection: BatchSelection;
  /** The customer ID typed per field; a missing or blank field changes nothing. */
  fields: Partial<Record<ContactType, string>>;
  now?: Date;
};

export type RegisterBatchResult =
  /** None of the selected services is one the actor is a contact of (or none was selected). */
  | { ok: false; reason: "nothing_selected" }
  /** More services than MAX_BATCH_SERVICES were selected: nothing was registered. */
  | { ok: false; reason: "too_many"; limit: number }
  /** Every field was left blank. */
  | { ok: false; reason: "nothing_to_change" }
  /** A field names no account or is not a customer ID: the same for every service, nothing registered. */
  | { ok: false; reason: "invalid_fields"; fieldErrors: Partial<Record<ContactType, FieldError>> }
  | {
      ok: true;
      /** The batch holding the registered requests; null when every service was refused. */
      batchId: number | null;
      /** How many requests were registered (one per service, or more where old contacts differ by type). */
      requestCount: number;
      /** How many services got at least one request. */
      serviceCount: number;
      /** The services refused, with their reasons, in name order. */
      refused: BatchRefusal[];
      /** Who received the batch e-mail with a code. */
      confirmers: Person[];
    };

/**
 * A bulk hand-over: applies the rules of the edit form to every selected service, registers the
 * allowed changes as requests of one batch and lists the refused services with their reasons.
 * Each confirmer gets one e-mail with one code for the whole batch.
 */
export async function registerBatch(db: Db, input: RegisterBatchInput): Promise<RegisterBatchResult> {
  void db;
  void input;
  throw new Error("not implemented");
}

/**
 * How many services a selection covers for `actorId` (to show before confirming), capped at
 * MAX_BATCH_SERVICES + 1.
 */
export async function countBatchSelection(
  db: Db,
  input: { actorId: number; selection: BatchSelection },
): Promise<number> {
  void db;
  void input;
  throw new Error("not implemented");
}
