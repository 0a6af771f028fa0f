import { and, desc, eq } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import type { Db } from "@/db/client";
import { accounts, type ContactType, changeRequests } from "@/db/schema";
import { contactTypesFromFlags, effectiveState } from "@/lib/contact-change";

export type PendingRequestSummary = {
  id: number;
  contactTypes: ContactType[];
  oldCustomerId: string;
  newCustomerId: string;
};

const oldContact = alias(accounts, "old_contact");
const newContact = alias(accounts, "new_contact");

/** The service's requests still waiting for confirmations (expired ones read as expired). */
export async function listPendingForService(
  db: Db,
  serviceId: number,
  now = new Date(),
): Promise<PendingRequestSummary[]> {
  const rows = await db.read
    .select({
      request: changeRequests,
      oldCustomerId: oldContact.customerId,
      newCustomerId: newContact.customerId,
    })
    .from(changeRequests)
    .innerJoin(oldContact, eq(oldContact.id, changeRequests.oldContactId))
    .innerJoin(newContact, eq(newContact.id, changeRequests.newContactId))
    .where(and(eq(changeRequests.serviceId, serviceId), eq(changeRequests.state, "pending")))
    .orderBy(desc(changeRequests.id));
  return rows
    .filter(({ request }) => effectiveState(request, now) === "pending")
    .map(({ request, oldCustomerId, newCustomerId }) => ({
      id: request.id,
      contactTypes: contactTypesFromFlags(request),
      oldCustomerId,
      newCustomerId,
    }));
}
