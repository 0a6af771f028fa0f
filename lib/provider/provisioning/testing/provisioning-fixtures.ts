import { asc, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { accounts, webhookDeliveries, webhookEndpoints, webhookEvents } from "@/db/schema";

/**
 * Registers an endpoint taking every event, so that tests see what the provider's systems would
 * be sent (with none registered, nothing is recorded).
 */
export async function addWebhookEndpoint(db: Db): Promise<number> {
  const [row] = await db.transaction((tx) =>
    tx
      .insert(webhookEndpoints)
      .values({ url: "https://provider.example/hooks", secretEncrypted: "unused-in-these-tests" })
      .returning({ id: webhookEndpoints.id }),
  );
  return (row as { id: number }).id;
}

/** The events recorded, oldest first, as `{ type, data }`, each with its one delivery counted. */
export async function webhookEventsOf(
  db: Db,
): Promise<{ type: string; data: unknown; deliveries: number }[]> {
  const events = await db.read.select().from(webhookEvents).orderBy(asc(webhookEvents.id));
  const deliveries = await db.read.select({ eventId: webhookDeliveries.eventId }).from(webhookDeliveries);
  return events.map((event) => ({
    type: event.type,
    data: (event.payload as { data: unknown }).data,
    deliveries: deliveries.filter((delivery) => delivery.eventId === event.id).length,
  }));
}

/** The stored account row with this customer ID. */
export async function accountRow(db: Db, customerId: string) {
  const [row] = await db.read.select().from(accounts).where(eq(accounts.customerId, customerId));
  if (!row) throw new Error(`no account ${customerId}`);
  return row;
}
