import type { Account, NewAccount } from "@/db/schema";
import { UNUSABLE_PASSWORD_HASH } from "@/lib/password";
import type { ProvisionedAccount } from "./index";
import type { AccountInput } from "./provisioning-schemas";

/** What an account upsert writes: the provider's word against the account as it is stored. */
export type AccountWrite =
  | { kind: "create"; values: NewAccount }
  | {
      kind: "update";
      set: Partial<NewAccount>;
      /**
       * A new e-mail address or password: every session of the account ends, as after a
       * confirmed change in the profile (SPEC.md "Deployment modes and trust").
       */
      isEndingSessions: boolean;
    }
  | { kind: "unchanged" };

/** The stored fields an account's provisioning sets. */
type Stored = Pick<
  Account,
  | "name"
  | "email"
  | "language"
  | "isLanguageChosen"
  | "behindWithPayments"
  | "passwordHash"
  | "emailUndeliverable"
>;

/**
 * Decides what a PUT of an account writes (idempotent: the input that is already stored writes
 * nothing). A new account without a password hash gets one no password matches, so it cannot sign
 * in and checking it costs the same time as a real one. A new e-mail address clears the mark that
 * e-mails to the old one bounced.
 */
export function planAccountWrite(existing: Stored | undefined, input: AccountInput): AccountWrite {
  const wanted = {
    name: input.name,
    email: input.email,
    behindWithPayments: input.paymentStanding === "overdue",
  };
  if (!existing) {
    return {
      kind: "create",
      values: {
        customerId: input.customerId,
        ...wanted,
        // The provider's language is the customer's choice; without one the panel follows the browser.
        language: input.language ?? "en",
        isLanguageChosen: input.language !== undefined,
        passwordHash: input.passwordHash ?? UNUSABLE_PASSWORD_HASH,
      },
    };
  }
  const set: Partial<NewAccount> = {};
  if (existing.name !== wanted.name) set.name = wanted.name;
  if (input.language !== undefined && (existing.language !== input.language || !existing.isLanguageChosen)) {
    set.language = input.language;
    set.isLanguageChosen = true;
  }
  if (existing.behindWithPayments !== wanted.behindWithPayments) {
    set.behindWithPayments = wanted.behindWithPayments;
  }
  const isNewEmail = existing.email !== wanted.email;
  if (isNewEmail) {
    set.email = wanted.email;
    set.emailUndeliverable = null;
    set.emailUndeliverableAt = null;
  }
  const isNewPassword = input.passwordHash !== undefined && input.passwordHash !== existing.passwordHash;
  if (isNewPassword) set.passwordHash = input.passwordHash;
  if (Object.keys(set).length === 0) return { kind: "unchanged" };
  return { kind: "update", set, isEndingSessions: isNewEmail || isNewPassword };
}

/** An account as the provisioning API shows it. */
export function toProvisionedAccount(
  account: Pick<
    Account,
    "customerId" | "name" | "email" | "language" | "behindWithPayments" | "emailUndeliverable"
  >,
): ProvisionedAccount {
  return {
    customerId: account.customerId,
    name: account.name,
    email: account.email,
    language: account.language,
    paymentStanding: account.behindWithPayments ? "overdue" : "upToDate",
    emailUndeliverable: account.emailUndeliverable ?? null,
  };
}

/** The refusal of an e-mail address another account holds; the same words for the API and the import. */
export function emailTakenMessage(email: string): string {
  return `email: ${email} is the e-mail address of another account`;
}
