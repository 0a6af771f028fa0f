import { and, eq, ne } from "drizzle-orm";
import { type Db, lockRows, type Tx } from "@/db/client";
import { type Account, accounts, emailChanges } from "@/db/schema";
import { enqueueEmail } from "@/lib/email/enqueue-email";
import { generateToken } from "@/lib/tokens";
import { discardUnusedEmailChanges, emailChangeSecretRef } from "./cancel-email-change";
import { EMAIL_CHANGE_TTL_MS, emailAddressSchema } from "./email-change-rules";
import type { RequestEmailChangeRefusalReason } from "./reason-codes";

export type RequestEmailChangeInput = {
  accountId: number;
  /** As typed: trimmed and lower-cased here. */
  newEmail: string;
  now: Date;
};

/** What the account holder is told; the same whether or not another account uses the address. */
export type StartedEmailChange = { newEmail: string; expiresAt: Date };

export type RequestEmailChangeResult =
  | ({ ok: true } & StartedEmailChange)
  | { ok: false; reason: RequestEmailChangeRefusalReason };

/**
 * Starts an e-mail change in one transaction (see `startEmailChange`). The account's address
 * does not change until `confirmEmailChange`. Call `kickOutboxSender()` after it returns.
 */
export async function requestEmailChange(
  db: Db,
  input: RequestEmailChangeInput,
): Promise<RequestEmailChangeResult> {
  const parsed = emailAddressSchema.safeParse(input.newEmail);
  if (!parsed.success) return { ok: false, reason: "invalid_email" };
  const newEmail = parsed.data;
  return db.transaction(async (tx): Promise<RequestEmailChangeResult> => {
    await lockRows(tx, accounts, eq(accounts.id, input.accountId));
    const [account] = await tx.select().from(accounts).where(eq(accounts.id, input.accountId));
    if (!account) return { ok: false, reason: "not_found" };
    if (account.email === newEmail) return { ok: false, reason: "same_email" };
    return { ok: true, ...(await startEmailChange(tx, account, newEmail, input.now)) };
  });
}

/**
 * Inside the caller's transaction: replaces any earlier pending change of the account (its
 * link stops working, its code is erased from the outbox, its failed attempts are forgotten),
 * stores `newEmail` (valid, lower case, not the account's own) with the SHA-256 hash of a fresh
 * 32-byte token valid 24 hours, and puts the `email-change` e-mail with the token into the
 * outbox, to the NEW address, in the account's language.
 *
 * An address another account uses is NOT refused: refusing would let any signed-in user test
 * which addresses have accounts (addresses are sign-in names). Its answer, and what the
 * profile page shows afterwards (the pending change, the earlier one replaced), are exactly
 * those of a free address, but nothing usable is recorded and nothing is sent: the token is
 * generated and dropped unseen (only its hash is stored, so no one can ever confirm the
 * change), and no e-mail goes to the address, neither the link nor a notice to its holder (a
 * notice would let anyone send mail to account holders at will). The change can only expire
 * or be cancelled; `confirmEmailChange` re-checks the address anyway.
 */
export async function startEmailChange(
  tx: Tx,
  account: Pick<Account, "id" | "name" | "language">,
  newEmail: string,
  now: Date,
): Promise<StartedEmailChange> {
  await discardUnusedEmailChanges(tx, account.id);
  const { token, hash } = generateToken();
  const expiresAt = new Date(now.getTime() + EMAIL_CHANGE_TTL_MS);
  const [change] = await tx
    .insert(emailChanges)
    .values({ accountId: account.id, newEmail, tokenHash: hash, createdAt: now, expiresAt })
    .returning({ id: emailChanges.id });
  if (!change) throw new Error("the e-mail change was not stored");
  const [holder] = await tx
    .select({ id: accounts.id })
    .from(accounts)
    .where(and(eq(accounts.email, newEmail), ne(accounts.id, account.id)));
  if (!holder) {
    await enqueueEmail(tx, {
      to: newEmail,
      toAccountId: account.id,
      language: account.language,
      template: "email-change",
      props: { recipientName: account.name, newEmail, code: token, expiresAt: expiresAt.toISOString() },
      secretRef: emailChangeSecretRef(change.id),
      now,
    });
  }
  return { newEmail, expiresAt };
}
