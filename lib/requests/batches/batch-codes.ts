import { and, asc, count, eq, isNull, ne, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { lockRows, type Reader, type Tx } from "@/db/client";
import {
  type Account,
  accounts,
  batchConfirmations,
  changeRequests,
  confirmations,
  requestBatches,
  services,
} from "@/db/schema";
import { contactTypesFromFlags } from "@/lib/contact-change";
import { enqueueEmail } from "@/lib/email/enqueue-email";
import { eraseCodes } from "@/lib/email/erase-codes";
import { BATCH_EMAIL_LISTED } from "@/lib/email/templates/change-request-batch";
import { generateToken, hashToken } from "@/lib/tokens";
import type { Person } from "./vocabulary";

/** What the validation codes of a batch's e-mails belong to (`outbox.secretRef`). */
export function batchSecretRef(batchId: number): string {
  return `batch:${batchId}`;
}

/**
 * What a batch request's confirmation stores as its token hash: no code hashes to it (a hash is
 * 64 hex digits), so only the batch's one code (`batch_confirmations`) answers it. Unique, as the
 * column must be. A "Resend request" of the request rotates the batch code, not this.
 */
export function unusableBatchTokenHash(ref: {
  batchId: number;
  requestId: number;
  accountId: number;
}): string {
  return `batch:${ref.batchId}:${ref.requestId}:${ref.accountId}`;
}

/** A confirmer's code for a batch, as answering needs it. */
export type BatchCode = { id: number; tokenHash: string; failedAttempts: number };

/**
 * The lock order of a batch's requests on PostgreSQL: batch codes first, then the service's row,
 * then the request's (loadRequestContext). "Accept all" locks the confirmer's code and then each
 * request's rows; a request's own page (answering, resending) locks the codes before it opens the
 * request, so no two of them wait for each other in a circle. Locks the code of `accountId` (the
 * one answering), or every code of the batch (a resend rotates several); nothing for a request of
 * no batch. SQLite's write lock already serialises them.
 */
export async function lockBatchCodesOfRequest(
  tx: Tx,
  { requestId, accountId }: { requestId: number; accountId?: number },
): Promise<void> {
  // A request's batch is set when it is registered and never changes.
  const [request] = await tx
    .select({ batchId: changeRequests.batchId })
    .from(changeRequests)
    .where(eq(changeRequests.id, requestId));
  if (request?.batchId == null) return;
  const batchCodes = eq(batchConfirmations.batchId, request.batchId);
  await lockRows(
    tx,
    batchConfirmations,
    accountId === undefined
      ? batchCodes
      : (and(batchCodes, eq(batchConfirmations.accountId, accountId)) as SQL),
  );
}

/** `accountId`'s code for the batch, if they are one of its confirmers; locked on PostgreSQL until commit. */
export async function lockBatchCode(tx: Tx, batchId: number, accountId: number): Promise<BatchCode | null> {
  const where = and(eq(batchConfirmations.batchId, batchId), eq(batchConfirmations.accountId, accountId));
  await lockRows(tx, batchConfirmations, where as SQL);
  return readBatchCode(tx, batchId, accountId);
}

/** `accountId`'s code for the batch, without a lock. */
export async function readBatchCode(
  tx: Reader | Tx,
  batchId: number,
  accountId: number,
): Promise<BatchCode | null> {
  const [row] = await tx
    .select({
      id: batchConfirmations.id,
      tokenHash: batchConfirmations.tokenHash,
      failedAttempts: batchConfirmations.failedAttempts,
    })
    .from(batchConfirmations)
    .where(and(eq(batchConfirmations.batchId, batchId), eq(batchConfirmations.accountId, accountId)));
  return row ?? null;
}

/** Counts a wrong code against the batch code (five lock it until a resend). */
export async function countWrongBatchCode(tx: Tx, code: BatchCode): Promise<void> {
  await tx
    .update(batchConfirmations)
    .set({ failedAttempts: code.failedAttempts + 1 })
    .where(eq(batchConfirmations.id, code.id));
}

/**
 * Gives each of `confirmerIds` a new code for the batch (only its hash is stored; a code sent
 * earlier stops working and its failed attempts are forgotten) and e-mails it, listing the
 * batch's requests that wait for them. On a resend the earlier e-mail's code is erased from the
 * outbox first. Returns who was e-mailed.
 */
export async function issueBatchCodes(
  tx: Tx,
  input: { batchId: number; confirmerIds: number[]; isResend: boolean; now: Date },
): Promise<Person[]> {
  const { batchId, now } = input;
  const [batch] = (await tx
    .select({ expiresAt: requestBatches.expiresAt, requestedBy: accounts })
    .from(requestBatches)
    .innerJoin(accounts, eq(accounts.id, requestBatches.requestedById))
    .where(eq(requestBatches.id, batchId))) as [{ expiresAt: Date; requestedBy: Account }];
  const ref = (account: Pick<Account, "customerId" | "name">) => ({
    customerId: account.customerId,
    name: account.name,
  });
  const sent: Person[] = [];
  for (const confirmerId of input.confirmerIds) {
    const awaiting = await awaitingRequests(tx, { batchId, accountId: confirmerId });
    if (awaiting.count === 0) continue;
    const { token, hash } = generateToken();
    await tx
      .insert(batchConfirmations)
      .values({ batchId, accountId: confirmerId, tokenHash: hash, tokenIssuedAt: now })
      .onConflictDoUpdate({
        target: [batchConfirmations.batchId, batchConfirmations.accountId],
        set: { tokenHash: hash, tokenIssuedAt: now, failedAttempts: 0 },
      });
    if (input.isResend) {
      await eraseCodes(tx, {
        secretRef: batchSecretRef(batchId),
        toAccountId: confirmerId,
        reason: "a new code was sent",
      });
    }
    const [confirmer] = (await tx.select().from(accounts).where(eq(accounts.id, confirmerId))) as [Account];
    await enqueueEmail(tx, {
      to: confirmer.email,
      toAccountId: confirmer.id,
      language: confirmer.language,
      template: "change-request-batch",
      props: {
        batchId,
        requestedBy: ref(batch.requestedBy),
        recipient: ref(confirmer),
        requestCount: awaiting.count,
        changes: awaiting.first,
        code: token,
        expiresAt: batch.expiresAt.toISOString(),
        ...(input.isResend ? { isResend: true } : {}),
      },
      secretRef: batchSecretRef(batchId),
      now,
    });
    sent.push(ref(confirmer));
  }
  return sent;
}

const oldContact = alias(accounts, "old_contact");
const newContact = alias(accounts, "new_contact");

/** The batch's pending requests waiting for `accountId`'s answer: how many, and the first few for the e-mail. */
async function awaitingRequests(tx: Tx, { batchId, accountId }: { batchId: number; accountId: number }) {
  const awaitingThem = and(
    eq(changeRequests.batchId, batchId),
    eq(changeRequests.state, "pending"),
    eq(confirmations.accountId, accountId),
    isNull(confirmations.decision),
  );
  const [{ total }] = (await tx
    .select({ total: count() })
    .from(changeRequests)
    .innerJoin(confirmations, eq(confirmations.requestId, changeRequests.id))
    .where(awaitingThem)) as [{ total: number }];
  if (total === 0) return { count: 0, first: [] };
  const rows = await tx
    .select({
      request: changeRequests,
      serviceName: services.name,
      serviceType: services.type,
      oldCustomerId: oldContact.customerId,
      oldName: oldContact.name,
      newCustomerId: newContact.customerId,
      newName: newContact.name,
    })
    .from(changeRequests)
    .innerJoin(confirmations, eq(confirmations.requestId, changeRequests.id))
    .innerJoin(services, eq(services.id, changeRequests.serviceId))
    .innerJoin(oldContact, eq(oldContact.id, changeRequests.oldContactId))
    .innerJoin(newContact, eq(newContact.id, changeRequests.newContactId))
    .where(awaitingThem)
    .orderBy(asc(changeRequests.id))
    .limit(BATCH_EMAIL_LISTED);
  return {
    count: Number(total),
    first: rows.map((row) => ({
      serviceName: row.serviceName,
      serviceType: row.serviceType,
      contactTypes: contactTypesFromFlags(row.request),
      oldContact: { customerId: row.oldCustomerId, name: row.oldName },
      newContact: { customerId: row.newCustomerId, name: row.newName },
    })),
  };
}

/** Erases the batch's codes from the outbox once none of its requests is pending any more. */
export async function eraseBatchCodesWhenOver(tx: Tx, batchId: number): Promise<void> {
  const [stillPending] = await tx
    .select({ id: changeRequests.id })
    .from(changeRequests)
    .where(and(eq(changeRequests.batchId, batchId), eq(changeRequests.state, "pending")))
    .limit(1);
  if (!stillPending) await eraseCodes(tx, { secretRef: batchSecretRef(batchId), reason: "the batch ended" });
}

/**
 * Whether an e-mailed batch link's code was issued to another confirmer of the batch than the
 * signed-in account (a forwarded e-mail, a shared mailbox): the page then says so instead of
 * prefilling a code that can only count as a wrong one. Asked only of someone the batch shows.
 */
export async function isBatchCodeForAnother(
  reader: Reader,
  { batchId, viewerId, code }: { batchId: number; viewerId: number; code: string },
): Promise<boolean> {
  const [row] = await reader
    .select({ id: batchConfirmations.id })
    .from(batchConfirmations)
    .where(
      and(
        eq(batchConfirmations.batchId, batchId),
        eq(batchConfirmations.tokenHash, hashToken(code)),
        ne(batchConfirmations.accountId, viewerId),
      ),
    )
    .limit(1);
  return row !== undefined;
}
