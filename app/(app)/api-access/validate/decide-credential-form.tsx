"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { type DecideCredentialState, decideCredentialAction } from "./actions";

const INITIAL: DecideCredentialState = { status: "idle" };

/** "Authorize" / "Refuse": nothing is decided until one is clicked (opening the link changes nothing). */
export function DecideCredentialForm({
  credentialToken,
  applicationName,
}: {
  credentialToken: string;
  applicationName: string;
}) {
  const t = useTranslations("ApiAccess.validate");
  const [state, action, isPending] = useActionState(decideCredentialAction, INITIAL);

  if (state.status === "decided") {
    return (
      <p role="status" className="rounded-md border border-green-300 bg-green-50 px-3 py-2 text-green-950">
        {state.approved ? t("authorized", { name: applicationName }) : t("refusedDone")}
      </p>
    );
  }
  return (
    <form action={action} className="space-y-3">
      {state.status === "error" && (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          {state.reason === "invalid_form" ? t("not_found") : t(state.reason)}
        </p>
      )}
      <input type="hidden" name="credentialToken" value={credentialToken} />
      <div className="flex gap-2">
        <button
          type="submit"
          name="decision"
          value="authorize"
          disabled={isPending}
          className="rounded-md bg-green-700 px-4 py-2 font-medium text-white hover:bg-green-800 disabled:opacity-60"
        >
          {t("authorize")}
        </button>
        <button
          type="submit"
          name="decision"
          value="refuse"
          disabled={isPending}
          className="rounded-md border border-red-700 px-4 py-2 font-medium text-red-800 hover:bg-red-50 disabled:opacity-60"
        >
          {t("refuse")}
        </button>
      </div>
    </form>
  );
}
