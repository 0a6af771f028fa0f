import { and, eq, inArray, isNull, lt, ne } from "drizzle-orm";
import { lockRows, type Reader, type Tx } from "@/db/client";
import {
  type Account,
  accounts,
  type ChangeRequest,
  type Confirmation,
  type ContactType,
  changeRequests,
  confirmations,
  invoices,
  type RequestState,
  requestEvents,
  type Service,
  services,
} from "@/db/schema";
import {
  assertTransition,
  contactTypesFromFlags,
  type FinalState,
  notifyOnEndIdsFor,
  recheckBeforeApply,
} from "@/lib/contact-change";
import { enqueueEmail } from "@/lib/email/enqueue-email";
import { eraseCodes } from "@/lib/email/erase-codes";

/** Everything a decision about one request needs, read inside the transaction that acts on it. */
export type RequestContext = {
  request: ChangeRequest;
  contactTypes: ContactType[];
  service: Service;
  confirmations: Confirmation[];
  /**
   * The accounts the request involves (requester, old and new contact, confirmers) and the
   * service's administrator, who may withdraw it, by id.
   */
  people: Map<number, Account>;
};

/**
 * Loads a request to act on it. On PostgreSQL it first locks the service's row and then the
 * request's, the order every writer takes them in (registration locks the service too), so two
 * instances acting on one request, or on one service, act one after the other. This is the app's
 * choice for PostgreSQL: row locks under READ COMMITTED, with conditional updates as the last word.
 */
export async function loadRequestContext(tx: Tx, requestId: number): Promise<RequestContext | null> {
  const [ref] = await tx
    .select({ serviceId: changeRequests.serviceId })
    .from(changeRequests)
    .where(eq(changeRequests.id, requestId));
  if (!ref) return null;
  await lockRows(tx, services, eq(services.id, ref.serviceId));
  await lockRows(tx, changeRequests, eq(changeRequests.id, requestId));
  return readRequestContext(tx, requestId);
}

/** The same context, read without locks or a transaction: for pages, which only show it. */
export async function readRequestContext(tx: Reader, requestId: number): Promise<RequestContext | null> {
  const [request] = await tx.select().from(changeRequests).where(eq(changeRequests.id, requestId));
  if (!request) return null;
  const [service] = (await tx.select().from(services).where(eq(services.id, request.serviceId))) as [Service];
  const rows = await tx.select().from(confirmations).where(eq(confirmations.requestId, requestId));
  const ids = [
    request.requestedById,
    request.oldContactId,
    request.newContactId,
    ...rows.map((c) => c.accountId),
    // The administrator may withdraw a request they are no party to; the notices name them.
    service.adminId,
  ];
  const people = new Map(
    (
      await tx
        .select()
        .from(accounts)
        .where(inArray(accounts.id, [...new Set(ids)]))
    ).map((account) => [account.id, account]),
  );
  return { request, contactTypes: contactTypesFromFlags(request), service, confirmations: rows, people };
}

/** An account of the request as e-mails name it. */
export function personRef(context: RequestContext, id: number): { customerId: string; name: string } {
  const person = context.people.get(id) as Account;
  return { customerId: person.customerId, name: person.name };
}

/** What the validation codes of a request's e-mails belong to (`outbox.secretRef`). */
export function requestSecretRef(requestId: number): string {
  return `request:${requestId}`;
}

/** E-mails a confirmer their personal validation code, on creation and on "Resend request". */
export async function enqueueCodeEmail(
  tx: Tx,
  context: RequestContext,
  { confirmerId, code, isResend, now }: { confirmerId: number; code: string; isResend: boolean; now: Date },
): Promise<void> {
  const { request, service } = context;
  const confirmer = context.people.get(confirmerId) as Account;
  await enqueueEmail(tx, {
    to: confirmer.email,
    toAccountId: confirmer.id,
    language: confirmer.language,
    template: "change-request",
    props: {
      requestId: request.id,
      serviceName: service.name,
      serviceType: service.type,
      contactTypes: context.contactTypes,
      oldContact: personRef(context, request.oldContactId),
      newContact: personRef(context, request.newContactId),
      requestedBy: personRef(context, request.requestedById),
      recipient: personRef(context, confirmerId),
      code,
      expiresAt: request.expiresAt.toISOString(),
      ...(isResend ? { isResend: true } : {}),
    },
    secretRef: requestSecretRef(request.id),
    now,
  });
}

/** Accounts among `ids` with an unpaid invoice past its due date. */
export async function accountsBehindWithPayments(tx: Tx, ids: number[], now: Date): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const rows = await tx
    .selectDistinct({ accountId: invoices.accountId })
    .from(invoices)
    .where(and(inArray(invoices.accountId, ids), isNull(invoices.paidAt), lt(invoices.dueAt, now)));
  return new Set(rows.map((row) => row.accountId));
}

export async function recordEvent(
  tx: Tx,
  event: {
    requestId: number;
    actorId: number | null;
    kind: string;
    detail?: Record<string, unknown>;
    at: Date;
  },
): Promise<void> {
  await tx.insert(requestEvents).values({ ...event, detail: event.detail ?? null });
}

/**
 * Ends a pending request: writes its final state (only if still pending, so two enders cannot
 * both win), records the event, erases its codes from the outbox (unsent code e-mails are
 * cancelled) and tells everyone involved (the confirmers and the old contact) by e-mail in their
 * language. Returns false when the request had already ended.
 */
export async function endRequest(
  tx: Tx,
  context: RequestContext,
  end: {
    state: FinalState;
    reason?: string | null;
    actorId: number | null;
    now: Date;
    /**
     * When the end took effect, if earlier than `now`: an expiry recorded late (the server was
     * down at the deadline) is dated at the deadline. The e-mails still go out now.
     */
    at?: Date;
  },
): Promise<boolean> {
  assertTransition(context.request.state as RequestState, end.state);
  const endedAt = end.at ?? end.now;
  const updated = await tx
    .update(changeRequests)
    .set({ state: end.state, endReason: end.reason ?? null, endedAt })
    .where(and(eq(changeRequests.id, context.request.id), eq(changeRequests.state, "pending")))
    .returning({ id: changeRequests.id });
  if (updated.length !== 1) return false;
  await recordEvent(tx, {
    requestId: context.request.id,
    actorId: end.actorId,
    kind: end.state,
    detail: end.reason ? { reason: end.reason } : undefined,
    at: endedAt,
  });
  await eraseCodes(tx, { secretRef: requestSecretRef(context.request.id), reason: "the request ended" });
  const { request, service, people } = context;
  const ref = (id: number) => personRef(context, id);
  const recipients = notifyOnEndIdsFor({
    confirmerIds: context.confirmations.map((c) => c.accountId),
    oldContactId: request.oldContactId,
  });
  for (const id of recipients) {
    const person = people.get(id) as Account;
    await enqueueEmail(tx, {
      to: person.email,
      toAccountId: person.id,
      language: person.language,
      template: "request-ended",
      props: {
        requestId: request.id,
        serviceName: service.name,
        serviceType: service.type,
        contactTypes: context.contactTypes,
        oldContact: ref(request.oldContactId),
        newContact: ref(request.newContactId),
        outcome: end.state,
        reason: end.reason ?? null,
        actor: end.actorId !== null && people.has(end.actorId) ? ref(end.actorId) : null,
        recipientName: person.name,
      },
      now: end.now,
    });
  }
  return true;
}

/**
 * Records the expiry of pending requests whose time is up (of one service, or all) and tells
 * everyone involved. Pages already show them as expired on read; this makes it durable and
 * frees the one-pending-request-per-type rule. Each is recorded as ended at its deadline, however
 * late this runs (after a downtime, say); the notices are dated `now`.
 */
export async function expireOverdueRequests(
  tx: Tx,
  { serviceId, now }: { serviceId?: number; now: Date },
): Promise<number[]> {
  const overdue = await tx
    .select({ id: changeRequests.id })
    .from(changeRequests)
    .where(
      and(
        eq(changeRequests.state, "pending"),
        lt(changeRequests.expiresAt, new Date(now.getTime() + 1)),
        serviceId === undefined ? undefined : eq(changeRequests.serviceId, serviceId),
      ),
    )
    // Every sweep locks the services in the same order, so two sweeps cannot deadlock.
    .orderBy(changeRequests.id);
  const expired: number[] = [];
  for (const { id } of overdue) {
    const context = await loadRequestContext(tx, id);
    // PostgreSQL: without the service's lock (a sweep), another instance may have ended it
    // between the read above and the lock loadRequestContext waited for.
    if (context?.request.state !== "pending") continue;
    const ended = await endRequest(tx, context, {
      state: "expired",
      actorId: null,
      now,
      at: context.request.expiresAt,
    });
    if (ended) expired.push(id);
  }
  return expired;
}

/**
 * After a request changed a service's contacts, cancels the service's other pending requests
 * that can no longer apply: their old contact lost the role, or the account that asked lost the
 * role that let it ask (payments are re-checked when each is applied).
 */
export async function cancelInvalidatedRequests(
  tx: Tx,
  { service, exceptId, now }: { service: Service; exceptId: number; now: Date },
): Promise<void> {
  const others = await tx
    .select()
    .from(changeRequests)
    .where(
      and(
        eq(changeRequests.serviceId, service.id),
        eq(changeRequests.state, "pending"),
        ne(changeRequests.id, exceptId),
      ),
    );
  for (const other of others) {
    const recheck = recheckBeforeApply({
      service,
      request: { ...other, contactTypes: contactTypesFromFlags(other) },
      behindWithPayments: new Set(),
    });
    if (recheck.ok) continue;
    const context = await loadRequestContext(tx, other.id);
    if (context)
      await endRequest(tx, context, { state: "cancelled", reason: recheck.reason, actorId: null, now });
  }
}
