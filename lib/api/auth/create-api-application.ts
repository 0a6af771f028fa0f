import { and, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import { type Db, lockRows } from "@/db/client";
import { accounts, apiApplications } from "@/db/schema";
import { hasControlCharacter } from "@/lib/profile/visible-text";
import { encryptApplicationSecret } from "./application-secret-cipher";
import { APPLICATION_KEY_LENGTH, APPLICATION_SECRET_LENGTH, randomAlphanumeric } from "./random-key";
import type { CreateApiApplicationRefusalReason } from "./reason-codes";

export const MAX_APPLICATION_NAME_LENGTH = 100;
export const MAX_APPLICATION_DESCRIPTION_LENGTH = 500;
/** Applications an account may hold at once (revoked ones do not count): each is a row and a key. */
export const MAX_APPLICATIONS_PER_ACCOUNT = 20;

const codePoints = (text: string) => [...text].length;

/**
 * An application's name, trimmed: 1 to 100 characters, no control character. The validation page
 * shows it to whoever approves a key, so nothing may break or reorder that sentence.
 */
export const apiApplicationNameSchema = z
  .string()
  .trim()
  .refine((name) => codePoints(name) >= 1 && codePoints(name) <= MAX_APPLICATION_NAME_LENGTH)
  .refine((name) => !hasControlCharacter(name));

/** An application's description, trimmed: at most 500 characters; line breaks are its only controls. */
export const apiApplicationDescriptionSchema = z
  .string()
  .trim()
  .refine((description) => codePoints(description) <= MAX_APPLICATION_DESCRIPTION_LENGTH)
  .refine((description) => !hasControlCharacter(description.replace(/\r?\n/g, "")));

export type CreateApiApplicationInput = {
  /** The signed-in account, which owns the application. */
  accountId: number;
  name: unknown;
  /** Optional: empty when left out. */
  description?: unknown;
  now?: Date;
};

export type CreateApiApplicationResult =
  /** `applicationSecret` is returned this once: only an encrypted copy is kept. */
  | { ok: true; id: number; applicationKey: string; applicationSecret: string }
  | { ok: false; reason: CreateApiApplicationRefusalReason };

/**
 * Creates an application of the automation API for the account: a random 16-character application
 * key and 32-character secret, as OVH issues them. The secret is stored encrypted
 * (application-secret-cipher.ts) and shown to its owner only in this result.
 */
export async function createApiApplication(
  db: Db,
  input: CreateApiApplicationInput,
): Promise<CreateApiApplicationResult> {
  const name = apiApplicationNameSchema.safeParse(input.name);
  if (!name.success) return { ok: false, reason: "invalid_name" };
  const description = apiApplicationDescriptionSchema.safeParse(input.description ?? "");
  if (!description.success) return { ok: false, reason: "invalid_description" };

  const applicationKey = randomAlphanumeric(APPLICATION_KEY_LENGTH);
  const applicationSecret = randomAlphanumeric(APPLICATION_SECRET_LENGTH);
  const applicationSecretEncrypted = encryptApplicationSecret(applicationSecret, applicationKey);
  return db.transaction(async (tx) => {
    // PostgreSQL: the account's row stays locked until commit, so two instances cannot both
    // count 19 and store the 20th and 21st.
    await lockRows(tx, accounts, eq(accounts.id, input.accountId));
    const [account] = await tx
      .select({ id: accounts.id })
      .from(accounts)
      .where(eq(accounts.id, input.accountId));
    if (!account) return { ok: false, reason: "not_found" } as const;
    const live = await tx.$count(
      apiApplications,
      and(eq(apiApplications.accountId, account.id), isNull(apiApplications.revokedAt)),
    );
    if (live >= MAX_APPLICATIONS_PER_ACCOUNT) return { ok: false, reason: "too_many_applications" } as const;
    const [created] = await tx
      .insert(apiApplications)
      .values({
        accountId: account.id,
        applicationKey,
        applicationSecretEncrypted,
        name: name.data,
        description: description.data,
        createdAt: input.now ?? new Date(),
      })
      .returning({ id: apiApplications.id });
    if (!created) throw new Error("the application was not stored");
    return { ok: true, id: created.id, applicationKey, applicationSecret } as const;
  });
}
