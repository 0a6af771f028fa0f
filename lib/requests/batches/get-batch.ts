import type { Db } from "@/db/client";
import type { RequestState } from "@/db/schema";
import type { BatchRequestRow, Person } from "./vocabulary";

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
};

/**
 * A batch as `viewerId` may see it: the account that asked and the batch's confirmers see it,
 * anyone else gets null (404). `after` pages through the requests by id.
 */
export async function getBatch(
  db: Db,
  input: { batchId: number; viewerId: number; after?: number | null; now?: Date },
): Promise<BatchView | null> {
  void db;
  void input;
  throw new Error("not implemented");
}
