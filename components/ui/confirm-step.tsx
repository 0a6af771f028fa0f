"use client";

import { type ReactNode, useEffect, useId, useRef } from "react";

/**
 * The second step of an action that is hard to undo: what it will do, then the buttons to go
 * on or back. It sits inside the action's form, whose server action sent it (the server asks
 * for this step, so it holds without JavaScript). Focus moves to its heading, so keyboard and
 * screen-reader users land on it, and a second press of Enter does not confirm by accident.
 */
export function ConfirmStep({
  title,
  children,
  actions,
}: {
  title: string;
  children: ReactNode;
  /** "Go back" first, the safe choice, then the confirming button. */
  actions: ReactNode;
}) {
  const headingId = useId();
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    headingRef.current?.focus();
  }, []);
  return (
    <section
      aria-labelledby={headingId}
      className="space-y-3 rounded-md border border-amber-300 bg-amber-50 p-4 text-sm text-amber-950"
    >
      <h2 id={headingId} ref={headingRef} tabIndex={-1} className="text-base font-semibold outline-none">
        {title}
      </h2>
      {/* Sent by both buttons: "Go back" posts an intent of its own, which the action reads first. */}
      <input type="hidden" name="confirmed" value="yes" />
      {children}
      <div className="flex flex-wrap gap-2">{actions}</div>
    </section>
  );
}

/** The step's "Go back" button: it posts an intent of its own, which the action answers by changing nothing. */
export function BackButton({
  label,
  name,
  value,
  ariaLabel,
  disabled,
}: {
  label: string;
  name: string;
  value: string;
  ariaLabel?: string;
  disabled?: boolean;
}) {
  return (
    <button
      type="submit"
      name={name}
      value={value}
      disabled={disabled}
      aria-label={ariaLabel}
      className="rounded-md border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-100 disabled:opacity-60"
    >
      {label}
    </button>
  );
}

/** The step's confirming button: the action's own name, in the colour of a warning. */
export const CONFIRM_BUTTON_CLASS =
  "rounded-md border border-red-700 bg-red-700 px-3 py-1.5 font-medium text-white hover:bg-red-800 disabled:opacity-60";
