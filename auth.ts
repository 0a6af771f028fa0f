import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { getDb } from "@/db/client";
import { verifyCredentials } from "@/lib/auth/verify-credentials";

/** Sign-in refused because of too many failures; `code` carries the retry time. */
class LockedOut extends CredentialsSignin {
  constructor(retryAt: Date) {
    super();
    this.code = `locked:${retryAt.getTime()}`;
  }
}

// The lazy form keeps `next build` from opening the database (STACK.md).
export const { handlers, auth, signIn, signOut } = NextAuth(() => ({
  trustHost: true,
  session: { strategy: "jwt" },
  pages: { signIn: "/login" },
  providers: [
    Credentials({
      credentials: { identifier: {}, password: {} },
      async authorize(credentials) {
        const identifier = typeof credentials.identifier === "string" ? credentials.identifier : "";
        const password = typeof credentials.password === "string" ? credentials.password : "";
        const result = await verifyCredentials(getDb(), { identifier, password });
        if (result.ok) {
          return { id: String(result.account.id), name: result.account.customerId };
        }
        if (result.reason === "locked") throw new LockedOut(result.retryAt);
        return null;
      },
    }),
  ],
  callbacks: {
    session({ session, token }) {
      if (token.sub) session.user.id = token.sub;
      return session;
    },
  },
  logger: {
    // A wrong password is an ordinary event, not a server error worth a stack trace.
    error(error) {
      const type = (error as { type?: string }).type;
      if (type === "CredentialsSignin" || error.name === "CredentialsSignin") return;
      console.error(error);
    },
  },
}));
