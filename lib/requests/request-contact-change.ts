import { and, eq, inArray } from "drizzle-orm";
import { type Db, isUniqueViolation, lockRows, type Tx } from "@/db/client";
import {
  type Account,
  accounts,
  type ChangeRequest,
  CONTACT_TYPES,
  type ContactType,
  changeRequests,
  confirmations,
  services,
} from "@/db/schema";
import { requestExpiryDays } from "@/lib/config";
import {
  actorRoles,
  canChangeContact,
  canTakeBack,
  contactTypeFlags,
  contactTypesFromFlags,
  expiresAt as expiryOf,
  type FieldError,
  type PlannedRequest,
  planContactChange,
} from "@/lib/contact-change";
import { parseCustomerId } from "@/lib/customer-id";
import { generateToken } from "@/lib/tokens";
import {
  accountsBehindWithPayments,
  enqueueCodeEmail,
  expireOverdueRequests,
  loadRequestContext,
  personRef,
  type RequestContext,
  recordEvent,
} from "./request-context";

/** What one submission of the edit form asks for. */
export type RequestContactChangeInput = {
  actorId: number;
  serviceId: number;
  /** The customer ID typed per field, as typed; a missing field asks for no change. */
  fields: Partial<Record<ContactType, string>>;
  /** The value each field showed when the form was rendered, to tell an edit from a re-send. */
  shown?: Partial<Record<ContactType, string>>;
  now?: Date;
};

/** Why one field is refused: the domain's reasons plus the ones found while reading the form. */
export type ContactFieldError =
  | FieldError
  | { reason: "malformed_customer_id" }
  | { reason: "already_holder"; customerId: string };

export type AccountSummary = Pick<Account, "id" | "customerId" | "name">;

export type RegisteredRequest = {
  id: number;
  contactTypes: ContactType[];
  oldContact: AccountSummary;
  newContact: AccountSummary;
  /** Who receives an e-mail with a validation code. */
  confirmers: AccountSummary[];
};

export type RequestContactChangeResult =
  | { ok: true; requests: RegisteredRequest[] }
  /** The service does not exist for this account: answer 404. */
  | { ok: false; reason: "not_found" }
  | { ok: false; reason: "nothing_to_change" }
  | { ok: false; reason: "invalid_fields"; fieldErrors: Partial<Record<ContactType, ContactFieldError>> };

/**
 * Registers the contact change requests of one edit-form submission in one immediate
 * transaction: re-reads the service, decides with the domain, writes the requests, a
 * token per confirmer (only its hash), a history event and the e-mails to the outbox.
 * Two concurrent submissions for the same service and contact type cannot both win: the
 * partial unique indexes refuse the second, which is reported as the pending request.
 */
export async function requestContactChange(
  db: Db,
  input: RequestContactChangeInput,
): Promise<RequestContactChangeResult> {
  const now = input.now ?? new Date();
  try {
    return await db.transaction((tx) => registerInTransaction(tx, input, now));
  } catch (error) {
    if (isUniqueViolation(error)) {
      // Lost a race against a concurrent submission: plan again to name its request.
      return db.transaction((tx) => registerInTransaction(tx, input, now));
    }
    throw error;
  }
}

async function registerInTransaction(
  tx: Tx,
  input: RequestContactChangeInput,
  now: Date,
): Promise<RequestContactChangeResult> {
  // PostgreSQL: the service's row stays locked until commit, so an apply on another instance
  // cannot change its contacts between this check and the new request (see loadRequestContext).
  await lockRows(tx, services, eq(services.id, input.serviceId));
  const [service] = await tx.select().from(services).where(eq(services.id, input.serviceId));
  if (!service || ![service.adminId, service.techId, service.billingId].includes(input.actorId)) {
    return { ok: false, reason: "not_found" };
  }

  const fieldErrors: Partial<Record<ContactType, ContactFieldError>> = {};
  const proposed: Partial<Record<ContactType, number>> = {};
  const wanted = new Map<ContactType, string>();
  const roles = actorRoles(service, input.actorId);
  // Permission comes first: a field the actor may not change says "not allowed" whatever was
  // typed in it, so it never tells whether a customer ID exists or who holds the role.
  const isAllowed = (type: ContactType) => canChangeContact(roles, type) || canTakeBack(roles, type);
  for (const type of CONTACT_TYPES) {
    const typed = input.fields[type];
    if (typed === undefined) continue;
    const customerId = parseCustomerId(typed);
    if (customerId) wanted.set(type, customerId);
    else fieldErrors[type] = { reason: isAllowed(type) ? "malformed_customer_id" : "not_allowed" };
  }
  const found = wanted.size
    ? await tx
        .select({ id: accounts.id, customerId: accounts.customerId })
        .from(accounts)
        .where(inArray(accounts.customerId, [...new Set(wanted.values())]))
    : [];
  const idOf = new Map(found.map((a) => [a.customerId, a.id]));
  const holders = { admin: service.adminId, tech: service.techId, billing: service.billingId };
  for (const [type, customerId] of wanted) {
    const id = idOf.get(customerId);
    if (!isAllowed(type)) {
      // A read-only field still naming its holder is simply no change.
      if (id !== holders[type]) fieldErrors[type] = { reason: "not_allowed" };
    } else if (id === undefined) {
      fieldErrors[type] = { reason: "unknown_account" };
    } else if (id === holders[type] && isEdited(input, type)) {
      fieldErrors[type] = { reason: "already_holder", customerId };
    } else {
      proposed[type] = id;
    }
  }

  await expireOverdueRequests(tx, { serviceId: service.id, now });
  const pendingRequests = (
    await tx
      .select()
      .from(changeRequests)
      .where(and(eq(changeRequests.serviceId, service.id), eq(changeRequests.state, "pending")))
  ).map((request) => ({ id: request.id, contactTypes: contactTypesFromFlags(request) }));
  // The domain asks only about the actor and the outgoing billing contact, never the proposed
  // one, and it decides synchronously: their standing is read first.
  const behindWithPayments = await accountsBehindWithPayments(tx, [input.actorId, service.billingId], now);

  const plan = planContactChange({
    actorId: input.actorId,
    service,
    proposed,
    behindWithPayments,
    pendingRequests,
  });
  if (!plan.ok && plan.reason === "not_a_contact") return { ok: false, reason: "not_found" };
  const planErrors = !plan.ok && plan.reason === "invalid_fields" ? plan.fieldErrors : {};
  const allErrors = { ...planErrors, ...fieldErrors };
  if (Object.keys(allErrors).length > 0)
    return { ok: false, reason: "invalid_fields", fieldErrors: allErrors };
  if (!plan.ok) return { ok: false, reason: "nothing_to_change" };

  const requests: RegisteredRequest[] = [];
  for (const planned of plan.requests) {
    requests.push(await insertRequest(tx, { planned, serviceAdminId: service.adminId, now }));
  }
  return { ok: true, requests };
}

// A field counts as edited when its text differs from what the form showed; an untouched
// field that still names the holder is simply no change.
function isEdited(input: RequestContactChangeInput, type: ContactType): boolean {
  const shown = input.shown?.[type];
  return shown === undefined || shown.trim() !== (input.fields[type] ?? "").trim();
}

async function insertRequest(
  tx: Tx,
  { planned, serviceAdminId, now }: { planned: PlannedRequest; serviceAdminId: number; now: Date },
): Promise<RegisteredRequest> {
  const [request] = (await tx
    .insert(changeRequests)
    .values({
      serviceId: planned.serviceId,
      // My requests lists it for the administrator; a trigger moves it along when that changes.
      serviceAdminId,
      requestedById: planned.requestedById,
      oldContactId: planned.oldContactId,
      newContactId: planned.newContactId,
      ...contactTypeFlags(planned.contactTypes),
      state: "pending",
      createdAt: now,
      expiresAt: expiryOf(now, requestExpiryDays()),
    })
    .returning()) as [ChangeRequest];
  const codes = new Map<number, string>();
  for (const confirmerId of planned.confirmerIds) {
    const { token, hash } = generateToken();
    await tx
      .insert(confirmations)
      .values({ requestId: request.id, accountId: confirmerId, tokenHash: hash, tokenIssuedAt: now });
    codes.set(confirmerId, token);
  }
  const context = (await loadRequestContext(tx, request.id)) as RequestContext;
  for (const [confirmerId, code] of codes) {
    await enqueueCodeEmail(tx, context, { confirmerId, code, isResend: false, now });
  }
  await recordEvent(tx, {
    requestId: request.id,
    actorId: planned.requestedById,
    kind: "created",
    detail: { contactTypes: planned.contactTypes, kind: planned.kind, confirmerIds: planned.confirmerIds },
    at: now,
  });

  const summary = (id: number) => ({ id, ...personRef(context, id) });
  return {
    id: request.id,
    contactTypes: planned.contactTypes,
    oldContact: summary(planned.oldContactId),
    newContact: summary(planned.newContactId),
    confirmers: planned.confirmerIds.map(summary),
  };
}
