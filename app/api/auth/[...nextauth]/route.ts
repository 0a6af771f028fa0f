import type { NextRequest } from "next/server";
import { handlers } from "@/auth";
import { getCurrentAccount } from "@/lib/session";

export const { POST } = handlers;

/**
 * Auth.js's routes, with its session endpoint held to the app's rule: a cookie whose session was
 * ended (signed out, e-mail or password changed) is no session here either, and the session's id
 * never leaves the server.
 */
export async function GET(request: NextRequest): Promise<Response> {
  if (!request.nextUrl.pathname.endsWith("/session")) return handlers.GET(request);
  if (!(await getCurrentAccount())) return Response.json(null);
  const response = await handlers.GET(request);
  const session = (await response.json()) as Record<string, unknown> | null;
  if (session) delete session.sessionId;
  const headers = new Headers(response.headers);
  headers.delete("content-length");
  return Response.json(session, { status: response.status, headers });
}
