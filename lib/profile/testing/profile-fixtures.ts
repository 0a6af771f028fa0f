import { desc, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { accounts, type Language, outbox } from "@/db/schema";

export const T0 = new Date("2026-03-01T09:00:00.000Z");

/** `ms` milliseconds after T0. */
export function at(ms: number): Date {
  return new Date(T0.getTime() + ms);
}

let sequence = 0;

/** An account with a unique customer ID and address (the password hash is never checked here). */
export async function createAccount(
  db: Db,
  options: { email?: string; name?: string; language?: Language } = {},
): Promise<{ id: number; email: string }> {
  sequence += 1;
  const customerId = `pp${String(sequence).padStart(6, "0")}-ovh`;
  const email = options.email ?? `${customerId}@example.test`;
  const [account] = await db.transaction((tx) =>
    tx
      .insert(accounts)
      .values({
        customerId,
        name: options.name ?? "Paula Profile",
        email,
        language: options.language ?? "en",
        passwordHash: "not-a-real-hash",
      })
      .returning({ id: accounts.id }),
  );
  if (!account) throw new Error("the account was not stored");
  return { id: account.id, email };
}

/** The account's current address. */
export async function emailOf(db: Db, accountId: number): Promise<string | undefined> {
  const [account] = await db.read
    .select({ email: accounts.email })
    .from(accounts)
    .where(eq(accounts.id, accountId));
  return account?.email;
}

/** The newest e-mail to `address` in the outbox, and the token its link carries. */
export async function newestEmailTo(db: Db, address: string) {
  const [row] = await db.read
    .select()
    .from(outbox)
    .where(eq(outbox.toAddress, address))
    .orderBy(desc(outbox.id))
    .limit(1);
  return row ? { ...row, token: String(row.props.code) } : undefined;
}
