/**
 * Many requests at once for the tests of My requests: each on a service of its own (so any number
 * may be pending), written straight to the tables a thousand rows to a statement, as the listing
 * reads them. Requests made through requestContactChange are the other tests' business.
 */
import { inArray } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { changeRequests, confirmations, type Decision, type RequestState, services } from "@/db/schema";

/**
 * One request to write: `requestedBy` asks that `newContact` replace `oldContact` as the technical
 * contact of a new service that `admin` administers. The confirmers are, as the domain has them,
 * the account that asked and the new contact; `answers` holds those who answered.
 */
export type RequestSpec = {
  admin: number;
  requestedBy: number;
  oldContact: number;
  newContact: number;
  state: RequestState;
  createdAt: Date;
  expiresAt: Date;
  answers?: ReadonlyMap<number, Decision>;
};

const CHUNK = 1000;

async function inChunks<T>(items: readonly T[], write: (chunk: T[]) => Promise<void>): Promise<void> {
  for (let start = 0; start < items.length; start += CHUNK) await write(items.slice(start, start + CHUNK));
}

/** The confirmers of a spec, the account that asked first, each once. */
export function confirmersOf(spec: RequestSpec): number[] {
  return [...new Set([spec.requestedBy, spec.newContact])];
}

/** Writes the specs' services, requests and confirmations; returns the requests' ids, in order. */
export async function insertRequests(
  db: Db,
  specs: readonly RequestSpec[],
  prefix = "listed",
): Promise<number[]> {
  return db.transaction(async (tx: Tx) => {
    const serviceIds: number[] = [];
    await inChunks(
      specs.map((spec, i) => ({ spec, i })),
      async (chunk) => {
        const rows = await tx
          .insert(services)
          .values(
            chunk.map(({ spec, i }) => ({
              name: `${prefix}-${String(i).padStart(6, "0")}.example.pl`,
              type: "domain" as const,
              adminId: spec.admin,
              techId: spec.oldContact,
              billingId: spec.admin,
            })),
          )
          .returning({ id: services.id });
        serviceIds.push(...rows.map((row) => row.id));
      },
    );
    const requestIds: number[] = [];
    await inChunks(
      specs.map((spec, i) => ({ spec, serviceId: serviceIds[i] as number })),
      async (chunk) => {
        const rows = await tx
          .insert(changeRequests)
          .values(
            chunk.map(({ spec, serviceId }) => ({
              serviceId,
              serviceAdminId: spec.admin,
              requestedById: spec.requestedBy,
              oldContactId: spec.oldContact,
              newContactId: spec.newContact,
              changesTech: true,
              state: spec.state,
              createdAt: spec.createdAt,
              expiresAt: spec.expiresAt,
              endedAt: spec.state === "pending" ? null : spec.createdAt,
            })),
          )
          .returning({ id: changeRequests.id });
        requestIds.push(...rows.map((row) => row.id));
      },
    );
    const confirmationRows = specs.flatMap((spec, i) =>
      confirmersOf(spec).map((accountId) => ({
        requestId: requestIds[i] as number,
        accountId,
        tokenHash: `${prefix}-${i}-${accountId}`,
        tokenIssuedAt: spec.createdAt,
        decision: spec.answers?.get(accountId) ?? null,
        decidedAt: spec.answers?.has(accountId) ? spec.createdAt : null,
        isRequestPending: spec.state === "pending",
      })),
    );
    await inChunks(confirmationRows, async (chunk) => {
      await tx.insert(confirmations).values(chunk);
    });
    return requestIds;
  });
}

/** The services the requests `ids` were made on. */
export async function serviceIdsOf(db: Db, ids: readonly number[]): Promise<number[]> {
  const rows = await db.read
    .select({ id: changeRequests.id, serviceId: changeRequests.serviceId })
    .from(changeRequests)
    .where(inArray(changeRequests.id, [...ids]));
  const byId = new Map(rows.map((row) => [row.id, row.serviceId]));
  return ids.map((id) => byId.get(id) as number);
}
