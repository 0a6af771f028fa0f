"use client";

import { useTranslations } from "next-intl";
import { useActionState, useRef } from "react";
import { describeFieldError } from "@/components/describe-field-error";
import { useFocusFirstInvalid } from "@/components/ui/use-focus-first-invalid";
import type { ContactType } from "@/db/schema";
import type { ContactFieldError } from "@/lib/requests/request-contact-change";
import { type EditContactsState, editContactsAction } from "./actions";

const INITIAL: EditContactsState = { status: "idle" };
const TYPES = ["admin", "tech", "billing"] as const satisfies readonly ContactType[];
const LABEL = { admin: "adminContact", tech: "techContact", billing: "billingContact" } as const;
const TAKE_BACK = { tech: "takeBackTech", billing: "takeBackBilling" } as const;

type Contact = { customerId: string; name: string };

export function EditContactsForm({
  serviceId,
  contacts,
  editable,
  takeBack,
}: {
  serviceId: number;
  contacts: Record<ContactType, Contact>;
  editable: ContactType[];
  takeBack: ContactType[];
}) {
  const t = useTranslations("Edit");
  const tRoles = useTranslations("Roles");
  const [state, action, isPending] = useActionState(editContactsAction, INITIAL);
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(formRef, state);
  const fieldErrors = state.status === "error" ? state.fieldErrors : {};

  const fieldMessage = (type: ContactType, error: ContactFieldError): string =>
    describeFieldError(t, type, error);

  return (
    <form
      ref={formRef}
      action={action}
      noValidate
      aria-describedby="edit-form-status"
      className="space-y-5 rounded-lg border border-slate-200 bg-white p-6 shadow-sm"
    >
      <input type="hidden" name="serviceId" value={serviceId} />
      <div id="edit-form-status" aria-live="polite">
        {state.status === "success" && (
          <div
            role="status"
            className="rounded-md border border-green-300 bg-green-50 px-4 py-3 text-sm text-green-900"
          >
            <p className="font-medium">{t("success", { count: state.requests.length })}</p>
            <ul className="mt-1 list-disc pl-5">
              {state.requests.map((request) => (
                <li key={request.id}>
                  {t("successLine", {
                    id: request.id,
                    types: request.contactTypes.map((type) => tRoles(type)).join(", "),
                    to: request.newContact.customerId,
                    people: request.confirmers.map((c) => `${c.name} (${c.customerId})`).join(", "),
                  })}
                </li>
              ))}
            </ul>
          </div>
        )}
        {state.status === "error" && state.reason !== "invalid_fields" && (
          <p
            role="alert"
            className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800"
          >
            {t(`errors.${state.reason}`)}
          </p>
        )}
      </div>

      {TYPES.map((type) => {
        const isEditable = editable.includes(type);
        const error = fieldErrors[type];
        const id = `contact-${type}`;
        const value =
          (state.status === "error" ? state.values[type] : undefined) ?? contacts[type].customerId;
        return (
          <div key={`${type}-${state.status === "success" ? "reset" : "edit"}`} className="space-y-1">
            <label htmlFor={id} className="block text-sm font-medium">
              {t(LABEL[type])}
            </label>
            <input type="hidden" name={`shown_${type}`} value={contacts[type].customerId} />
            <div className="flex flex-wrap items-center gap-2">
              <input
                id={id}
                name={type}
                defaultValue={value}
                readOnly={!isEditable}
                autoCapitalize="none"
                spellCheck={false}
                aria-invalid={error ? true : undefined}
                aria-describedby={`${id}-hint${error ? ` ${id}-error` : ""}`}
                className={`block w-64 rounded-md border px-3 py-2 font-mono ${
                  isEditable ? "border-slate-300" : "border-slate-200 bg-slate-100 text-slate-600"
                } ${error ? "border-red-500" : ""}`}
              />
              {type !== "admin" && takeBack.includes(type) && (
                <button
                  type="submit"
                  name="takeBack"
                  value={type}
                  disabled={isPending}
                  className="rounded-md border border-brand-600 px-3 py-2 text-sm text-brand-700 hover:bg-brand-50"
                >
                  {t(TAKE_BACK[type])}
                </button>
              )}
            </div>
            <p id={`${id}-hint`} className="text-xs text-slate-500">
              {isEditable
                ? t("currentHolder", { name: contacts[type].name, customerId: contacts[type].customerId })
                : t("readOnlyHint", { name: contacts[type].name, customerId: contacts[type].customerId })}
            </p>
            {error && (
              <p id={`${id}-error`} className="text-sm text-red-700">
                {fieldMessage(type, error)}
              </p>
            )}
          </div>
        );
      })}

      <div className="flex items-center gap-3">
        <button
          type="submit"
          disabled={isPending || editable.length === 0}
          className="rounded-md bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700 disabled:opacity-60"
        >
          {t("confirm")}
        </button>
        <p className="text-xs text-slate-500">{t("confirmHint")}</p>
      </div>
    </form>
  );
}
