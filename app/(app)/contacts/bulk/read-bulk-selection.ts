import { z } from "zod";
import { MAX_ROW_ID } from "@/db/row-id";
import { CONTACT_TYPES, SERVICE_TYPES } from "@/db/schema";
import { type BatchSelection, MAX_BATCH_SERVICES } from "@/lib/requests/batches/vocabulary";

/** As My contacts reads its search (lib/services/list-services.ts), so "all matching" means the same list. */
const MAX_SEARCH_LENGTH = 100;

/**
 * The selection's fields, from /contacts/bulk's address or the form's hidden fields. Values that
 * are not ours are dropped, not refused: the address is typed or edited by hand.
 */
const selectionFields = z.object({
  /** Ticked rows: one value per row in the address, comma-joined in the form's hidden field. */
  service: z.array(z.string()).catch([]),
  all: z.literal("1").optional().catch(undefined),
  q: z
    .string()
    .catch("")
    .transform((search) => search.trim().slice(0, MAX_SEARCH_LENGTH)),
  type: z.enum(SERVICE_TYPES).nullable().catch(null),
  role: z.enum(CONTACT_TYPES).nullable().catch(null),
});

export type SelectionFields = z.input<typeof selectionFields>;

const serviceId = z.coerce.number().int().positive().max(MAX_ROW_ID);

/**
 * What the bulk hand-over covers, or null when nothing is selected. "All matching" wins over
 * ticked rows (it covers them). A ticked list is cut one past MAX_BATCH_SERVICES, so the domain
 * still sees that it is too long without the page carrying more.
 */
export function readBulkSelection(fields: Record<string, unknown>): BatchSelection | null {
  const parsed = selectionFields.parse({
    service: fields.service === undefined ? [] : [fields.service].flat(),
    all: fields.all,
    q: fields.q ?? "",
    type: fields.type || null,
    role: fields.role || null,
  });
  if (parsed.all) return { kind: "filter", search: parsed.q, type: parsed.type, role: parsed.role };
  const ids = new Set<number>();
  for (const value of parsed.service.flatMap((entry) => entry.split(","))) {
    const id = serviceId.safeParse(value.trim());
    if (id.success) ids.add(id.data);
    if (ids.size > MAX_BATCH_SERVICES) break;
  }
  return ids.size > 0 ? { kind: "services", serviceIds: [...ids] } : null;
}

/** The selection as the form's hidden fields carry it to the action. */
export function selectionHiddenFields(selection: BatchSelection): Record<string, string> {
  if (selection.kind === "services") return { service: selection.serviceIds.join(",") };
  const fields: Record<string, string> = { all: "1" };
  if (selection.search) fields.q = selection.search;
  if (selection.type) fields.type = selection.type;
  if (selection.role) fields.role = selection.role;
  return fields;
}
