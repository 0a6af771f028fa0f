import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { getDb } from "@/db/client";
import { endSession, findSessionAccount, SESSION_MAX_AGE_S, startSession } from "@/lib/auth/sessions";
import { verifyCredentials } from "@/lib/auth/verify-credentials";
import { clientAddressFrom } from "@/lib/client-address";
import { logFor } from "@/lib/log";

declare module "next-auth" {
  interface Session {
    /** The server-side session this cookie stands for (lib/auth/sessions.ts). */
    sessionId?: string;
  }
}

/** Sign-in refused because of too many recent failures; `code` carries the retry time. */
class Throttled extends CredentialsSignin {
  constructor(retryAt: Date) {
    super();
    this.code = `throttled:${retryAt.getTime()}`;
  }
}

const log = logFor("auth");

// The lazy form keeps `next build` from opening the database (STACK.md).
export const { handlers, auth, signIn, signOut, unstable_update } = NextAuth(() => ({
  // Auth.js reads the host from the request; the app's server strips forwarded host headers, and
  // every redirect the app makes is a path (see app/login/actions.ts), never built from a host.
  trustHost: true,
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_S },
  pages: { signIn: "/login" },
  providers: [
    Credentials({
      credentials: { identifier: {}, password: {} },
      async authorize(credentials, request) {
        const identifier = typeof credentials.identifier === "string" ? credentials.identifier : "";
        const password = typeof credentials.password === "string" ? credentials.password : "";
        const result = await verifyCredentials(getDb(), {
          identifier,
          password,
          clientAddress: clientAddressFrom(request.headers),
        });
        if (result.ok) return { id: String(result.account.id), name: result.account.customerId };
        if (result.reason === "throttled") throw new Throttled(result.retryAt);
        return null;
      },
    }),
  ],
  callbacks: {
    async jwt({ token, user, trigger, session }) {
      // Signing in starts a server-side session; the cookie carries only its random id.
      if (user?.id) token.sid = await startSession(getDb(), { accountId: Number(user.id) });
      // A session the server itself just started for this account (after an e-mail change ended
      // the others) replaces the cookie's. A forged `sid` names no live session of the account.
      if (trigger === "update" && typeof session?.sessionId === "string") {
        const accountId = Number(token.sub);
        if (await findSessionAccount(getDb(), { sessionId: session.sessionId, accountId }))
          token.sid = session.sessionId;
      }
      return token;
    },
    session({ session, token }) {
      if (token.sub) session.user.id = token.sub;
      if (typeof token.sid === "string") session.sessionId = token.sid;
      return session;
    },
  },
  events: {
    // Auth.js's own sign-out route as well as the app's action: the session ends server-side.
    async signOut(message) {
      const sid = "token" in message ? message.token?.sid : undefined;
      if (typeof sid === "string") await endSession(getDb(), sid);
    },
  },
  logger: {
    // A wrong password is an ordinary event, not a server error worth a stack trace.
    error(error) {
      const type = (error as { type?: string }).type;
      if (type === "CredentialsSignin" || error.name === "CredentialsSignin") return;
      log.error({ err: error }, "Auth.js error");
    },
  },
}));
