import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { accounts } from "@/db/schema";
import type { Me } from "./api-schemas";
import { OVH_LANGUAGE_OF } from "./ovh-vocabulary";

/** The account as OVH's `nichandle.Nichandle` (`GET /me`), or null when it no longer exists. */
export async function getMe(db: Db, accountId: number): Promise<Me | null> {
  const [account] = await db.read
    .select({
      customerId: accounts.customerId,
      email: accounts.email,
      name: accounts.name,
      language: accounts.language,
    })
    .from(accounts)
    .where(eq(accounts.id, accountId));
  if (!account) return null;
  return {
    nichandle: account.customerId,
    email: account.email,
    name: account.name,
    language: OVH_LANGUAGE_OF[account.language],
  };
}
