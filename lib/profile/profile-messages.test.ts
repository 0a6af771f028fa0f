import { describe, expect, it } from "vitest";
import en from "@/messages/profile.en.json";
import pl from "@/messages/profile.pl.json";
import { CONFIRM_EMAIL_CHANGE_REFUSAL_REASONS, SAVE_PROFILE_REFUSAL_REASONS } from "./reason-codes";

function keys(value: unknown, prefix = ""): string[] {
  if (value === null || typeof value !== "object") return [prefix];
  return Object.entries(value).flatMap(([key, inner]) => keys(inner, prefix ? `${prefix}.${key}` : key));
}

describe("the profile's messages", () => {
  it("exist in English and Polish with the same keys", () => {
    expect(keys(pl)).toEqual(keys(en));
  });

  it.each([
    ["en", en],
    ["pl", pl],
  ])("name every reason code (%s)", (_language, messages) => {
    for (const reason of SAVE_PROFILE_REFUSAL_REASONS) {
      expect(messages.Profile.errors[reason], reason).toBeTruthy();
    }
    for (const reason of CONFIRM_EMAIL_CHANGE_REFUSAL_REASONS) {
      expect(messages.ConfirmEmail.errors[reason], reason).toBeTruthy();
    }
  });

  it.each([
    ["en", en],
    ["pl", pl],
  ])("have no message that could say another account uses an address (%s)", (_language, messages) => {
    // The form's own codes, and saveProfile's: no email_taken, no same_email.
    const shown = ["invalid_form", "throttled", ...SAVE_PROFILE_REFUSAL_REASONS];
    expect(Object.keys(messages.Profile.errors).sort()).toEqual(shown.sort());
  });

  it("offer the languages by their own names in both interfaces", () => {
    expect(en.Profile.languages).toEqual({ en: "English", pl: "Polski" });
    expect(pl.Profile.languages).toEqual({ en: "English", pl: "Polski" });
  });
});
