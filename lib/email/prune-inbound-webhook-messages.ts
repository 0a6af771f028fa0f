import { lt } from "drizzle-orm";
import type { Db } from "@/db/client";
import { inboundWebhookMessages } from "@/db/schema";

/**
 * How long a received webhook's id is kept to take a retry once. Resend (svix) retries for about
 * a day and 10 hours; a week is well past that, and the signature's timestamp tolerance refuses
 * any older replay anyway.
 */
export const INBOUND_WEBHOOK_RETENTION_MS = 7 * 24 * 60 * 60_000;

/** Deletes the ids of webhooks received more than a week ago. */
export async function pruneInboundWebhookMessages(db: Db, now: Date): Promise<number> {
  const cutoff = new Date(now.getTime() - INBOUND_WEBHOOK_RETENTION_MS);
  const deleted = await db.transaction((tx) =>
    tx
      .delete(inboundWebhookMessages)
      .where(lt(inboundWebhookMessages.receivedAt, cutoff))
      .returning({ id: inboundWebhookMessages.messageId }),
  );
  return deleted.length;
}
