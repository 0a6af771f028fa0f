import { and, eq, isNull, or } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import type { Db } from "@/db/client";
import { isRowId } from "@/db/row-id";
import { accounts, type ServiceType, services } from "@/db/schema";

export type ServiceContact = { id: number; customerId: string; name: string };

export type ServiceWithContacts = {
  id: number;
  name: string;
  type: ServiceType;
  admin: ServiceContact;
  tech: ServiceContact;
  billing: ServiceContact;
};

const admin = alias(accounts, "admin");
const tech = alias(accounts, "tech");
const billing = alias(accounts, "billing");

function contact<T extends typeof admin | typeof tech | typeof billing>(table: T) {
  return { id: table.id, customerId: table.customerId, name: table.name };
}

/**
 * A service with its three contacts, only when `accountId` is one of them: for anyone
 * else the service does not exist (the caller answers 404, never 403).
 */
export async function getServiceForContact(
  db: Db,
  serviceId: number,
  accountId: number,
): Promise<ServiceWithContacts | null> {
  // A larger id from a URL names no service (PostgreSQL would refuse to compare with it).
  if (!isRowId(serviceId)) return null;
  const [row] = await db.read
    .select({
      id: services.id,
      name: services.name,
      type: services.type,
      admin: contact(admin),
      tech: contact(tech),
      billing: contact(billing),
    })
    .from(services)
    .innerJoin(admin, eq(admin.id, services.adminId))
    .innerJoin(tech, eq(tech.id, services.techId))
    .innerJoin(billing, eq(billing.id, services.billingId))
    .where(
      and(
        eq(services.id, serviceId),
        // A service the provider removed is no one's.
        isNull(services.removedAt),
        or(
          eq(services.adminId, accountId),
          eq(services.techId, accountId),
          eq(services.billingId, accountId),
        ),
      ),
    );
  return row ?? null;
}
