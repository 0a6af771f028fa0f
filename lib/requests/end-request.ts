import { and, eq, lt, ne } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { type Account, changeRequests, type RequestState, type Service } from "@/db/schema";
import {
  assertTransition,
  contactTypesFromFlags,
  type FinalState,
  notifyOnEndIdsFor,
  recheckBeforeApply,
} from "@/lib/contact-change";
import { enqueueEmail } from "@/lib/email/enqueue-email";
import { eraseCodes } from "@/lib/email/erase-codes";
import { eraseBatchCodesWhenOver } from "./batches/batch-codes";
import type { BatchEndNotices } from "./batches/batch-end-notices";
import { requestSecretRef } from "./code-emails";
import { loadRequestContext, personRef, type RequestContext, recordEvent } from "./request-context";

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
    /** Where a batch's request leaves its notice, to go out in one e-mail per person with the others. */
    notices?: BatchEndNotices;
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
  if (context.request.batchId !== null) await eraseBatchCodesWhenOver(tx, context.request.batchId);
  const { request, service, people } = context;
  const ref = (id: number) => personRef(context, id);
  const recipients = notifyOnEndIdsFor({
    confirmerIds: context.confirmations.map((c) => c.accountId),
    oldContactId: request.oldContactId,
  });
  const { notices } = end;
  for (const id of recipients) {
    const person = people.get(id) as Account;
    if (notices && request.batchId !== null) {
      notices.add({
        batchId: request.batchId,
        recipient: person,
        // The batch's page opens for the one who asked and its confirmers (getBatch).
        canOpenBatch: id === request.requestedById || context.confirmations.some((c) => c.accountId === id),
        request: {
          requestId: request.id,
          serviceName: service.name,
          serviceType: service.type,
          contactTypes: context.contactTypes,
          oldContact: ref(request.oldContactId),
          newContact: ref(request.newContactId),
          outcome: end.state,
        },
      });
      continue;
    }
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
  { serviceId, now, notices }: { serviceId?: number; now: Date; notices?: BatchEndNotices },
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
      notices,
    });
    if (ended) expired.push(id);
  }
  return expired;
}

/**
 * After a service's contacts changed (a request applied, or the provider's own word), cancels its
 * pending requests that can no longer apply: their old contact lost the role, or the account that
 * asked lost the role that let it ask (payments are re-checked when each is applied). `exceptId`
 * is the request that made the change. Returns the ids of the requests it cancelled.
 */
export async function cancelInvalidatedRequests(
  tx: Tx,
  {
    service,
    exceptId,
    now,
    notices,
  }: { service: Service; exceptId?: number; now: Date; notices?: BatchEndNotices },
): Promise<number[]> {
  const others = await tx
    .select()
    .from(changeRequests)
    .where(
      and(
        eq(changeRequests.serviceId, service.id),
        eq(changeRequests.state, "pending"),
        exceptId === undefined ? undefined : ne(changeRequests.id, exceptId),
      ),
    )
    .orderBy(changeRequests.id);
  const cancelled: number[] = [];
  for (const other of others) {
    const recheck = recheckBeforeApply({
      service,
      request: { ...other, contactTypes: contactTypesFromFlags(other) },
      behindWithPayments: new Set(),
    });
    if (recheck.ok) continue;
    const context = await loadRequestContext(tx, other.id);
    if (
      context &&
      (await endRequest(tx, context, {
        state: "cancelled",
        reason: recheck.reason,
        actorId: null,
        now,
        notices,
      }))
    ) {
      cancelled.push(other.id);
    }
  }
  return cancelled;
}
