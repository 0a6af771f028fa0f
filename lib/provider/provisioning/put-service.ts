import type { Db } from "@/db/client";
import type { ProvisionedService, PutServiceResult, RemoveServiceResult } from "./index";
import type { ServiceInput, ServiceKey } from "./provisioning-schemas";

/**
 * Creates or updates a service and its three contacts. The provider's word needs no
 * confirmation, but pending requests it makes stale end as cancelled (as an applied request's
 * change does), and a change of contacts is an event for the provider's endpoints.
 */
export async function putService(
  _db: Db,
  _input: ServiceInput,
  _now = new Date(),
): Promise<PutServiceResult> {
  throw new Error("not implemented");
}

/** The service (not removed) with this type and name, or null. */
export async function getService(_db: Db, _key: ServiceKey): Promise<ProvisionedService | null> {
  throw new Error("not implemented");
}

/** Removes a service: its pending requests end as cancelled with a reason, everyone told. */
export async function removeService(
  _db: Db,
  _key: ServiceKey,
  _now = new Date(),
): Promise<RemoveServiceResult> {
  throw new Error("not implemented");
}
