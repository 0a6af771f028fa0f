"use client";

import { useTranslations } from "next-intl";
import { useActionState, useRef } from "react";
import { useFocusFirstInvalid } from "@/components/ui/use-focus-first-invalid";
import type { Language } from "@/db/schema";
import { type ProfileFormValues, type SaveProfileState, saveProfileAction } from "./actions";

const INITIAL: SaveProfileState = { status: "idle" };

export function ProfileForm({
  account,
  languages,
  confirmedEmail,
  undeliverableNotice,
}: {
  account: ProfileFormValues & { language: Language };
  /** The languages to offer, passed in so the schema module stays out of the browser bundle. */
  languages: readonly Language[];
  /** Set right after a new address was confirmed, to say so until the next save. */
  confirmedEmail: string | null;
  /** Why e-mails to the current address do not arrive (a bounce or spam report), in words; null when they do. */
  undeliverableNotice: string | null;
}) {
  const t = useTranslations("Profile");
  const [state, action, isPending] = useActionState(saveProfileAction, INITIAL);
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(formRef, state);
  const values = state.status === "error" ? state.values : account;
  const errorField = state.status === "error" ? state.field : null;
  // New keys remount the fields, so they show what was stored (or what was typed, after an error).
  const fieldsKey =
    state.status === "error"
      ? `error-${state.savedAt}`
      : `${account.name}|${account.email}|${account.language}|${state.status === "success" ? state.savedAt : ""}`;

  const field = (name: keyof ProfileFormValues) => ({
    id: `profile-${name}`,
    name,
    defaultValue: values[name],
    "aria-invalid": errorField === name ? true : undefined,
    "aria-describedby":
      [
        name === "email" && undeliverableNotice ? "profile-email-undeliverable" : null,
        name === "email" ? "profile-email-hint" : null,
        errorField === name ? `profile-${name}-error` : null,
      ]
        .filter(Boolean)
        .join(" ") || undefined,
  });
  const errorText = (name: keyof ProfileFormValues) =>
    state.status === "error" && errorField === name ? (
      <p id={`profile-${name}-error`} className="text-sm text-red-700">
        {t(`errors.${state.reason}`)}
      </p>
    ) : null;
  const inputClass = (name: keyof ProfileFormValues) =>
    `block w-full max-w-md rounded-md border px-3 py-2 shadow-sm ${
      errorField === name ? "border-red-500" : "border-slate-300"
    }`;

  return (
    <form
      ref={formRef}
      action={action}
      noValidate
      aria-describedby="profile-form-status"
      className="space-y-5 rounded-lg border border-slate-200 bg-white p-6 shadow-sm"
    >
      <div id="profile-form-status" aria-live="polite">
        {state.status === "success" && (
          <div
            role="status"
            className="rounded-md border border-green-300 bg-green-50 px-4 py-3 text-sm text-green-900"
          >
            <p className="font-medium">{t("saved")}</p>
            {state.emailLinkSentTo && (
              <p className="mt-1">
                {t("emailLinkSent", { email: state.emailLinkSentTo, current: account.email })}
              </p>
            )}
          </div>
        )}
        {state.status === "idle" && confirmedEmail && (
          <p
            role="status"
            className="rounded-md border border-green-300 bg-green-50 px-4 py-3 text-sm text-green-900"
          >
            {t("emailConfirmed", { email: confirmedEmail })}
          </p>
        )}
        {state.status === "error" && errorField === null && (
          <p
            role="alert"
            className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800"
          >
            {t(`errors.${state.reason}`)}
          </p>
        )}
      </div>

      <div key={fieldsKey} className="space-y-5">
        <div className="space-y-1">
          <label htmlFor="profile-name" className="block text-sm font-medium">
            {t("name")}
          </label>
          <input {...field("name")} autoComplete="name" className={inputClass("name")} />
          {errorText("name")}
        </div>
        <div className="space-y-1">
          <label htmlFor="profile-email" className="block text-sm font-medium">
            {t("email")}
          </label>
          <input
            {...field("email")}
            type="email"
            autoComplete="email"
            autoCapitalize="none"
            spellCheck={false}
            className={inputClass("email")}
          />
          {undeliverableNotice && (
            <p
              id="profile-email-undeliverable"
              className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800"
            >
              {undeliverableNotice}
            </p>
          )}
          <p id="profile-email-hint" className="text-xs text-slate-500">
            {t("emailHint")}
          </p>
          {errorText("email")}
        </div>
        <div className="space-y-1">
          <label htmlFor="profile-language" className="block text-sm font-medium">
            {t("language")}
          </label>
          <select {...field("language")} className={`${inputClass("language")} bg-white`}>
            {languages.map((language) => (
              <option key={language} value={language} lang={language}>
                {t(`languages.${language}`)}
              </option>
            ))}
          </select>
          {errorText("language")}
        </div>
      </div>

      <button
        type="submit"
        disabled={isPending}
        className="rounded-md bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700 disabled:opacity-60"
      >
        {t("save")}
      </button>
    </form>
  );
}
