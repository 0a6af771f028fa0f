"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { type SignInState, signInAction } from "./actions";

const INITIAL: SignInState = { status: "idle" };

export function LoginForm({ callbackUrl }: { callbackUrl: string }) {
  const t = useTranslations("Login");
  const [state, action, isPending] = useActionState(signInAction, INITIAL);
  const error =
    state.status === "error"
      ? state.reason === "throttled"
        ? t("throttled", { seconds: state.seconds })
        : t(state.reason)
      : null;

  return (
    <form action={action} className="space-y-5" noValidate>
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      {error && (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          {error}
        </p>
      )}
      <div className="space-y-1">
        <label htmlFor="identifier" className="block text-sm font-medium">
          {t("identifier")}
        </label>
        <input
          id="identifier"
          name="identifier"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          required
          aria-describedby="identifier-hint"
          className="block w-full rounded-md border border-slate-300 px-3 py-2 shadow-sm"
        />
        <p id="identifier-hint" className="text-xs text-slate-500">
          {t("identifierHint")}
        </p>
      </div>
      <div className="space-y-1">
        <label htmlFor="password" className="block text-sm font-medium">
          {t("password")}
        </label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          className="block w-full rounded-md border border-slate-300 px-3 py-2 shadow-sm"
        />
      </div>
      <button
        type="submit"
        disabled={isPending}
        className="w-full rounded-md bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700 disabled:opacity-60"
      >
        {t("submit")}
      </button>
    </form>
  );
}
