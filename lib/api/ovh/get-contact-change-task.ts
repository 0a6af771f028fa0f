import type { Db } from "@/db/client";
import { isRowId } from "@/db/row-id";
import { effectiveState } from "@/lib/contact-change";
import { readRequestContext } from "@/lib/requests/request-context";
import { canViewRequest } from "@/lib/requests/request-visibility";
import type { Task } from "./api-schemas";
import { OVH_CONTACT_TYPE_OF, OVH_STATE_OF } from "./ovh-vocabulary";

/**
 * A contact change request as OVH's `nichandle.contactChange.Task`, or null when it does not
 * exist for `accountId` (absent, or not theirs to see: the same 404). Reads only, with the
 * pages' visibility rule (canViewRequest). A pending request past its deadline reads as expired,
 * done at its deadline, as the sweep will record it.
 */
export async function getContactChangeTask(
  db: Db,
  { taskId, accountId, now }: { taskId: number; accountId: number; now: Date },
): Promise<Task | null> {
  if (!isRowId(taskId)) return null;
  const context = await readRequestContext(db.read, taskId);
  if (!context || !canViewRequest(context, accountId)) return null;
  const { request, service, people, contactTypes } = context;
  const customerIdOf = (id: number) => people.get(id)?.customerId ?? "";
  const state = effectiveState(request, now);
  const doneAt = request.endedAt ?? (state === "expired" ? request.expiresAt : null);
  return {
    id: request.id,
    askingAccount: people.get(request.requestedById)?.customerId ?? null,
    contactTypes: contactTypes.map((type) => OVH_CONTACT_TYPE_OF[type]),
    dateRequest: request.createdAt.toISOString(),
    dateDone: doneAt ? doneAt.toISOString() : null,
    fromAccount: customerIdOf(request.oldContactId),
    toAccount: customerIdOf(request.newContactId),
    serviceDomain: service.name,
    state: OVH_STATE_OF[state],
  };
}
