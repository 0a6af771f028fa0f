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
export function createAccount(
  db: Db,
  options: { email?: string; name?: string; language?: Language } = {},
): { id: number; email: string } {
  sequence += 1;
  const customerId = `pp${String(sequence).padStart(6, "0")}-ovh`;
  const email = options.email ?? `${customerId}@example.test`;
  const { id } = db
    .insert(accounts)
    .values({
      customerId,
      name: options.name ?? "Paula Profile",
      email,
      language: options.language ?? "en",
      passwordHash: "not-a-real-hash",
    })
    .returning({ id: accounts.id })
    .get();
  return { id, email };
}

/** The account's current address. */
export function emailOf(db: Db, accountId: number): string | undefined {
  return db.select({ email: accounts.email }).from(accounts).where(eq(accounts.id, accountId)).get()?.email;
}

/** The newest e-mail to `address` in the outbox, and the token its link carries. */
export function newestEmailTo(db: Db, address: string) {
  const row = db.select().from(outbox).where(eq(outbox.toAddress, address)).orderBy(desc(outbox.id)).get();
  return row ? { ...row, token: String(row.props.code) } : undefined;
}
