"use client";

import { type RefObject, useEffect } from "react";

/**
 * After a submit the server refused, moves focus to the form's first field marked invalid, so a
 * keyboard or screen-reader user lands on what to fix (its message is tied to it by
 * aria-describedby) instead of staying on the button or the page's body.
 */
export function useFocusFirstInvalid(form: RefObject<HTMLFormElement | null>, state: unknown): void {
  useEffect(() => {
    if (state === undefined) return;
    form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [form, state]);
}
