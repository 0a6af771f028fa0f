"use client";

import { useTranslations } from "next-intl";
import { useActionState, useRef } from "react";
import { describeFieldError } from "@/components/describe-field-error";
import { BackButton, CONFIRM_BUTTON_CLASS, ConfirmStep } from "@/components/ui/confirm-step";
import { useFocusFirstInvalid } from "@/components/ui/use-focus-first-invalid";
import type { ContactType } from "@/db/schema";
import type { ChangePreview, ContactFieldError } from "@/lib/requests/request-contact-change";
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
  const isConfirming = state.status === "confirm";
  // What the fields held when the server answered, so React's reset after the action keeps it.
  const heldValues = "values" in state ? state.values : undefined;

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
      {/* Enter in a field clicks the form's first submit button, which would otherwise be a
          take-back beside a field, or the step's confirming button: make it the plain submit
          ("Confirm") or, while the step shows, its "Go back". Hidden: no second name for tests. */}
      <button
        type="submit"
        hidden
        tabIndex={-1}
        name={isConfirming ? "back" : undefined}
        value={isConfirming ? "yes" : undefined}
        disabled={isPending || editable.length === 0}
      />
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
        const value = heldValues?.[type] ?? contacts[type].customerId;
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
                // While the confirmation step shows, the fields stay as what it describes.
                readOnly={!isEditable || isConfirming}
                autoCapitalize="none"
                spellCheck={false}
                aria-invalid={error ? true : undefined}
                aria-describedby={`${id}-hint${error ? ` ${id}-error` : ""}`}
                className={`block w-64 rounded-md border px-3 py-2 font-mono ${
                  isEditable ? "border-slate-300" : "border-slate-200 bg-slate-100 text-slate-600"
                } ${error ? "border-red-500" : ""}`}
              />
              {type !== "admin" && takeBack.includes(type) && !isConfirming && (
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

      {state.status === "confirm" ? (
        <ConfirmChangeStep requests={state.requests} takeBack={state.takeBack} isPending={isPending} />
      ) : (
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
      )}
    </form>
  );
}

const person = (p: Contact) => `${p.name} (${p.customerId})`;

/**
 * The step before a hand-over of the administrator or a take-back is registered: each request the
 * form makes, who gets a code, and OVH's warning about what an administrator contact may do. Its
 * confirming button carries the name of the button that asked ("Confirm", "Take back the …").
 */
function ConfirmChangeStep({
  requests,
  takeBack,
  isPending,
}: {
  requests: ChangePreview[];
  takeBack?: "tech" | "billing";
  isPending: boolean;
}) {
  const t = useTranslations("Edit");
  const tRoles = useTranslations("Roles");
  const newAdmin = requests.find((request) => request.contactTypes.includes("admin"))?.newContact;
  return (
    <ConfirmStep
      title={newAdmin ? t("confirmStep.adminTitle") : t("confirmStep.title")}
      actions={
        <>
          <BackButton name="back" value="yes" label={t("confirmStep.back")} disabled={isPending} />
          <button
            type="submit"
            name={takeBack ? "takeBack" : undefined}
            value={takeBack}
            disabled={isPending}
            className={CONFIRM_BUTTON_CLASS}
          >
            {takeBack ? t(TAKE_BACK[takeBack]) : t("confirm")}
          </button>
        </>
      }
    >
      <ul className="list-disc space-y-1 pl-5">
        {requests.map((request) => (
          <li key={request.contactTypes.join()}>
            {t("confirmStep.line", {
              types: request.contactTypes.map((type) => tRoles(type)).join(", "),
              from: person(request.oldContact),
              to: person(request.newContact),
              people: request.confirmers.map(person).join(", "),
            })}
            {request.kind === "take_back" &&
              ` ${t("confirmStep.takeBack", { old: person(request.oldContact) })}`}
          </li>
        ))}
      </ul>
      {newAdmin && (
        <p className="rounded-md border border-red-300 bg-white px-3 py-2 text-red-900">
          <strong>{t("confirmStep.important")}</strong>{" "}
          {t("confirmStep.adminWarning", { new: person(newAdmin) })}
        </p>
      )}
      <p>{t("confirmStep.nothingYet")}</p>
    </ConfirmStep>
  );
}
