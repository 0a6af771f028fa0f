import { asc, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import {
  accounts,
  type ContactType,
  type Decision,
  type RequestState,
  requestEvents,
  type ServiceType,
} from "@/db/schema";
import { canActOnRequest, effectiveState, MAX_FAILED_ATTEMPTS } from "@/lib/contact-change";
import { readBatchCode } from "./batches/batch-codes";
import { readRequestContext } from "./request-context";
import { canViewRequest } from "./request-visibility";

export type Person = { customerId: string; name: string };

export type RequestDetail = {
  id: number;
  /** As it reads now: a pending request past its expiry is expired. */
  state: RequestState;
  endReason: string | null;
  createdAt: Date;
  expiresAt: Date;
  endedAt: Date | null;
  /** The bulk hand-over this request was registered in, or null for a request of its own. */
  batchId: number | null;
  service: { id: number; name: string; type: ServiceType };
  contactTypes: ContactType[];
  requestedBy: Person;
  oldContact: Person;
  newContact: Person;
  confirmers: (Person & {
    decision: Decision | null;
    decidedAt: Date | null;
    isMe: boolean;
    /**
     * Whether e-mails to the confirmer's address bounced or were reported as spam, so their code
     * may not arrive. Only that: which of the two, and the address, stay the confirmer's own.
     */
    isUndeliverable: boolean;
  })[];
  history: {
    id: number;
    kind: string;
    at: Date;
    actor: Person | null;
    detail: Record<string, unknown> | null;
  }[];
  /** What the viewer may do now. */
  viewer: {
    isConfirmer: boolean;
    mustAnswer: boolean;
    isLocked: boolean;
    canResend: boolean;
    canCancel: boolean;
  };
};

/** A request as its page shows it, or null when the account is not party to it (404). Reads only. */
export async function getRequestDetail(
  db: Db,
  requestId: number,
  viewerId: number,
  now = new Date(),
): Promise<RequestDetail | null> {
  const reader = db.read;
  const context = await readRequestContext(reader, requestId);
  if (!context || !canViewRequest(context, viewerId)) return null;
  const { request, service, people } = context;
  const person = (id: number): Person => {
    const account = people.get(id);
    return { customerId: account?.customerId ?? "?", name: account?.name ?? "?" };
  };
  const state = effectiveState(request, now);
  const own = context.confirmations.find((c) => c.accountId === viewerId);
  // A batch's request is answered with the batch's code, whose wrong tries count for the batch.
  const failedAttempts =
    own && request.batchId !== null
      ? ((await readBatchCode(db.read, request.batchId, viewerId))?.failedAttempts ?? 0)
      : (own?.failedAttempts ?? 0);
  const actor = { actorId: viewerId, request, serviceAdminId: service.adminId };
  const events = await reader
    .select({ event: requestEvents, customerId: accounts.customerId, name: accounts.name })
    .from(requestEvents)
    .leftJoin(accounts, eq(accounts.id, requestEvents.actorId))
    .where(eq(requestEvents.requestId, requestId))
    .orderBy(asc(requestEvents.at), asc(requestEvents.id));
  const history = events.map(({ event, customerId, name }) => ({
    id: event.id,
    kind: event.kind,
    at: event.at,
    actor: customerId && name ? { customerId, name } : null,
    detail: event.detail ?? null,
  }));
  // Expiry is checked on read: until the sweep records it, the history still shows it.
  if (state === "expired" && request.state === "pending") {
    history.push({ id: 0, kind: "expired", at: request.expiresAt, actor: null, detail: null });
  }
  return {
    id: request.id,
    state,
    endReason: request.endReason,
    createdAt: request.createdAt,
    expiresAt: request.expiresAt,
    endedAt: request.endedAt ?? (state === "expired" ? request.expiresAt : null),
    batchId: request.batchId ?? null,
    service: { id: service.id, name: service.name, type: service.type },
    contactTypes: context.contactTypes,
    requestedBy: person(request.requestedById),
    oldContact: person(request.oldContactId),
    newContact: person(request.newContactId),
    confirmers: context.confirmations.map((c) => ({
      ...person(c.accountId),
      decision: c.decision,
      decidedAt: c.decidedAt,
      isMe: c.accountId === viewerId,
      isUndeliverable: Boolean(people.get(c.accountId)?.emailUndeliverable),
    })),
    history,
    viewer: {
      isConfirmer: Boolean(own),
      mustAnswer: state === "pending" && Boolean(own && own.decision === null),
      isLocked: Boolean(own && own.decision === null && failedAttempts >= MAX_FAILED_ATTEMPTS),
      canResend: state === "pending" && canActOnRequest("resend", actor),
      canCancel: state === "pending" && canActOnRequest("cancel", actor),
    },
  };
}
