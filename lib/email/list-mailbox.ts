import { desc, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { type OutboxMessage, outbox } from "@/db/schema";

/** The newest e-mails of the outbox, optionally for one address, for the development mailbox. */
export function listMailbox(
  db: Db,
  { to, limit = 100 }: { to?: string; limit?: number } = {},
): OutboxMessage[] {
  const query = db.select().from(outbox);
  const filtered = to ? query.where(eq(outbox.toAddress, to.trim().toLowerCase())) : query;
  return filtered.orderBy(desc(outbox.id)).limit(limit).all();
}

export function getMailboxMessage(db: Db, id: number): OutboxMessage | undefined {
  return db.select().from(outbox).where(eq(outbox.id, id)).get();
}
