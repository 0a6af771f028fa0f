"use client";

import { useActionState } from "react";
import { type SwitchLanguageState, switchLanguageAction } from "@/app/actions";
import type { Language } from "@/db/schema";

const INITIAL: SwitchLanguageState = { status: "idle" };

/**
 * A button per other language, each named in its own language ("Polski", "English") as
 * language menus are, so a reader who does not understand the page still finds theirs.
 * The words come from the server: no message catalogue travels to the browser for this.
 */
export function LanguageSwitch(props: {
  languages: ReadonlyArray<{ language: Language; name: string; label: string }>;
  /** What the group is, for screen readers ("Interface language"). */
  groupLabel: string;
  /** Shown when the server refused the value (a forged form). */
  invalidMessage: string;
}) {
  const [state, action, isPending] = useActionState(switchLanguageAction, INITIAL);
  return (
    <form action={action} aria-label={props.groupLabel} className="flex items-center gap-2">
      {props.languages.map((option) => (
        <button
          key={option.language}
          type="submit"
          name="language"
          value={option.language}
          lang={option.language}
          title={option.label}
          disabled={isPending}
          className="rounded-md px-2 py-1 text-brand-700 underline-offset-2 hover:underline disabled:opacity-60"
        >
          {option.name}
        </button>
      ))}
      {state.status === "error" && (
        <p role="alert" className="text-sm text-red-700">
          {props.invalidMessage}
        </p>
      )}
    </form>
  );
}
