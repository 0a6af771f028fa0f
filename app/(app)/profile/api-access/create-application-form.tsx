"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { type CreateApplicationState, createApplicationAction } from "./actions";

const INITIAL: CreateApplicationState = { status: "idle" };

/** "Create an application": the keys appear once, right here, after the form is sent. */
export function CreateApplicationForm() {
  const t = useTranslations("ApiAccess");
  const [state, action, isPending] = useActionState(createApplicationAction, INITIAL);
  const error = state.status === "error" ? state.reason : null;

  return (
    <form action={action} noValidate className="space-y-3" aria-labelledby="create-application-heading">
      <h3 id="create-application-heading" className="font-semibold">
        {t("create.title")}
      </h3>
      {state.status === "created" && (
        <div
          role="status"
          className="space-y-2 rounded-md border border-green-300 bg-green-50 p-3 text-sm text-green-950"
        >
          <p>{t("create.created", { name: state.name })}</p>
          <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1">
            <dt>{t("create.applicationKey")}</dt>
            <dd>
              <code className="break-all font-mono">{state.applicationKey}</code>
            </dd>
            <dt>{t("create.applicationSecret")}</dt>
            <dd>
              <code className="break-all font-mono">{state.applicationSecret}</code>
            </dd>
          </dl>
        </div>
      )}
      {error !== null && error !== "invalid_name" && error !== "invalid_description" && (
        <p role="alert" className="text-sm text-red-700">
          {t(`errors.${error}`)}
        </p>
      )}
      <div className="space-y-1">
        <label htmlFor="application-name" className="block text-sm font-medium">
          {t("create.name")}
        </label>
        <input
          id="application-name"
          name="name"
          maxLength={100}
          aria-invalid={error === "invalid_name" ? true : undefined}
          aria-describedby={error === "invalid_name" ? "application-name-error" : undefined}
          className="block w-full max-w-md rounded-md border border-slate-300 px-3 py-2"
        />
        {error === "invalid_name" && (
          <p id="application-name-error" className="text-sm text-red-700">
            {t("errors.invalid_name")}
          </p>
        )}
      </div>
      <div className="space-y-1">
        <label htmlFor="application-description" className="block text-sm font-medium">
          {t("create.description")}
        </label>
        <input
          id="application-description"
          name="description"
          maxLength={500}
          aria-invalid={error === "invalid_description" ? true : undefined}
          aria-describedby={error === "invalid_description" ? "application-description-error" : undefined}
          className="block w-full max-w-md rounded-md border border-slate-300 px-3 py-2"
        />
        {error === "invalid_description" && (
          <p id="application-description-error" className="text-sm text-red-700">
            {t("errors.invalid_description")}
          </p>
        )}
      </div>
      <button
        type="submit"
        disabled={isPending}
        className="rounded-md bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700 disabled:opacity-60"
      >
        {t("create.submit")}
      </button>
    </form>
  );
}
