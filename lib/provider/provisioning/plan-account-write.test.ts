import { describe, expect, it } from "vitest";
import { UNUSABLE_PASSWORD_HASH } from "@/lib/password";
import { planAccountWrite } from "./plan-account-write";
import type { AccountInput } from "./provisioning-schemas";

const input: AccountInput = {
  customerId: "aa100001-ovh",
  name: "Anna Nowak",
  email: "anna@example.test",
  language: "en",
  paymentStanding: "upToDate",
};
const stored = {
  name: "Anna Nowak",
  email: "anna@example.test",
  language: "en" as const,
  isLanguageChosen: true,
  behindWithPayments: false,
  passwordHash: "scrypt$stored",
  emailUndeliverable: "bounced" as const,
};

describe("planAccountWrite", () => {
  it("a new account without a password hash gets one that no password matches", () => {
    expect(planAccountWrite(undefined, input)).toEqual({
      kind: "create",
      values: {
        ...input,
        paymentStanding: undefined,
        behindWithPayments: false,
        isLanguageChosen: true,
        passwordHash: UNUSABLE_PASSWORD_HASH,
      },
    });
  });

  it("the provider's language is the customer's choice; without one a new account follows the browser", () => {
    const { language: _, ...withoutLanguage } = input;
    expect(planAccountWrite(undefined, withoutLanguage)).toMatchObject({
      kind: "create",
      values: { language: "en", isLanguageChosen: false },
    });
    const following = { ...stored, language: "pl" as const, isLanguageChosen: false };
    // Left out on an update: the language the browser gave stays, still followed.
    expect(planAccountWrite(following, withoutLanguage)).toEqual({ kind: "unchanged" });
    // Given, even the same one: from now on it is chosen.
    expect(planAccountWrite(following, { ...input, language: "pl" })).toEqual({
      kind: "update",
      set: { language: "pl", isLanguageChosen: true },
      isEndingSessions: false,
    });
  });

  it("what is already stored writes nothing, whatever the stored password hash when none is given", () => {
    expect(planAccountWrite(stored, input)).toEqual({ kind: "unchanged" });
    expect(planAccountWrite(stored, { ...input, passwordHash: "scrypt$stored" })).toEqual({
      kind: "unchanged",
    });
  });

  it("an overdue standing puts the account behind with payments, without ending its sessions", () => {
    expect(planAccountWrite(stored, { ...input, paymentStanding: "overdue" })).toEqual({
      kind: "update",
      set: { behindWithPayments: true },
      isEndingSessions: false,
    });
  });

  it("a new address clears the bounce mark and ends the sessions", () => {
    expect(planAccountWrite(stored, { ...input, email: "anna.new@example.test" })).toEqual({
      kind: "update",
      set: { email: "anna.new@example.test", emailUndeliverable: null, emailUndeliverableAt: null },
      isEndingSessions: true,
    });
  });

  it("a new password hash ends the sessions; a new name or language does not", () => {
    expect(planAccountWrite(stored, { ...input, passwordHash: "scrypt$new" })).toMatchObject({
      set: { passwordHash: "scrypt$new" },
      isEndingSessions: true,
    });
    expect(planAccountWrite(stored, { ...input, name: "Anna K.", language: "pl" })).toEqual({
      kind: "update",
      set: { name: "Anna K.", language: "pl", isLanguageChosen: true },
      isEndingSessions: false,
    });
  });
});
