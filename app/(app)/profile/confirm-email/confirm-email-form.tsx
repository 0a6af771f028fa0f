"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { type ConfirmEmailState, confirmEmailChangeAction } from "./actions";

const INITIAL: ConfirmEmailState = { status: "idle" };

export function ConfirmEmailForm({ token }: { token: string }) {
  const t = useTranslations("ConfirmEmail");
  const [state, action, isPending] = useActionState(confirmEmailChangeAction, INITIAL);

  // Every refusal is final for this link, so the button goes and the reason stays.
  if (state.status === "error") {
    return (
      <div className="space-y-3">
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          {t(`errors.${state.reason}`)}
        </p>
        <Link href="/profile" className="text-sm text-brand-700 underline">
          {t("back")}
        </Link>
      </div>
    );
  }
  return (
    <form action={action} className="flex flex-wrap items-center gap-4">
      {state.status === "throttled" && (
        <p
          role="alert"
          className="w-full rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800"
        >
          {t("throttled", { seconds: state.seconds })}
        </p>
      )}
      <input type="hidden" name="token" value={token} />
      <button
        type="submit"
        disabled={isPending}
        className="rounded-md bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700 disabled:opacity-60"
      >
        {t("submit")}
      </button>
      <Link href="/profile" className="text-sm text-brand-700 underline">
        {t("back")}
      </Link>
    </form>
  );
}
