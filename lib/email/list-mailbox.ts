import { desc, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { type OutboxMessage, outbox } from "@/db/schema";

/** The newest e-mails of the outbox, optionally for one address, for the development mailbox. */
export async function listMailbox(
  db: Db,
  { to, limit = 100 }: { to?: string; limit?: number } = {},
): Promise<OutboxMessage[]> {
  const query = db.read.select().from(outbox);
  const filtered = to ? query.where(eq(outbox.toAddress, to.trim().toLowerCase())) : query;
  return filtered.orderBy(desc(outbox.id)).limit(limit);
}

export async function getMailboxMessage(db: Db, id: number): Promise<OutboxMessage | undefined> {
  const [message] = await db.read.select().from(outbox).where(eq(outbox.id, id));
  return message;
}
