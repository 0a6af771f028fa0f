"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { useActionState, useRef } from "react";
import { describeFieldError } from "@/components/describe-field-error";
import { BackButton, CONFIRM_BUTTON_CLASS, ConfirmStep } from "@/components/ui/confirm-step";
import { useFocusFirstInvalid } from "@/components/ui/use-focus-first-invalid";
import { CONTACT_TYPES, type ContactType } from "@/db/schema";
import type { BatchRefusal } from "@/lib/requests/batches/vocabulary";
import { type BulkChangeState, bulkChangeAction } from "./actions";

const INITIAL: BulkChangeState = { status: "idle" };
const LABEL = { admin: "adminContact", tech: "techContact", billing: "billingContact" } as const;

/**
 * The new contacts of a bulk hand-over and "Confirm". The selection rides along in hidden fields;
 * the outcome (the batch, the refused services) shows above the fields.
 */
export function BulkChangeForm({ selection }: { selection: Record<string, string> }) {
  const t = useTranslations("Bulk");
  const tEdit = useTranslations("Edit");
  const [state, action, isPending] = useActionState(bulkChangeAction, INITIAL);
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(formRef, state);
  const fieldErrors = state.status === "error" ? state.fieldErrors : {};
  const isRegistered = state.status === "registered" && state.batchId !== null;
  const isConfirming = state.status === "confirm";
  // What the fields held when the server answered, so React's reset after the action keeps it.
  const heldValues = "values" in state ? state.values : undefined;
  const person = (p: { name: string; customerId: string }) => `${p.name} (${p.customerId})`;

  return (
    <form
      ref={formRef}
      action={action}
      noValidate
      aria-describedby="bulk-form-status"
      className="space-y-5 rounded-lg border border-slate-200 bg-white p-6 shadow-sm"
    >
      {Object.entries(selection).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {/* Enter in a field presses the form's first submit button: "Confirm", or while the step
          shows, its "Go back" rather than its confirming button. Hidden: no second name for tests. */}
      <button
        type="submit"
        hidden
        tabIndex={-1}
        name={isConfirming ? "back" : undefined}
        value={isConfirming ? "yes" : undefined}
        disabled={isPending}
      />
      <div id="bulk-form-status" aria-live="polite" className="space-y-3 empty:hidden">
        {state.status === "registered" && state.batchId !== null && (
          <div
            role="status"
            className="rounded-md border border-green-300 bg-green-50 px-4 py-3 text-sm text-green-900"
          >
            <p className="font-medium">
              {t("registered", {
                id: state.batchId,
                count: state.requestCount,
                services: state.serviceCount,
              })}
            </p>
            <p className="mt-1">{t("confirmers", { people: state.confirmers.map(person).join(", ") })}</p>
            <p className="mt-1">
              {t.rich("follow", {
                id: state.batchId,
                link: (chunks) => (
                  <Link href={`/requests/batches/${state.batchId}`} className="font-medium underline">
                    {chunks}
                  </Link>
                ),
              })}
            </p>
          </div>
        )}
        {state.status === "registered" && state.batchId === null && (
          <p
            role="alert"
            className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800"
          >
            {t("allRefused")}
          </p>
        )}
        {state.status === "error" && state.reason !== "invalid_fields" && (
          <p
            role="alert"
            className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800"
          >
            {t(`errors.${state.reason}`, { limit: state.limit ?? 0 })}
          </p>
        )}
        {state.status === "registered" && state.refused.length > 0 && (
          <RefusedServices refused={state.refused} count={state.refusedCount} />
        )}
      </div>

      {/* Once registered, the page is done: a second "Confirm" would only meet the pending requests. */}
      {!isRegistered && (
        <>
          {CONTACT_TYPES.map((type) => {
            const error = fieldErrors[type];
            const id = `bulk-${type}`;
            const value = heldValues?.[type];
            return (
              <div key={type} className="space-y-1">
                <label htmlFor={id} className="block text-sm font-medium">
                  {tEdit(LABEL[type])}
                </label>
                <input
                  id={id}
                  name={type}
                  defaultValue={value ?? ""}
                  // While the confirmation step shows, the fields stay as what it describes.
                  readOnly={isConfirming}
                  autoCapitalize="none"
                  spellCheck={false}
                  placeholder="aa123456-ovh"
                  aria-invalid={error ? true : undefined}
                  aria-describedby={`bulk-hint${error ? ` ${id}-error` : ""}`}
                  className={`block w-64 rounded-md border px-3 py-2 font-mono ${
                    error ? "border-red-500" : "border-slate-300"
                  }`}
                />
                {error && (
                  <p id={`${id}-error`} className="text-sm text-red-700">
                    {describeFieldError(tEdit, type, error)}
                  </p>
                )}
              </div>
            );
          })}
          <p id="bulk-hint" className="text-xs text-slate-500">
            {t("blankHint")}
          </p>

          {state.status === "confirm" ? (
            <BulkConfirmStep state={state} isPending={isPending} />
          ) : (
            <div className="flex items-center gap-3">
              <button
                type="submit"
                disabled={isPending}
                className="rounded-md bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700 disabled:opacity-60"
              >
                {tEdit("confirm")}
              </button>
              <p className="text-xs text-slate-500">{tEdit("confirmHint")}</p>
            </div>
          )}
        </>
      )}
    </form>
  );
}

/**
 * The step before a batch that hands over the administrator contact or takes contacts back is
 * registered: what it would register, OVH's warning about what an administrator contact may do,
 * and the services it would refuse. Its confirming button is "Confirm", as the one that asked.
 */
function BulkConfirmStep({
  state,
  isPending,
}: {
  state: Extract<BulkChangeState, { status: "confirm" }>;
  isPending: boolean;
}) {
  const t = useTranslations("Bulk");
  const tEdit = useTranslations("Edit");
  const newAdmin = state.values.admin?.trim();
  return (
    <ConfirmStep
      title={newAdmin ? tEdit("confirmStep.adminTitle") : tEdit("confirmStep.title")}
      actions={
        <>
          <BackButton name="back" value="yes" label={tEdit("confirmStep.back")} disabled={isPending} />
          <button type="submit" disabled={isPending} className={CONFIRM_BUTTON_CLASS}>
            {tEdit("confirm")}
          </button>
        </>
      }
    >
      <p>
        {t("confirmStep", {
          count: state.requestCount,
          services: state.serviceCount,
          steps: state.stepCount,
        })}
      </p>
      {newAdmin && (
        <p className="rounded-md border border-red-300 bg-white px-3 py-2 text-red-900">
          <strong>{tEdit("confirmStep.important")}</strong>{" "}
          {tEdit("confirmStep.adminWarning", { new: newAdmin })}
        </p>
      )}
      {state.refused.length > 0 && <RefusedServices refused={state.refused} count={state.refusedCount} />}
      <p>{tEdit("confirmStep.nothingYet")}</p>
    </ConfirmStep>
  );
}

/** The services the rules refused, each with every refused field's reason. */
function RefusedServices({ refused, count }: { refused: BatchRefusal[]; count: number }) {
  const t = useTranslations("Bulk");
  const tEdit = useTranslations("Edit");
  const tTypes = useTranslations("ServiceTypes");
  return (
    <section aria-labelledby="refused-heading" className="rounded-md border border-amber-300 bg-amber-50 p-4">
      <h2 id="refused-heading" className="font-semibold text-amber-900">
        {t("refusedTitle", { count })}
      </h2>
      <ul className="mt-2 space-y-2 text-sm">
        {refused.map((service) => (
          <li key={service.serviceId}>
            <span className="font-medium">{service.serviceName}</span> ({tTypes(service.serviceType)})
            <ul className="list-disc pl-5">
              {CONTACT_TYPES.flatMap((type: ContactType) => {
                const error = service.fieldErrors[type];
                return error
                  ? [
                      <li key={type}>
                        {tEdit(LABEL[type])}: {describeFieldError(tEdit, type, error)}
                      </li>,
                    ]
                  : [];
              })}
            </ul>
          </li>
        ))}
      </ul>
      {count > refused.length && (
        <p className="mt-2 text-sm">{t("refusedMore", { count: count - refused.length })}</p>
      )}
    </section>
  );
}
