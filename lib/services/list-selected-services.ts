import { and, asc, eq, inArray, isNull, or } from "drizzle-orm";
import type { Db } from "@/db/client";
import { isRowId } from "@/db/row-id";
import { type ServiceType, services } from "@/db/schema";

export type SelectedService = { id: number; name: string; type: ServiceType };

/** The most services this names at once: a page shows names only for a short selection. */
export const MAX_NAMED_SERVICES = 20;

/**
 * The names of the ticked services that `accountId` is a contact of, in name order, so the bulk
 * hand-over page can say what it is about to change. Any other id (someone else's service, a
 * removed one, junk) is left out, as if it did not exist. One indexed read of at most
 * MAX_NAMED_SERVICES primary keys.
 */
export async function listSelectedServices(
  db: Db,
  { accountId, serviceIds }: { accountId: number; serviceIds: readonly number[] },
): Promise<SelectedService[]> {
  const wanted = [...new Set(serviceIds.filter(isRowId))].slice(0, MAX_NAMED_SERVICES);
  if (wanted.length === 0) return [];
  return db.read
    .select({ id: services.id, name: services.name, type: services.type })
    .from(services)
    .where(
      and(
        inArray(services.id, wanted),
        isNull(services.removedAt),
        or(
          eq(services.adminId, accountId),
          eq(services.techId, accountId),
          eq(services.billingId, accountId),
        ),
      ),
    )
    .orderBy(asc(services.name), asc(services.id));
}
