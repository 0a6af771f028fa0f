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

function keys(value: unknown, prefix = ""): string[] {
  if (value === null || typeof value !== "object") return [prefix];
  return Object.entries(value).flatMap(([key, inner]) => keys(inner, prefix ? `${prefix}.${key}` : key));
}

function message(messages: unknown, key: string): unknown {
  return key
    .split(".")
    .reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], messages);
}

// Where the pages look each reason code up (app/(app)/contacts/[serviceId]/edit-contacts-form.tsx,
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

describe("the app's messages", () => {
  it("exist in English and Polish with the same keys", () => {
    expect(keys(pl)).toEqual(keys(en));
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
