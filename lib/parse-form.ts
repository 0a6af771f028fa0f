import type { z } from "zod";

/**
 * The result of reading a server action's form. `isForm` tells a well-formed form whose fields
 * are wrong (a message next to the field) from a call that is no form at all (a forged request).
 */
export type ParsedForm<T> = { ok: true; data: T } | { ok: false; isForm: boolean };

/**
 * Reads a server action's raw argument: anyone can call an action with any body (JSON, an
 * array, nothing), so the argument is checked to be FormData with text fields only before the
 * schema sees it. Never throws.
 */
export function parseForm<S extends z.ZodType>(schema: S, formData: unknown): ParsedForm<z.output<S>> {
  if (!(formData instanceof FormData)) return { ok: false, isForm: false };
  const fields: Record<string, string> = {};
  for (const [name, value] of formData) {
    if (typeof value !== "string") return { ok: false, isForm: false };
    fields[name] = value;
  }
  const parsed = schema.safeParse(fields);
  return parsed.success ? { ok: true, data: parsed.data } : { ok: false, isForm: true };
}
