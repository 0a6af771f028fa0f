import { and, eq, inArray, isNull, lt } from "drizzle-orm";
import { type Db, isUniqueViolation, lockRows, type Tx } from "@/db/client";
import {
  accounts,
  CONTACT_TYPES,
  type ContactType,
  changeRequests,
  confirmations,
  requestBatches,
  requestEvents,
  type Service,
  services,
} from "@/db/schema";
import { chunks } from "@/lib/chunks";
import { requestExpiryDays } from "@/lib/config";
import {
  actorRoles,
  contactTypeFlags,
  contactTypesFromFlags,
  expiresAt as expiryOf,
  type FieldError,
  needsConfirmationStep,
  type PendingRequestSummary,
  type PlannedRequest,
  type ProposedContact,
  planContactChange,
} from "@/lib/contact-change";
import { parseCustomerId } from "@/lib/customer-id";
import { listMatchingServiceIds } from "@/lib/services/list-services";
import { emitRequestsCreated } from "../emit-request-webhook-events";
import { expireOverdueRequests } from "../end-request";
import { accountsBehindWithPayments } from "../request-context";
import { issueBatchCodes, unusableBatchTokenHash } from "./batch-codes";
import { type BatchRefusal, type BatchSelection, MAX_BATCH_SERVICES, type Person } from "./vocabulary";

export type RegisterBatchInput = {
  actorId: number;
  selection: BatchSelection;
  /** The customer ID typed per field; a missing or blank field changes nothing. */
  fields: Partial<Record<ContactType, string>>;
  /**
   * Show the asker what they are about to do before a hand-over of the administrator contact or
   * a take-back (needsConfirmationStep), as the edit form does: such a plan comes back as
   * `needs_confirmation`, nothing registered. Submit again without it to register.
   */
  askFirst?: boolean;
  now?: Date;
};

export type RegisterBatchResult =
  /** None of the selected services is one the actor is a contact of (or none was selected). */
  | { ok: false; reason: "nothing_selected" }
  /** More services than MAX_BATCH_SERVICES were selected: nothing was registered. */
  | { ok: false; reason: "too_many"; limit: number }
  /** Every field was left blank. */
  | { ok: false; reason: "nothing_to_change" }
  /**
   * With `askFirst`: the plan hands over the administrator contact or takes contacts back on
   * `stepCount` of its requests; nothing was registered.
   */
  | {
      ok: false;
      reason: "needs_confirmation";
      requestCount: number;
      serviceCount: number;
      stepCount: number;
      refused: BatchRefusal[];
    }
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

/** Rows per IN list and per multi-row insert: under SQLite's 32,766 parameters, and PostgreSQL's 65,535. */
const ROWS_PER_STATEMENT = 500;

/**
 * A bulk hand-over: applies the rules of the edit form to every selected service, registers the
 * allowed changes as requests of one batch and lists the refused services with their reasons.
 * Each confirmer gets one e-mail with one code for the whole batch.
 *
 * One transaction, set-based: the services, their pending requests and the payment standings are
 * read in a few IN queries, the domain plans each service as the edit form would
 * (`planContactChange`, typed fields counting as edited), and requests, confirmations and history
 * go in multi-row inserts, so 10,000 services cost a few dozen statements, not 100,000.
 */
export async function registerBatch(db: Db, input: RegisterBatchInput): Promise<RegisterBatchResult> {
  const now = input.now ?? new Date();
  const typed = typedFields(input.fields);
  if (typed.size === 0) return { ok: false, reason: "nothing_to_change" };
  const proposed = await readProposedContacts(db, typed);
  if (!proposed.ok) return proposed;

  const serviceIds = await resolveSelection(db, input.actorId, input.selection);
  if (serviceIds.length > MAX_BATCH_SERVICES)
    return { ok: false, reason: "too_many", limit: MAX_BATCH_SERVICES };
  if (serviceIds.length === 0) return { ok: false, reason: "nothing_selected" };

  const register = () =>
    db.transaction((tx) =>
      registerInTransaction(tx, {
        actorId: input.actorId,
        serviceIds,
        proposed: proposed.contacts,
        askFirst: input.askFirst ?? false,
        now,
      }),
    );
  // Lost a race against a concurrent request on one of the services: plan again, which now
  // refuses that service with the request in the way (a few times: 10,000 services can meet
  // more than one racer).
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await register();
    } catch (error) {
      if (!isUniqueViolation(error) || attempt >= MAX_ATTEMPTS) throw error;
    }
  }
}

/** How many times a registration that lost a race to a concurrent request is planned again. */
const MAX_ATTEMPTS = 4;

/**
 * How many services a selection covers for `actorId` (to show before confirming), capped at
 * MAX_BATCH_SERVICES + 1.
 */
export async function countBatchSelection(
  db: Db,
  input: { actorId: number; selection: BatchSelection },
): Promise<number> {
  return (await resolveSelection(db, input.actorId, input.selection)).length;
}

/** The non-blank fields, each as typed (trimmed). */
function typedFields(fields: Partial<Record<ContactType, string>>): Map<ContactType, string> {
  const typed = new Map<ContactType, string>();
  for (const type of CONTACT_TYPES) {
    const text = fields[type]?.trim();
    if (text) typed.set(type, text);
  }
  return typed;
}

/**
 * The accounts the fields name. A malformed or unknown customer ID is the same mistake on every
 * service, so it refuses the whole submission at its field, as the edit form does.
 */
async function readProposedContacts(
  db: Db,
  typed: Map<ContactType, string>,
): Promise<
  | { ok: true; contacts: Partial<Record<ContactType, ProposedContact>> }
  | { ok: false; reason: "invalid_fields"; fieldErrors: Partial<Record<ContactType, FieldError>> }
> {
  const parsed = new Map([...typed].map(([type, text]) => [type, parseCustomerId(text)]));
  const customerIds = [...new Set(parsed.values())].filter((id): id is string => id !== null);
  const found = customerIds.length
    ? await db.read
        .select({ id: accounts.id, customerId: accounts.customerId })
        .from(accounts)
        .where(inArray(accounts.customerId, customerIds))
    : [];
  const idOf = new Map(found.map((account) => [account.customerId, account.id]));
  const contacts: Partial<Record<ContactType, ProposedContact>> = {};
  const fieldErrors: Partial<Record<ContactType, FieldError>> = {};
  for (const [type, customerId] of parsed) {
    const accountId = customerId === null ? undefined : idOf.get(customerId);
    if (customerId === null) fieldErrors[type] = { reason: "malformed_customer_id" };
    else if (accountId === undefined) fieldErrors[type] = { reason: "unknown_account" };
    else contacts[type] = { accountId, customerId, edited: true };
  }
  return Object.keys(fieldErrors).length > 0
    ? { ok: false, reason: "invalid_fields", fieldErrors }
    : { ok: true, contacts };
}

/**
 * The selected services the actor is a contact of, at most MAX_BATCH_SERVICES + 1 (one more says
 * "too many"). Ticked ids of services that are not theirs (or no longer exist) drop out silently,
 * as if never ticked: a forged id learns nothing.
 */
async function resolveSelection(db: Db, actorId: number, selection: BatchSelection): Promise<number[]> {
  if (selection.kind === "filter") {
    return listMatchingServiceIds(db, actorId, selection, MAX_BATCH_SERVICES + 1);
  }
  const ids = [...new Set(selection.serviceIds.filter((id) => Number.isSafeInteger(id) && id > 0))];
  if (ids.length > MAX_BATCH_SERVICES) return ids;
  const own: number[] = [];
  for (const part of chunks(ids, ROWS_PER_STATEMENT)) {
    const rows = await db.read
      .select({
        id: services.id,
        adminId: services.adminId,
        techId: services.techId,
        billingId: services.billingId,
      })
      .from(services)
      .where(and(inArray(services.id, part), isNull(services.removedAt)));
    own.push(...rows.filter((service) => actorRoles(service, actorId).length > 0).map((row) => row.id));
  }
  return own;
}

async function registerInTransaction(
  tx: Tx,
  input: {
    actorId: number;
    serviceIds: number[];
    proposed: Partial<Record<ContactType, ProposedContact>>;
    askFirst: boolean;
    now: Date;
  },
): Promise<RegisterBatchResult> {
  const { actorId, now } = input;
  const ordered = [...input.serviceIds].sort((a, b) => a - b);
  const selected: Service[] = [];
  for (const part of chunks(ordered, ROWS_PER_STATEMENT)) {
    // PostgreSQL: the services stay locked until commit, in id order (as every bulk writer takes
    // them), so no apply on another instance changes their contacts between plan and insert.
    await lockRows(tx, services, inArray(services.id, part));
    selected.push(
      ...(await tx
        .select()
        .from(services)
        .where(and(inArray(services.id, part), isNull(services.removedAt)))),
    );
  }
  const mine = selected.filter((service) => actorRoles(service, actorId).length > 0);
  if (mine.length === 0) return { ok: false, reason: "nothing_selected" };
  mine.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id - b.id));

  await expireOverdue(tx, mine, now);
  const pending = await pendingRequestsOf(tx, mine);
  const behindWithPayments = await accountsBehindWithPayments(
    tx,
    [...new Set([actorId, ...mine.map((service) => service.billingId)])],
    now,
  );

  const planned: PlannedRequest[] = [];
  const refused: BatchRefusal[] = [];
  for (const service of mine) {
    const plan = planContactChange({
      actorId,
      service,
      proposed: input.proposed,
      behindWithPayments,
      pendingRequests: pending.get(service.id) ?? [],
    });
    if (plan.ok) planned.push(...plan.requests);
    else if (plan.reason === "invalid_fields") {
      refused.push({
        serviceId: service.id,
        serviceName: service.name,
        serviceType: service.type,
        fieldErrors: plan.fieldErrors,
      });
    }
    // `nothing_to_change` (every field names the holder already, unedited) cannot happen with
    // typed fields, and `not_a_contact` was filtered out above.
  }
  if (planned.length === 0) {
    return { ok: true, batchId: null, requestCount: 0, serviceCount: 0, refused, confirmers: [] };
  }
  const serviceCount = new Set(planned.map((request) => request.serviceId)).size;
  const stepCount = planned.filter(needsConfirmationStep).length;
  if (input.askFirst && stepCount > 0) {
    return {
      ok: false,
      reason: "needs_confirmation",
      requestCount: planned.length,
      serviceCount,
      stepCount,
      refused,
    };
  }

  const expiresAt = expiryOf(now, requestExpiryDays());
  const [batch] = (await tx
    .insert(requestBatches)
    .values({ requestedById: actorId, createdAt: now, expiresAt })
    .returning({ id: requestBatches.id })) as [{ id: number }];
  const adminOf = new Map(mine.map((service) => [service.id, service.adminId]));
  const requestIds = await insertRequests(tx, {
    actorId,
    planned,
    batchId: batch.id,
    adminOf,
    expiresAt,
    now,
  });
  const confirmerIds = [...new Set(planned.flatMap((request) => request.confirmerIds))];
  const people = await issueBatchCodes(tx, { batchId: batch.id, confirmerIds, isResend: false, now });

  return {
    ok: true,
    batchId: batch.id,
    requestCount: requestIds.length,
    serviceCount,
    refused,
    confirmers: people,
  };
}

/** Records the expiry of the selected services' overdue requests, so they no longer block new ones. */
async function expireOverdue(tx: Tx, selected: Service[], now: Date): Promise<void> {
  const overdueServiceIds = new Set<number>();
  for (const part of chunks(
    selected.map((service) => service.id),
    ROWS_PER_STATEMENT,
  )) {
    const rows = await tx
      .select({ serviceId: changeRequests.serviceId })
      .from(changeRequests)
      .where(
        and(
          inArray(changeRequests.serviceId, part),
          eq(changeRequests.state, "pending"),
          lt(changeRequests.expiresAt, new Date(now.getTime() + 1)),
        ),
      );
    for (const row of rows) overdueServiceIds.add(row.serviceId);
  }
  for (const serviceId of overdueServiceIds) await expireOverdueRequests(tx, { serviceId, now });
}

/** The pending requests of the selected services, by service. */
async function pendingRequestsOf(tx: Tx, selected: Service[]): Promise<Map<number, PendingRequestSummary[]>> {
  const byService = new Map<number, PendingRequestSummary[]>();
  for (const part of chunks(
    selected.map((service) => service.id),
    ROWS_PER_STATEMENT,
  )) {
    const rows = await tx
      .select()
      .from(changeRequests)
      .where(and(inArray(changeRequests.serviceId, part), eq(changeRequests.state, "pending")));
    for (const row of rows) {
      const list = byService.get(row.serviceId) ?? [];
      list.push({ id: row.id, contactTypes: contactTypesFromFlags(row) });
      byService.set(row.serviceId, list);
    }
  }
  return byService;
}

/**
 * The batch's requests, their confirmations (each carrying a hash no code has: the batch's one
 * code answers them, see batch-codes.ts) and their "created" history, in multi-row inserts.
 * Returns the new requests' ids in `planned`'s order.
 */
async function insertRequests(
  tx: Tx,
  input: {
    actorId: number;
    planned: PlannedRequest[];
    batchId: number;
    adminOf: Map<number, number>;
    expiresAt: Date;
    now: Date;
  },
): Promise<number[]> {
  const { batchId, now } = input;
  const ids: number[] = [];
  for (const part of chunks(input.planned, ROWS_PER_STATEMENT)) {
    const inserted = await tx
      .insert(changeRequests)
      .values(
        part.map((planned) => ({
          serviceId: planned.serviceId,
          serviceAdminId: input.adminOf.get(planned.serviceId) as number,
          requestedById: planned.requestedById,
          oldContactId: planned.oldContactId,
          newContactId: planned.newContactId,
          ...contactTypeFlags(planned.contactTypes),
          state: "pending" as const,
          createdAt: now,
          expiresAt: input.expiresAt,
          batchId,
        })),
      )
      .returning({ id: changeRequests.id });
    // Both engines return a multi-row insert's rows in the order of its VALUES.
    const partIds = inserted.map((row) => row.id);
    ids.push(...partIds);
    const rows = part.map((planned, index) => ({ planned, requestId: partIds[index] as number }));
    await tx.insert(confirmations).values(
      rows.flatMap(({ planned, requestId }) =>
        planned.confirmerIds.map((accountId) => ({
          requestId,
          accountId,
          tokenHash: unusableBatchTokenHash({ batchId, requestId, accountId }),
          tokenIssuedAt: now,
        })),
      ),
    );
    await tx.insert(requestEvents).values(
      rows.map(({ planned, requestId }) => ({
        requestId,
        actorId: planned.requestedById,
        kind: "created",
        detail: {
          contactTypes: planned.contactTypes,
          kind: planned.kind,
          confirmerIds: planned.confirmerIds,
          batchId,
        },
        at: now,
      })),
    );
    await emitRequestsCreated(tx, { requestIds: partIds, actorId: input.actorId, at: now });
  }
  return ids;
}
