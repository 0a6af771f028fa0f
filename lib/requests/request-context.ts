import { and, eq, inArray, isNull, lt } from "drizzle-orm";
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
  requestEvents,
  type Service,
  services,
} from "@/db/schema";
import { contactTypesFromFlags } from "@/lib/contact-change";
import { emitRequestWebhookEvent } from "./emit-request-webhook-events";

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

/**
 * Accounts among `ids` behind with their payments: an unpaid invoice past its due date, or the
 * provider's billing system said so (provisioning API).
 */
export async function accountsBehindWithPayments(tx: Tx, ids: number[], now: Date): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const overdue = await tx
    .selectDistinct({ accountId: invoices.accountId })
    .from(invoices)
    .where(and(inArray(invoices.accountId, ids), isNull(invoices.paidAt), lt(invoices.dueAt, now)));
  const flagged = await tx
    .select({ accountId: accounts.id })
    .from(accounts)
    .where(and(inArray(accounts.id, ids), eq(accounts.behindWithPayments, true)));
  return new Set([...overdue, ...flagged].map((row) => row.accountId));
}

/**
 * Adds an entry to a request's history, and the provider's event for it (`request.*`) when it is
 * a step they hear of: every step passes through here, in its own transaction.
 */
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
  await emitRequestWebhookEvent(tx, event);
}
