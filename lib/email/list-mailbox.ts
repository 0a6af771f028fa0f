import { desc, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { type OutboxMessage, outbox } from "@/db/schema";
import { SCRUBBED } from "./scrub-secrets";

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

/**
 * The validation code a message still carries in clear, for the mailbox's "Copy code": any
 * template's `code` prop while it is a string (scrubSecrets makes it null once erased).
 */
export function readClearCode(message: Pick<OutboxMessage, "props">): string | null {
  const code = message.props.code;
  return typeof code === "string" && code !== "" && code !== SCRUBBED ? code : null;
}
