import { and, eq, ne } from "drizzle-orm";
import { type Db, isUniqueViolation, lockKey, type Tx } from "@/db/client";
import { accounts, sessions } from "@/db/schema";
import { parseCustomerId } from "@/lib/customer-id";
import type { ProvisionedAccount, PutAccountResult } from "./index";
import { emailTakenMessage, planAccountWrite, toProvisionedAccount } from "./plan-account-write";
import type { AccountInput } from "./provisioning-schemas";

/**
 * Creates or updates an account (idempotent: the same input twice changes nothing the second
 * time). A new e-mail address clears the undeliverable mark and, as a confirmed change in the
 * profile does, ends the account's sessions.
 */
export async function putAccount(
  db: Db,
  input: AccountInput,
  // Part of the contract; nothing an account stores depends on the time yet.
  _now = new Date(),
): Promise<PutAccountResult> {
  try {
    return await db.transaction((tx) => writeAccount(tx, input));
  } catch (error) {
    // Another writer (a profile's e-mail change, an import on another instance) took the address
    // between the check and the write: everything was rolled back.
    if (isUniqueViolation(error)) return emailTaken(input.email);
    throw error;
  }
}

/**
 * putAccount's work inside a transaction: the one path by which the provider's word reaches an
 * existing account (the bulk import inserts new ones in batches, with the same plan).
 */
export async function writeAccount(tx: Tx, input: AccountInput): Promise<PutAccountResult> {
  // PostgreSQL: writers of the same account, or of the same address, take turns (always in this
  // order), so the reads below stay true until commit and a new account is not inserted twice.
  await lockKey(tx, `account:${input.customerId}`);
  await lockKey(tx, `account-email:${input.email}`);
  const [existing] = await tx.select().from(accounts).where(eq(accounts.customerId, input.customerId));
  const [holder] = await tx
    .select({ id: accounts.id })
    .from(accounts)
    .where(and(eq(accounts.email, input.email), ne(accounts.customerId, input.customerId)));
  if (holder) return emailTaken(input.email);
  const plan = planAccountWrite(existing, input);
  switch (plan.kind) {
    case "create": {
      const [created] = await tx.insert(accounts).values(plan.values).returning();
      return {
        ok: true,
        created: true,
        account: toProvisionedAccount(created as NonNullable<typeof created>),
      };
    }
    case "update": {
      const id = (existing as NonNullable<typeof existing>).id;
      const [updated] = await tx.update(accounts).set(plan.set).where(eq(accounts.id, id)).returning();
      // The credential stamp already refuses the old sessions; deleting them says so in the data too.
      if (plan.isEndingSessions) await tx.delete(sessions).where(eq(sessions.accountId, id));
      return {
        ok: true,
        created: false,
        account: toProvisionedAccount(updated as NonNullable<typeof updated>),
      };
    }
    case "unchanged":
      return {
        ok: true,
        created: false,
        account: toProvisionedAccount(existing as NonNullable<typeof existing>),
      };
  }
}

function emailTaken(email: string): PutAccountResult {
  return { ok: false, reason: "email_taken", message: emailTakenMessage(email) };
}

/** The account with this customer ID, or null. */
export async function getAccount(db: Db, customerId: string): Promise<ProvisionedAccount | null> {
  const parsed = parseCustomerId(customerId);
  if (parsed === null) return null;
  const [account] = await db.read.select().from(accounts).where(eq(accounts.customerId, parsed));
  return account ? toProvisionedAccount(account) : null;
}
