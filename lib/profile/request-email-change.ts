import { and, eq, ne } from "drizzle-orm";
import type { Db } from "@/db/client";
import { accounts, emailChanges } from "@/db/schema";
import { enqueueEmail } from "@/lib/email/enqueue-email";
import { generateToken } from "@/lib/tokens";
import { discardUnusedEmailChanges } from "./cancel-email-change";
import { EMAIL_CHANGE_TTL_MS, emailAddressSchema, type Tx } from "./email-change-rules";
import type { RequestEmailChangeRefusalReason } from "./reason-codes";

export type RequestEmailChangeInput = {
  accountId: number;
  /** As typed: trimmed and lower-cased here. */
  newEmail: string;
  now: Date;
};

export type RequestEmailChangeResult =
  | { ok: true; newEmail: string; expiresAt: Date }
  | { ok: false; reason: RequestEmailChangeRefusalReason };

/**
 * Starts an e-mail change: in one transaction, replaces any earlier pending change of the
 * account (its link stops working, its failed attempts are forgotten), stores the new
 * address with the SHA-256 hash of a fresh 32-byte token valid 24 hours, and puts the
 * `email-change` e-mail with the token into the outbox, to the NEW address, in the
 * account's language. The account's address does not change until `confirmEmailChange`.
 * Call `kickOutboxSender()` after it returns.
 */
export function requestEmailChange(db: Db, input: RequestEmailChangeInput): RequestEmailChangeResult {
  const parsed = emailAddressSchema.safeParse(input.newEmail);
  if (!parsed.success) return { ok: false, reason: "invalid_email" };
  const newEmail = parsed.data;
  return db.transaction((tx) => requestInTransaction(tx, { ...input, newEmail }), { behavior: "immediate" });
}

function requestInTransaction(tx: Tx, input: RequestEmailChangeInput): RequestEmailChangeResult {
  const { accountId, newEmail, now } = input;
  const account = tx.select().from(accounts).where(eq(accounts.id, accountId)).get();
  if (!account) return { ok: false, reason: "not_found" };
  if (account.email === newEmail) return { ok: false, reason: "same_email" };
  const holder = tx
    .select({ id: accounts.id })
    .from(accounts)
    .where(and(eq(accounts.email, newEmail), ne(accounts.id, accountId)))
    .get();
  if (holder) return { ok: false, reason: "email_taken" };

  discardUnusedEmailChanges(tx, accountId);
  const { token, hash } = generateToken();
  const expiresAt = new Date(now.getTime() + EMAIL_CHANGE_TTL_MS);
  tx.insert(emailChanges).values({ accountId, newEmail, tokenHash: hash, createdAt: now, expiresAt }).run();
  enqueueEmail(tx, {
    to: newEmail,
    toAccountId: accountId,
    language: account.language,
    template: "email-change",
    props: { recipientName: account.name, newEmail, code: token, expiresAt: expiresAt.toISOString() },
    now,
  });
  return { ok: true, newEmail, expiresAt };
}
