import { eq, inArray } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { accounts, type ChangeRequest, changeRequests, type Service, services } from "@/db/schema";
import { contactTypesFromFlags, type ServiceContacts } from "@/lib/contact-change";
import { requestEventData, serviceContactsChangedData } from "@/lib/provider/events/event-payloads";
import { recordWebhookEvent, recordWebhookEvents } from "@/lib/provider/events/record-webhook-event";
import type { WebhookEventType } from "@/lib/provider/vocabulary";

/**
 * The steps of a request's history the provider's systems hear of, by history kind: its creation,
 * each party's acceptance and every final state. Wrong codes and resent e-mails stay inside.
 */
const WEBHOOK_TYPE_OF_KIND: ReadonlyMap<string, WebhookEventType> = new Map([
  ["created", "request.created"],
  ["accepted", "request.accepted"],
  ["done", "request.done"],
  ["refused", "request.refused"],
  ["expired", "request.expired"],
  ["cancelled", "request.cancelled"],
]);

/** Customer IDs of the accounts `ids`, in one query. */
async function customerIdsOf(tx: Tx, ids: number[]): Promise<Map<number, string>> {
  const rows = await tx
    .select({ id: accounts.id, customerId: accounts.customerId })
    .from(accounts)
    .where(inArray(accounts.id, [...new Set(ids)]));
  return new Map(rows.map((row) => [row.id, row.customerId]));
}

/**
 * Writes the `request.*` event of a history entry, in the transaction of the step (called by
 * recordEvent, the one place every step passes through). The request is read as the step left
 * it, and only when an endpoint takes the event.
 */
export async function emitRequestWebhookEvent(
  tx: Tx,
  entry: { requestId: number; actorId: number | null; kind: string; at: Date },
): Promise<void> {
  const type = WEBHOOK_TYPE_OF_KIND.get(entry.kind);
  if (!type) return;
  await recordWebhookEvent(tx, { type, at: entry.at, data: () => requestData(tx, entry) });
}

/** `request.created` for many requests registered together (a bulk hand-over), endpoints read once. */
export async function emitRequestsCreated(
  tx: Tx,
  input: { requestIds: number[]; actorId: number | null; at: Date },
): Promise<void> {
  await recordWebhookEvents(
    tx,
    input.requestIds.map((requestId) => ({
      type: "request.created" as const,
      at: input.at,
      data: () => requestData(tx, { requestId, actorId: input.actorId }),
    })),
  );
}

/** A request's event payload, read as the step left it. */
async function requestData(
  tx: Tx,
  entry: { requestId: number; actorId: number | null },
): Promise<Record<string, unknown>> {
  const [row] = (await tx
    .select({ request: changeRequests, serviceType: services.type, serviceName: services.name })
    .from(changeRequests)
    .innerJoin(services, eq(services.id, changeRequests.serviceId))
    .where(eq(changeRequests.id, entry.requestId))) as [
    { request: ChangeRequest; serviceType: Service["type"]; serviceName: string },
  ];
  const { request } = row;
  const ids = [request.requestedById, request.oldContactId, request.newContactId];
  const customerIds = await customerIdsOf(tx, entry.actorId === null ? ids : [...ids, entry.actorId]);
  const customerIdOf = (id: number) => customerIds.get(id) ?? "";
  return requestEventData({
    request: {
      id: request.id,
      state: request.state,
      service: { type: row.serviceType, name: row.serviceName },
      contactTypes: contactTypesFromFlags(request),
      askingAccount: customerIdOf(request.requestedById),
      fromAccount: customerIdOf(request.oldContactId),
      toAccount: customerIdOf(request.newContactId),
      createdAt: request.createdAt,
      expiresAt: request.expiresAt,
      endedAt: request.endedAt,
      endReason: request.endReason,
    },
    actor: entry.actorId === null ? null : customerIdOf(entry.actorId),
  });
}

/** Writes `service.contacts_changed` for a request applied to its service, in the transaction that applied it. */
export async function emitContactsChangedByRequest(
  tx: Tx,
  change: { service: Service; after: ServiceContacts; requestId: number; at: Date },
): Promise<void> {
  const { service, after } = change;
  await recordWebhookEvent(tx, {
    type: "service.contacts_changed",
    at: change.at,
    data: async () => {
      const customerIds = await customerIdsOf(tx, [
        service.adminId,
        service.techId,
        service.billingId,
        after.adminId,
        after.techId,
        after.billingId,
      ]);
      const contactsOf = (holders: ServiceContacts) => ({
        admin: customerIds.get(holders.adminId) ?? "",
        tech: customerIds.get(holders.techId) ?? "",
        billing: customerIds.get(holders.billingId) ?? "",
      });
      return serviceContactsChangedData({
        service: { type: service.type, name: service.name },
        contacts: contactsOf(after),
        previous: contactsOf(service),
        cause: "request",
        requestId: change.requestId,
      });
    },
  });
}
