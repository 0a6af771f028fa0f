import { type NextRequest, NextResponse } from "next/server";
import { CALLBACK_HEADER } from "@/lib/callback-header";

// Auth.js's session cookie (chunked as name.0, name.1 … when large; __Secure- on https).
const SESSION_COOKIE = /^(__Secure-)?authjs\.session-token(\.\d+)?$/;

// Comfort only: sends a visitor with no session cookie to /login and back to the same address
// (query and token included). It does not decode the cookie — every page and action checks the
// session itself, and redirects with the address this passes along when the cookie is stale.
export function proxy(request: NextRequest) {
  const here = request.nextUrl.pathname + request.nextUrl.search;
  if (request.cookies.getAll().some((cookie) => SESSION_COOKIE.test(cookie.name))) {
    const headers = new Headers(request.headers);
    headers.set(CALLBACK_HEADER, here);
    return NextResponse.next({ request: { headers } });
  }
  const login = new URL("/login", request.url);
  login.searchParams.set("callbackUrl", here);
  return NextResponse.redirect(login);
}

export const config = {
  matcher: ["/((?!login|api/auth|dev/mailbox|_next/|favicon.ico|.*\\.(?:svg|png|ico|css|js)$).*)"],
};
