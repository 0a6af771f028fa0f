import { type NextRequest, NextResponse } from "next/server";
import { auth } from "@/auth";

// Comfort only: sends a signed-out visitor to /login and back to the same address
// (query and token included). Every page and action checks the session itself.
export async function proxy(request: NextRequest) {
  if (await auth()) return NextResponse.next();
  const login = new URL("/login", request.url);
  login.searchParams.set("callbackUrl", request.nextUrl.pathname + request.nextUrl.search);
  return NextResponse.redirect(login);
}

export const config = {
  matcher: ["/((?!login|api/auth|dev/mailbox|_next/|favicon.ico|.*\\.(?:svg|png|ico|css|js)$).*)"],
};
