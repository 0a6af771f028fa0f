import { and, asc, eq, isNull, or } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import type { Db } from "@/db/client";
import { accounts, type ServiceType, services } from "@/db/schema";
import type { ServiceInfos } from "./api-schemas";

const admin = alias(accounts, "admin");
const tech = alias(accounts, "tech");
const billing = alias(accounts, "billing");

/** A service the account holds a contact of, with its contacts' customer IDs. */
export type ContactService = {
  id: number;
  name: string;
  type: ServiceType;
  createdAt: Date;
  adminCustomerId: string;
  techCustomerId: string;
  billingCustomerId: string;
};

/**
 * The service of `type` named `name` of which `accountId` holds a contact, or null: for anyone
 * else it does not exist (404, never 403), as on the pages (getServiceForContact). Names are
 * what OVH's paths carry; should two services of one type share a name among the account's,
 * the oldest answers.
 */
export async function findServiceForContact(
  db: Db,
  { type, name, accountId }: { type: ServiceType; name: string; accountId: number },
): Promise<ContactService | null> {
  // Each arm of the OR is a range of one (contact, name) index.
  const [row] = await db.read
    .select({
      id: services.id,
      name: services.name,
      type: services.type,
      createdAt: services.createdAt,
      adminCustomerId: admin.customerId,
      techCustomerId: tech.customerId,
      billingCustomerId: billing.customerId,
    })
    .from(services)
    .innerJoin(admin, eq(admin.id, services.adminId))
    .innerJoin(tech, eq(tech.id, services.techId))
    .innerJoin(billing, eq(billing.id, services.billingId))
    .where(
      and(
        eq(services.name, name),
        eq(services.type, type),
        // A service the provider removed is no one's.
        isNull(services.removedAt),
        or(
          eq(services.adminId, accountId),
          eq(services.techId, accountId),
          eq(services.billingId, accountId),
        ),
      ),
    )
    .orderBy(asc(services.id))
    .limit(1);
  return row ?? null;
}

/** A service as OVH's `services.Service` (`GET …/serviceInfos`). */
export function toServiceInfos(service: ContactService): ServiceInfos {
  return {
    contactAdmin: service.adminCustomerId,
    contactTech: service.techCustomerId,
    contactBilling: service.billingCustomerId,
    domain: service.name,
    serviceId: service.id,
    status: "ok",
    creation: service.createdAt.toISOString().slice(0, 10),
  };
}
