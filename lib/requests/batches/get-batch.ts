import { and, asc, count, desc, eq, exists, gt, inArray, lte, type SQL, sql } from "drizzle-orm";
import type { Db, Reader } from "@/db/client";
import {
  accounts,
  batchConfirmations,
  changeRequests,
  confirmations,
  REQUEST_STATES,
  type RequestState,
  requestBatches,
  services,
} from "@/db/schema";
import { contactTypesFromFlags, effectiveState, MAX_FAILED_ATTEMPTS } from "@/lib/contact-change";
import { BATCH_PAGE_SIZE, type BatchRequestRow, type Person } from "./vocabulary";

export type BatchView = {
  id: number;
  requestedBy: Person;
  createdAt: Date;
  expiresAt: Date;
  /** Requests of the batch per state (as pages show states), and in all. */
  counts: Record<RequestState, number>;
  total: number;
  /** Requests still waiting for the viewer's answer: "Accept all" and "Refuse all" act on these. */
  awaitingViewer: number;
  /** The viewer's batch code is locked by wrong attempts until a resend. */
  isCodeLocked: boolean;
  /** One page of the batch's requests, in id order. */
  rows: BatchRequestRow[];
  /** The request id the next page starts after, or null. */
  nextAfter: number | null;
  /** Whether there is a page before this one. */
  hasPrevious: boolean;
  /** Where that page starts: the `after` of its link, null for the first page. */
  previousAfter: number | null;
};

/**
 * A batch as `viewerId` may see it: the account that asked sees all its requests, a confirmer the
 * ones they confirm; anyone else gets null (404). `after` pages through the requests by id.
 * Reads only: opening the e-mailed link changes nothing.
 */
export async function getBatch(
  db: Db,
  input: { batchId: number; viewerId: number; after?: number | null; now?: Date },
): Promise<BatchView | null> {
  const now = input.now ?? new Date();
  const reader = db.read;
  const [batch] = await reader
    .select({
      id: requestBatches.id,
      requestedById: requestBatches.requestedById,
      createdAt: requestBatches.createdAt,
      expiresAt: requestBatches.expiresAt,
      customerId: accounts.customerId,
      name: accounts.name,
    })
    .from(requestBatches)
    .innerJoin(accounts, eq(accounts.id, requestBatches.requestedById))
    .where(eq(requestBatches.id, input.batchId));
  if (!batch) return null;
  const [code] = await reader
    .select({ failedAttempts: batchConfirmations.failedAttempts })
    .from(batchConfirmations)
    .where(and(eq(batchConfirmations.batchId, batch.id), eq(batchConfirmations.accountId, input.viewerId)));
  const isRequester = batch.requestedById === input.viewerId;
  if (!isRequester && !code) return null;

  // A confirmer who did not ask sees only the requests they confirm: a batch changing two
  // contact types to two people shows each of them their own.
  const visible = and(
    eq(changeRequests.batchId, batch.id),
    isRequester
      ? undefined
      : exists(
          reader
            .select({ one: sql`1` })
            .from(confirmations)
            .where(
              and(
                eq(confirmations.requestId, changeRequests.id),
                eq(confirmations.accountId, input.viewerId),
              ),
            ),
        ),
  ) as SQL;

  const counts = await countByState(reader, visible, now);
  const [awaiting] = await reader
    .select({ n: count() })
    .from(changeRequests)
    .innerJoin(confirmations, eq(confirmations.requestId, changeRequests.id))
    .where(
      and(
        eq(changeRequests.batchId, batch.id),
        eq(changeRequests.state, "pending"),
        gt(changeRequests.expiresAt, now),
        eq(confirmations.accountId, input.viewerId),
        sql`${confirmations.decision} IS NULL`,
      ),
    );

  const after = input.after ?? null;
  const page = await reader
    .select({ request: changeRequests, serviceName: services.name, serviceType: services.type })
    .from(changeRequests)
    .innerJoin(services, eq(services.id, changeRequests.serviceId))
    .where(and(visible, after === null ? undefined : gt(changeRequests.id, after)))
    .orderBy(asc(changeRequests.id))
    .limit(BATCH_PAGE_SIZE + 1);
  const shown = page.slice(0, BATCH_PAGE_SIZE);
  const rows = await dressRows(reader, shown, input.viewerId, now);
  // The page before: at most a page of the viewer's ids back from this page's start.
  const before =
    after === null
      ? []
      : await reader
          .select({ id: changeRequests.id })
          .from(changeRequests)
          .where(and(visible, lte(changeRequests.id, after)))
          .orderBy(desc(changeRequests.id))
          .limit(BATCH_PAGE_SIZE + 1);

  return {
    id: batch.id,
    requestedBy: { customerId: batch.customerId, name: batch.name },
    createdAt: batch.createdAt,
    expiresAt: batch.expiresAt,
    counts,
    total: Object.values(counts).reduce((sum, n) => sum + n, 0),
    awaitingViewer: Number(awaiting?.n ?? 0),
    isCodeLocked: (code?.failedAttempts ?? 0) >= MAX_FAILED_ATTEMPTS,
    rows,
    nextAfter: page.length > BATCH_PAGE_SIZE ? (shown.at(-1)?.request.id ?? null) : null,
    hasPrevious: before.length > 0,
    previousAfter: before.length > BATCH_PAGE_SIZE ? (before[BATCH_PAGE_SIZE]?.id ?? null) : null,
  };
}

/** Requests per state as pages show them: a pending one past its deadline counts as expired. */
async function countByState(reader: Reader, visible: SQL, now: Date): Promise<Record<RequestState, number>> {
  const rows = await reader
    .select({ state: changeRequests.state, n: count() })
    .from(changeRequests)
    .where(visible)
    .groupBy(changeRequests.state);
  const counts = Object.fromEntries(REQUEST_STATES.map((state) => [state, 0])) as Record<
    RequestState,
    number
  >;
  for (const row of rows) counts[row.state] += Number(row.n);
  const [overdue] = await reader
    .select({ n: count() })
    .from(changeRequests)
    .where(and(visible, eq(changeRequests.state, "pending"), lte(changeRequests.expiresAt, now)));
  const expiredUnrecorded = Number(overdue?.n ?? 0);
  counts.pending -= expiredUnrecorded;
  counts.expired += expiredUnrecorded;
  return counts;
}

type PageRow = {
  request: typeof changeRequests.$inferSelect;
  serviceName: string;
  serviceType: BatchRequestRow["serviceType"];
};

/** The page's rows with their people's names and whom each still waits for: two queries for the page. */
async function dressRows(
  reader: Reader,
  page: PageRow[],
  viewerId: number,
  now: Date,
): Promise<BatchRequestRow[]> {
  if (page.length === 0) return [];
  const requestIds = page.map((row) => row.request.id);
  const unanswered = await reader
    .select({ requestId: confirmations.requestId, accountId: confirmations.accountId })
    .from(confirmations)
    .where(and(inArray(confirmations.requestId, requestIds), sql`${confirmations.decision} IS NULL`));
  const accountIds = new Set<number>(unanswered.map((c) => c.accountId));
  for (const { request } of page) {
    accountIds.add(request.oldContactId);
    accountIds.add(request.newContactId);
  }
  const people = new Map(
    (
      await reader
        .select({ id: accounts.id, customerId: accounts.customerId, name: accounts.name })
        .from(accounts)
        .where(inArray(accounts.id, [...accountIds]))
    ).map((account) => [account.id, { customerId: account.customerId, name: account.name }]),
  );
  const person = (id: number): Person => people.get(id) ?? { customerId: "", name: "" };
  return page.map(({ request, serviceName, serviceType }) => {
    const state = effectiveState(request, now);
    const waiting = state === "pending" ? unanswered.filter((c) => c.requestId === request.id) : [];
    return {
      id: request.id,
      serviceName,
      serviceType,
      contactTypes: contactTypesFromFlags(request),
      oldContact: person(request.oldContactId),
      newContact: person(request.newContactId),
      state,
      waitingFor: waiting.map((c) => person(c.accountId)),
      awaitsViewer: waiting.some((c) => c.accountId === viewerId),
    };
  });
}
