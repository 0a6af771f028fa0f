import { safeCallbackPath } from "@/lib/safe-redirect";

/**
 * Where the language switch sends the browser back to: the page it was on, as proxy.ts recorded
 * it. Only a path of this site; the sign-in page (with its callbackUrl) too, which
 * safeCallbackPath keeps out of sign-in redirects.
 */
export function languageReturnPath(value: unknown): string {
  if (typeof value === "string" && /^\/login(\?|$)/.test(value) && !/[\t\n\r\\]/.test(value)) return value;
  return safeCallbackPath(value, "/contacts");
}
