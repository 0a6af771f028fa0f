import type { Tx } from "@/db/client";
import type { Account, ContactType, ServiceType } from "@/db/schema";
import { enqueueEmail } from "@/lib/email/enqueue-email";
import { BATCH_ENDED_LISTED } from "@/lib/email/templates/batch-ended";
import type { RequestOutcome } from "@/lib/email/templates/request-ended";
import type { Person } from "./vocabulary";

/** One request of a batch that ended, as its notice lists it. */
export type EndedBatchRequest = {
  requestId: number;
  serviceName: string;
  serviceType: ServiceType;
  contactTypes: ContactType[];
  oldContact: Person;
  newContact: Person;
  outcome: RequestOutcome;
};

type Notice = {
  batchId: number;
  recipient: Account;
  canOpenBatch: boolean;
  counts: Record<RequestOutcome, number>;
  ended: EndedBatchRequest[];
};

/**
 * The end notices of a batch's requests that end in one transaction (one answer to the batch,
 * one expiry sweep), gathered per batch and recipient so that each person gets one e-mail for
 * all of them (template `batch-ended`) instead of one per request: 10,000 services accepted at
 * once would otherwise be 30,000 e-mails. `flush` writes them in the same transaction as the
 * ends, so they are committed with them or not at all.
 */
export class BatchEndNotices {
  readonly #notices = new Map<string, Notice>();

  add(input: {
    batchId: number;
    recipient: Account;
    canOpenBatch: boolean;
    request: EndedBatchRequest;
  }): void {
    const key = `${input.batchId}:${input.recipient.id}`;
    const notice = this.#notices.get(key) ?? {
      batchId: input.batchId,
      recipient: input.recipient,
      canOpenBatch: false,
      counts: { done: 0, refused: 0, expired: 0, cancelled: 0 },
      ended: [],
    };
    notice.canOpenBatch ||= input.canOpenBatch;
    notice.counts[input.request.outcome] += 1;
    if (notice.ended.length < BATCH_ENDED_LISTED) notice.ended.push(input.request);
    this.#notices.set(key, notice);
  }

  /** Queues one e-mail per batch and recipient for what was gathered, and starts over. */
  async flush(tx: Tx, now: Date): Promise<void> {
    for (const notice of this.#notices.values()) {
      await enqueueEmail(tx, {
        to: notice.recipient.email,
        toAccountId: notice.recipient.id,
        language: notice.recipient.language,
        template: "batch-ended",
        props: {
          batchId: notice.batchId,
          recipientName: notice.recipient.name,
          counts: notice.counts,
          ended: notice.ended,
          canOpenBatch: notice.canOpenBatch,
        },
        now,
      });
    }
    this.#notices.clear();
  }
}
