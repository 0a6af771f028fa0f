/**
 * An e-mailed link's code leaves the address bar at the first request (SPEC.md): proxy.ts moves
 * `?token=` into this short-lived HttpOnly cookie and redirects to the same address without it.
 * The page the link points to prefills its form from the cookie, also after a detour through
 * sign-in (whose action renders the page it redirects to within its own request, which is why
 * the cookie is not limited to the link's path: its value is, and only that page reads it).
 */
export const CODE_COOKIE = "sc_code";

/** How long the moved code waits for the form: long enough to sign in first. */
export const CODE_COOKIE_MAX_AGE_S = 30 * 60;

/** The longest code the cookie carries; anything longer is no code of ours. */
export const MAX_CODE_LENGTH = 200;

/** The addresses e-mailed links with a code point to. */
const CODE_LINK_PATHS = [
  /^\/requests\/\d{1,15}$/,
  /^\/requests\/batches\/\d{1,15}$/,
  /^\/profile\/confirm-email$/,
];

export function isCodeLinkPath(pathname: string): boolean {
  return CODE_LINK_PATHS.some((pattern) => pattern.test(pathname));
}

/** The cookie's value: the code, bound to the one address it was e-mailed for. */
export function codeCookieValue(pathname: string, code: string): string {
  return `${pathname}|${code}`;
}

/** The code the cookie holds for `pathname`, or undefined (no cookie, or one for another link). */
export function codeForPath(cookieValue: string | undefined, pathname: string): string | undefined {
  if (!cookieValue) return undefined;
  const separator = cookieValue.lastIndexOf("|");
  if (separator < 0 || cookieValue.slice(0, separator) !== pathname) return undefined;
  return cookieValue.slice(separator + 1) || undefined;
}
