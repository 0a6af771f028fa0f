import { and, eq, inArray, isNull } from "drizzle-orm";
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
  type ChangeKind,
  contactTypeFlags,
  contactTypesFromFlags,
  expiresAt as expiryOf,
  type FieldError,
  needsConfirmationStep,
  type PlannedRequest,
  type ProposedContact,
  planContactChange,
} from "@/lib/contact-change";
import { parseCustomerId } from "@/lib/customer-id";
import { generateToken } from "@/lib/tokens";
import { enqueueCodeEmail } from "./code-emails";
import { expireOverdueRequests } from "./end-request";
import {
  accountsBehindWithPayments,
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

/** Why one field is refused (the domain decides every reason). */
export type ContactFieldError = FieldError;

export type AccountSummary = Pick<Account, "id" | "customerId" | "name">;

export type RegisteredRequest = {
  id: number;
  contactTypes: ContactType[];
  oldContact: AccountSummary;
  newContact: AccountSummary;
  /** Who receives an e-mail with a validation code. */
  confirmers: AccountSummary[];
};

type AskFirstInput = RequestContactChangeInput & { askFirst: boolean };

/** A request the submission would register, shown to the asker before it is. */
export type ChangePreview = Omit<RegisteredRequest, "id"> & { kind: ChangeKind };

/** Nothing registered: the asker is to see what the submission does and confirm it. */
export type NeedsConfirmation = { ok: false; reason: "needs_confirmation"; requests: ChangePreview[] };

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
 *
 * With `askFirst` (the edit form, before the asker confirmed), a plan with a change that needs a
 * confirmation step (handing over the administrator, taking a contact back) is returned
 * unregistered as `needs_confirmation`. Callers without such a step (the automation API) leave it out.
 */
export async function requestContactChange(
  db: Db,
  input: AskFirstInput,
): Promise<RequestContactChangeResult | NeedsConfirmation>;
export async function requestContactChange(
  db: Db,
  input: RequestContactChangeInput,
): Promise<RequestContactChangeResult>;
export async function requestContactChange(
  db: Db,
  input: RequestContactChangeInput | AskFirstInput,
): Promise<RequestContactChangeResult | NeedsConfirmation> {
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
  input: RequestContactChangeInput | AskFirstInput,
  now: Date,
): Promise<RequestContactChangeResult | NeedsConfirmation> {
  // PostgreSQL: the service's row stays locked until commit, so an apply on another instance
  // cannot change its contacts between this check and the new request (see loadRequestContext).
  await lockRows(tx, services, eq(services.id, input.serviceId));
  const [service] = await tx
    .select()
    .from(services)
    // A service the provider removed is no one's: no new request for it.
    .where(and(eq(services.id, input.serviceId), isNull(services.removedAt)));
  // Before anything is read or expired for them: a stranger learns nothing (planContactChange
  // says the same, for callers that skip this).
  if (!service || actorRoles(service, input.actorId).length === 0) {
    return { ok: false, reason: "not_found" };
  }

  const proposed = await readFields(tx, input);
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
  if (!plan.ok) return plan.reason === "not_a_contact" ? { ok: false, reason: "not_found" } : plan;
  // Decided on this transaction's reading of the service, so what is confirmed is what registers.
  if ("askFirst" in input && input.askFirst && plan.requests.some(needsConfirmationStep)) {
    return { ok: false, reason: "needs_confirmation", requests: await previewRequests(tx, plan.requests) };
  }

  const requests: RegisteredRequest[] = [];
  for (const planned of plan.requests) {
    requests.push(await insertRequest(tx, { planned, serviceAdminId: service.adminId, now }));
  }
  return { ok: true, requests };
}

/** The fields submitted, each a customer ID looked up (in one query), for the domain to judge. */
async function readFields(
  tx: Tx,
  input: RequestContactChangeInput,
): Promise<Partial<Record<ContactType, ProposedContact>>> {
  const typed = new Map<ContactType, string | null>();
  for (const type of CONTACT_TYPES) {
    const text = input.fields[type];
    if (text !== undefined) typed.set(type, parseCustomerId(text));
  }
  const customerIds = [...new Set(typed.values())].filter((id): id is string => id !== null);
  const found = customerIds.length
    ? await tx
        .select({ id: accounts.id, customerId: accounts.customerId })
        .from(accounts)
        .where(inArray(accounts.customerId, customerIds))
    : [];
  const idOf = new Map(found.map((account) => [account.customerId, account.id]));
  const proposed: Partial<Record<ContactType, ProposedContact>> = {};
  for (const [type, customerId] of typed) {
    const accountId = customerId === null ? undefined : idOf.get(customerId);
    proposed[type] =
      customerId === null
        ? { refused: "malformed_customer_id" }
        : accountId === undefined
          ? { refused: "unknown_account" }
          : { accountId, customerId, edited: isEdited(input, type) };
  }
  return proposed;
}

// A field counts as edited when its text differs from what the form showed.
function isEdited(input: RequestContactChangeInput, type: ContactType): boolean {
  const shown = input.shown?.[type];
  return shown === undefined || shown.trim() !== (input.fields[type] ?? "").trim();
}

/** The planned requests with their accounts' names, as the asker is to see them. */
async function previewRequests(tx: Tx, planned: readonly PlannedRequest[]): Promise<ChangePreview[]> {
  const ids = [...new Set(planned.flatMap((p) => [p.oldContactId, p.newContactId, ...p.confirmerIds]))];
  const found = await tx
    .select({ id: accounts.id, customerId: accounts.customerId, name: accounts.name })
    .from(accounts)
    .where(inArray(accounts.id, ids));
  const byId = new Map(found.map((account) => [account.id, account]));
  // The plan only names accounts read in this transaction. A copy each time: the form sends its
  // state back with its next submit, and React encodes an object met twice as a path reference,
  // which lib/action-body.ts refuses (400).
  const summary = (id: number) => ({ ...(byId.get(id) as AccountSummary) });
  return planned.map((p) => ({
    kind: p.kind,
    contactTypes: p.contactTypes,
    oldContact: summary(p.oldContactId),
    newContact: summary(p.newContactId),
    confirmers: p.confirmerIds.map(summary),
  }));
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
