import type { Db } from "@/db/client";
import type { ProvisionedAccount, PutAccountResult } from "./index";
import type { AccountInput } from "./provisioning-schemas";

/**
 * Creates or updates an account (idempotent: the same input twice changes nothing the second
 * time). A new e-mail address clears the undeliverable mark and, as a confirmed change in the
 * profile does, ends the account's sessions.
 */
export async function putAccount(
  _db: Db,
  _input: AccountInput,
  _now = new Date(),
): Promise<PutAccountResult> {
  throw new Error("not implemented");
}

/** The account with this customer ID, or null. */
export async function getAccount(_db: Db, _customerId: string): Promise<ProvisionedAccount | null> {
  throw new Error("not implemented");
}
