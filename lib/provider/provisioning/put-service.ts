import { and, eq, inArray, isNull } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { type Db, lockRows, type Tx } from "@/db/client";
import { accounts, changeRequests, type Service, services } from "@/db/schema";
import { serviceContactsChangedData, serviceRemovedData } from "@/lib/provider/events/event-payloads";
import { recordWebhookEvent } from "@/lib/provider/events/record-webhook-event";
import { cancelInvalidatedRequests, endRequest, expireOverdueRequests } from "@/lib/requests/end-request";
import { loadRequestContext } from "@/lib/requests/request-context";
import type { ProvisionedService, PutServiceResult, RemoveServiceResult } from "./index";
import { type ContactIds, contactsOf, isSameContacts, unknownAccountMessage } from "./plan-service-write";
import type { ServiceInput, ServiceKey } from "./provisioning-schemas";

/**
 * Creates or updates a service and its three contacts. The provider's word needs no
 * confirmation, but pending requests it makes stale end as cancelled (as an applied request's
 * change does), and a change of contacts is an event for the provider's endpoints.
 */
export async function putService(db: Db, input: ServiceInput, now = new Date()): Promise<PutServiceResult> {
  return db.transaction(async (tx) => {
    const contacts = await resolveContacts(tx, input);
    if (!contacts.ok) return contacts;
    return writeService(tx, { key: input, contacts: contacts.ids, now });
  });
}

const CONTACT_FIELDS = ["contactAdmin", "contactTech", "contactBilling"] as const;

/** The accounts a service's contacts name, or the first field that names no account. */
async function resolveContacts(
  tx: Tx,
  input: ServiceInput,
): Promise<{ ok: true; ids: ContactIds } | Extract<PutServiceResult, { ok: false }>> {
  const wanted = CONTACT_FIELDS.map((field) => input[field]);
  const rows = await tx
    .select({ id: accounts.id, customerId: accounts.customerId })
    .from(accounts)
    .where(inArray(accounts.customerId, [...new Set(wanted)]));
  const idOf = new Map(rows.map((row) => [row.customerId, row.id]));
  for (const field of CONTACT_FIELDS) {
    if (!idOf.has(input[field])) {
      return {
        ok: false,
        reason: "unknown_account",
        field,
        message: unknownAccountMessage(field, input[field]),
      };
    }
  }
  const id = (field: (typeof CONTACT_FIELDS)[number]) => idOf.get(input[field]) as number;
  return {
    ok: true,
    ids: { adminId: id("contactAdmin"), techId: id("contactTech"), billingId: id("contactBilling") },
  };
}

/**
 * putService's work inside a transaction, once the contacts are known to exist: the one path by
 * which the provider's word changes a service (the bulk import sends every existing service it
 * changes through it, and inserts only new ones in batches). Locks the service's row first on
 * PostgreSQL, as every writer of a service does (loadRequestContext), so an apply on another
 * instance cannot change the contacts between the read and the write.
 */
export async function writeService(
  tx: Tx,
  { key, contacts, now }: { key: ServiceKey; contacts: ContactIds; now: Date },
): Promise<Extract<PutServiceResult, { ok: true }>> {
  const where = and(eq(services.type, key.type), eq(services.name, key.name));
  await lockRows(tx, services, where as NonNullable<typeof where>);
  let [existing] = await tx.select().from(services).where(where);
  if (!existing) {
    const [inserted] = await tx
      .insert(services)
      .values({ type: key.type, name: key.name, ...contacts, createdAt: now })
      .onConflictDoNothing({ target: [services.type, services.name] })
      .returning();
    if (inserted) {
      await recordContactsChanged(tx, { service: inserted, previous: null, now });
      return {
        ok: true,
        created: true,
        service: await provisionedService(tx, inserted),
        cancelledRequestIds: [],
      };
    }
    // PostgreSQL: another instance inserted it since the read (its insert waited for that commit).
    await lockRows(tx, services, where as NonNullable<typeof where>);
    [existing] = await tx.select().from(services).where(where);
    if (!existing) throw new Error(`service ${key.type} ${key.name} neither inserted nor found`);
  }
  const isRevived = existing.removedAt !== null;
  if (!isRevived && isSameContacts(existing, contacts)) {
    return {
      ok: true,
      created: false,
      service: await provisionedService(tx, existing),
      cancelledRequestIds: [],
    };
  }
  const [updated] = (await tx
    .update(services)
    .set({ ...contacts, removedAt: null })
    .where(eq(services.id, existing.id))
    .returning()) as [Service];
  // Requests already past their deadline end as expired, not as cancelled by this change.
  await expireOverdueRequests(tx, { serviceId: updated.id, now });
  const cancelledRequestIds = await cancelInvalidatedRequests(tx, { service: updated, now });
  // A revived service starts anew for the provider's systems, as a new one does.
  await recordContactsChanged(tx, { service: updated, previous: isRevived ? null : existing, now });
  return {
    ok: true,
    created: isRevived,
    service: await provisionedService(tx, updated),
    cancelledRequestIds,
  };
}

async function recordContactsChanged(
  tx: Tx,
  { service, previous, now }: { service: Service; previous: Service | null; now: Date },
): Promise<void> {
  const names = await customerIdsOf(tx, [...contactsOf(service), ...(previous ? contactsOf(previous) : [])]);
  const named = (row: Service) => ({
    admin: names.get(row.adminId) as string,
    tech: names.get(row.techId) as string,
    billing: names.get(row.billingId) as string,
  });
  await recordWebhookEvent(tx, {
    type: "service.contacts_changed",
    data: serviceContactsChangedData({
      service: { type: service.type, name: service.name },
      contacts: named(service),
      previous: previous ? named(previous) : null,
      cause: "provider",
    }),
    at: now,
  });
}

async function customerIdsOf(tx: Tx, ids: number[]): Promise<Map<number, string>> {
  const rows = await tx
    .select({ id: accounts.id, customerId: accounts.customerId })
    .from(accounts)
    .where(inArray(accounts.id, [...new Set(ids)]));
  return new Map(rows.map((row) => [row.id, row.customerId]));
}

async function provisionedService(tx: Tx, service: Service): Promise<ProvisionedService> {
  const names = await customerIdsOf(tx, contactsOf(service));
  return toProvisionedService(service, names);
}

function toProvisionedService(
  service: Pick<Service, "type" | "name" | "adminId" | "techId" | "billingId">,
  names: Map<number, string>,
): ProvisionedService {
  return {
    type: service.type,
    name: service.name,
    contactAdmin: names.get(service.adminId) as string,
    contactTech: names.get(service.techId) as string,
    contactBilling: names.get(service.billingId) as string,
  };
}

const admin = alias(accounts, "admin");
const tech = alias(accounts, "tech");
const billing = alias(accounts, "billing");

/** The service (not removed) with this type and name, or null. */
export async function getService(db: Db, key: ServiceKey): Promise<ProvisionedService | null> {
  const [row] = await db.read
    .select({
      type: services.type,
      name: services.name,
      contactAdmin: admin.customerId,
      contactTech: tech.customerId,
      contactBilling: billing.customerId,
    })
    .from(services)
    .innerJoin(admin, eq(admin.id, services.adminId))
    .innerJoin(tech, eq(tech.id, services.techId))
    .innerJoin(billing, eq(billing.id, services.billingId))
    .where(and(eq(services.type, key.type), eq(services.name, key.name), isNull(services.removedAt)));
  return row ?? null;
}

/** Removes a service: its pending requests end as cancelled with a reason, everyone told. */
export async function removeService(db: Db, key: ServiceKey, now = new Date()): Promise<RemoveServiceResult> {
  return db.transaction(async (tx) => {
    const where = and(eq(services.type, key.type), eq(services.name, key.name), isNull(services.removedAt));
    await lockRows(tx, services, where as NonNullable<typeof where>);
    const [service] = await tx.select().from(services).where(where);
    if (!service) {
      return { ok: false, reason: "not_found", message: `no ${key.type} service named ${key.name}` };
    }
    await tx.update(services).set({ removedAt: now }).where(eq(services.id, service.id));
    await expireOverdueRequests(tx, { serviceId: service.id, now });
    const pending = await tx
      .select({ id: changeRequests.id })
      .from(changeRequests)
      .where(and(eq(changeRequests.serviceId, service.id), eq(changeRequests.state, "pending")))
      .orderBy(changeRequests.id);
    const cancelledRequestIds: number[] = [];
    for (const { id } of pending) {
      const context = await loadRequestContext(tx, id);
      if (!context) continue;
      const isEnded = await endRequest(tx, context, {
        state: "cancelled",
        reason: "service_removed",
        actorId: null,
        now,
      });
      if (isEnded) cancelledRequestIds.push(id);
    }
    const names = await customerIdsOf(tx, contactsOf(service));
    const contacts = toProvisionedService(service, names);
    await recordWebhookEvent(tx, {
      type: "service.removed",
      data: serviceRemovedData({
        service: { type: service.type, name: service.name },
        contacts: {
          admin: contacts.contactAdmin,
          tech: contacts.contactTech,
          billing: contacts.contactBilling,
        },
      }),
      at: now,
    });
    return { ok: true, cancelledRequestIds };
  });
}
