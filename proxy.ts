import { type NextRequest, NextResponse } from "next/server";
import { type BodyRefusal, checkActionBody } from "@/lib/action-body";
import { CALLBACK_HEADER } from "@/lib/callback-header";
import {
  CODE_COOKIE,
  CODE_COOKIE_MAX_AGE_S,
  codeCookieValue,
  isCodeLinkPath,
  MAX_CODE_LENGTH,
} from "@/lib/code-cookie";
import { appBaseUrl, isDemoMode, MAX_BODY_BYTES } from "@/lib/config";

// Auth.js's session cookie (chunked as name.0, name.1 … when large; __Secure- on https).
const SESSION_COOKIE = /^(__Secure-)?authjs\.session-token(\.\d+)?$/;
// Pages a signed-out visitor may open; everything else goes to /login first (for comfort only).
const PUBLIC_PATHS = /^\/(login|dev\/mailbox|api\/)(\/|$)|^\/(login|dev\/mailbox)$/;

function contentSecurityPolicy(nonce: string, isHttps: boolean): string {
  return [
    "default-src 'self'",
    // Next's own scripts carry the nonce; 'strict-dynamic' lets them load the page's chunks.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`,
    // React Email's templates (shown in the development mailbox) are styled inline.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(isHttps ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

/**
 * A redirect to a path on this site. Next writes a same-host redirect's Location as a relative
 * path, so the browser resolves it against the address it asked for: no host header is used.
 */
function redirectToPath(request: NextRequest, pathAndQuery: string, status = 303): NextResponse {
  return NextResponse.redirect(new URL(pathAndQuery, request.nextUrl), status);
}

// Any POST to a page may be a server action: from the page's JavaScript (Next-Action header) or
// a form posted without it, which is what another site's form would be.
function isCrossOriginPost(request: NextRequest): boolean {
  if (request.method !== "POST") return false;
  const origin = request.headers.get("origin");
  // Browsers send Origin with every POST; a script without one is no cross-site request.
  if (origin === null) return false;
  try {
    return new URL(origin).host !== request.headers.get("host");
  } catch {
    return true; // "null" (an opaque origin) or garbage
  }
}

/** A plain-text answer: for refusals made before any page renders. */
function refuse(status: number, message: string): NextResponse {
  return new NextResponse(`${message}\n`, {
    status,
    headers: { "content-type": "text/plain; charset=utf-8" },
  });
}

/**
 * Why a POST to a page cannot be a well-formed server action call, or null (lib/action-body.ts).
 * Next keeps a copy of the body for the page, so reading it here costs one parse.
 */
async function malformedActionBody(request: NextRequest): Promise<BodyRefusal | null> {
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > MAX_BODY_BYTES)
    return { status: 413, message: "Request body too large." };
  let body: ArrayBuffer;
  try {
    body = await request.arrayBuffer();
  } catch {
    // Next stops reading a body past its own limit.
    return { status: 413, message: "Request body too large." };
  }
  return checkActionBody({
    body,
    contentType: request.headers.get("content-type") ?? "",
    isAction: request.headers.has("next-action"),
    maxBytes: MAX_BODY_BYTES,
  });
}

/**
 * Runs before every page: refuses malformed and cross-origin server-action posts with a 4xx
 * (Next would answer 500); answers 404 for the development mailbox when a provider is configured;
 * sets a per-request nonce and the Content-Security-Policy built on it; moves an e-mailed
 * link's code out of the URL into a cookie; and sends a visitor with no session cookie to /login
 * and back. The last is comfort only: every page and action checks the session itself.
 */
export async function proxy(request: NextRequest) {
  const { pathname, searchParams } = request.nextUrl;
  if (isCrossOriginPost(request)) return refuse(403, "Cross-origin request refused.");
  if (request.method === "POST") {
    const malformed = await malformedActionBody(request);
    if (malformed) return refuse(malformed.status, malformed.message);
  }
  // With an e-mail provider the development mailbox does not exist at all (its pages check too).
  if (/^\/dev\/mailbox(\/|$)/.test(pathname) && !isDemoMode()) {
    return refuse(404, "Not found.");
  }
  const isHttps = appBaseUrl().startsWith("https:");

  if (request.method === "GET" && searchParams.has("token") && isCodeLinkPath(pathname)) {
    const code = searchParams.get("token") ?? "";
    const rest = new URLSearchParams(searchParams);
    rest.delete("token");
    const query = rest.toString();
    const response = redirectToPath(request, `${pathname}${query ? `?${query}` : ""}`);
    if (code && code.length <= MAX_CODE_LENGTH) {
      response.cookies.set(CODE_COOKIE, codeCookieValue(pathname, code), {
        path: "/",
        httpOnly: true,
        sameSite: "lax",
        secure: isHttps,
        maxAge: CODE_COOKIE_MAX_AGE_S,
      });
    }
    return response;
  }

  const hasSession = request.cookies.getAll().some((cookie) => SESSION_COOKIE.test(cookie.name));
  if (!hasSession && !PUBLIC_PATHS.test(pathname)) {
    const here = pathname + request.nextUrl.search;
    return redirectToPath(request, `/login?callbackUrl=${encodeURIComponent(here)}`, 307);
  }

  const nonce = btoa(crypto.randomUUID());
  const csp = contentSecurityPolicy(nonce, isHttps);
  const headers = new Headers(request.headers);
  // Next reads the nonce for its own scripts from the request's policy.
  headers.set("content-security-policy", csp);
  headers.set(CALLBACK_HEADER, pathname + request.nextUrl.search);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("content-security-policy", csp);
  if (isHttps) response.headers.set("strict-transport-security", "max-age=63072000; includeSubDomains");
  return response;
}

export const config = {
  matcher: [
    "/((?!api/|_next/static|_next/image|favicon.ico|.*\\.(?:svg|png|ico|css|js|txt|webmanifest)$).*)",
  ],
};
