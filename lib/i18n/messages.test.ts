import { describe, expect, it } from "vitest";
import {
  CANCEL_REASONS,
  CONFIRMATION_REFUSAL_REASONS,
  FIELD_ERROR_REASONS,
  type FieldErrorReason,
  PLAN_REFUSAL_REASONS,
  REQUEST_ACTION_REFUSAL_REASONS,
  type RequestActionRefusalReason,
} from "@/lib/contact-change";
import en from "@/messages/en.json";
import pl from "@/messages/pl.json";
import profileEn from "@/messages/profile.en.json";
import profilePl from "@/messages/profile.pl.json";

function keys(value: unknown, prefix = ""): string[] {
  if (value === null || typeof value !== "object") return [prefix];
  return Object.entries(value).flatMap(([key, inner]) => keys(inner, prefix ? `${prefix}.${key}` : key));
}

function message(messages: unknown, key: string): unknown {
  return key
    .split(".")
    .reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], messages);
}

// Where the pages look each reason code up (components/describe-field-error.ts,
// components/requests/*): the edit form's field errors have names of their own.
const FIELD_ERROR_KEYS: Record<FieldErrorReason, string> = {
  not_allowed: "Edit.errors.notAllowed",
  malformed_customer_id: "Edit.errors.malformed",
  unknown_account: "Edit.errors.unknown",
  // One message per contact type; the admin's stands for them (the keys are compared above).
  already_holder: "Edit.errors.alreadyHolder.admin",
  pending_request_exists: "Edit.errors.pending",
  billing_payments_overdue: "Edit.errors.billingOverdue",
};
const ACTION_REFUSAL_KEYS: Record<RequestActionRefusalReason, string> = {
  not_allowed: "Requests.actionErrors.not_allowed",
  expired: "Requests.actionErrors.expired",
  not_pending: "Requests.answer.not_pending",
  too_soon: "Requests.tooSoon",
};

/**
 * Polish values that may equal the English ones: words both languages share. Anything else the
 * same in both files is an English text left untranslated.
 */
const SAME_IN_BOTH = new Set(["E-mail", "VPS", "English", "Polski"]);

/** What a value says once its placeholders are taken out: `{types}: {from} → {to}` says nothing. */
function words(value: string): string {
  return value
    .replace(/\{[^{}]*\}/g, "")
    .replace(/[^\p{L}]+/gu, " ")
    .trim();
}

function untranslated(english: unknown, polish: unknown): string[] {
  return keys(english).filter((key) => {
    const value = message(english, key);
    return (
      typeof value === "string" &&
      value === message(polish, key) &&
      words(value) !== "" &&
      !SAME_IN_BOTH.has(value)
    );
  });
}

describe("the app's messages", () => {
  it("exist in English and Polish with the same keys", () => {
    expect(keys(pl)).toEqual(keys(en));
    expect(keys(profilePl)).toEqual(keys(profileEn));
  });

  it("are all translated: no Polish value is the English one, but for shared words", () => {
    expect(untranslated(en, pl)).toEqual([]);
    expect(untranslated(profileEn, profilePl)).toEqual([]);
  });

  it("flag a value left in English", () => {
    const polish = structuredClone(pl);
    polish.Nav.requests = en.Nav.requests;
    expect(untranslated(en, polish)).toEqual(["Nav.requests"]);
  });

  it("use OVH's Polish words, one per concept", () => {
    const text = JSON.stringify([pl, profilePl]);
    // OVH's panel: "zlecenie" (not "zgłoszenie"), "kontakt administracyjny / księgowy", "kod potwierdzający".
    for (const word of [/zgłosze/i, /rozliczeniow/i, /kontakt(u|em)? administratora/i, /weryfikacyjn/i]) {
      expect(text).not.toMatch(word);
    }
    // Forms for one gender only, shown to everyone.
    for (const form of [/złożyłeś/, /otrzymałeś/, /odrzuciłeś/i, /odpowiedziałeś/, /zastąpił\(a\)/]) {
      expect(text).not.toMatch(form);
    }
  });

  it.each([
    ["en", en],
    ["pl", pl],
  ])("name every reason code the domain returns (%s)", (_language, messages) => {
    const expected = [
      // not_a_contact is answered with the 404 page: the service's existence is not revealed.
      ...PLAN_REFUSAL_REASONS.filter((reason) => reason !== "not_a_contact").map(
        (reason) => `Edit.errors.${reason}`,
      ),
      ...FIELD_ERROR_REASONS.map((reason) => FIELD_ERROR_KEYS[reason]),
      ...CONFIRMATION_REFUSAL_REASONS.map((reason) => `Requests.answer.${reason}`),
      ...CANCEL_REASONS.map((reason) => `Requests.endReasons.${reason}`),
      ...REQUEST_ACTION_REFUSAL_REASONS.map((reason) => ACTION_REFUSAL_KEYS[reason]),
    ];
    const missing = expected.filter(
      (key) => typeof message(messages, key) !== "string" || !message(messages, key),
    );
    expect(missing).toEqual([]);
  });
});
