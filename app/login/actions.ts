"use server";

import { AuthError } from "next-auth";
import { z } from "zod";
import { signIn } from "@/auth";
import { safeCallbackPath } from "@/lib/safe-redirect";

export type SignInState =
  | { status: "idle" }
  | { status: "error"; reason: "missing" | "invalid" }
  | { status: "error"; reason: "locked"; minutes: number };

const signInSchema = z.object({
  identifier: z.string().trim().min(1).max(320),
  password: z.string().min(1).max(1024),
  callbackUrl: z.string().optional(),
});

export async function signInAction(_previous: SignInState, formData: FormData): Promise<SignInState> {
  const parsed = signInSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) return { status: "error", reason: "missing" };
  const { identifier, password, callbackUrl } = parsed.data;
  try {
    // On success signIn throws Next's redirect, which must propagate.
    await signIn("credentials", { identifier, password, redirectTo: safeCallbackPath(callbackUrl) });
    return { status: "idle" };
  } catch (error) {
    if (!(error instanceof AuthError)) throw error;
    const code = (error as AuthError & { code?: string }).code ?? "";
    if (code.startsWith("locked:")) {
      const retryAt = Number(code.slice("locked:".length));
      return {
        status: "error",
        reason: "locked",
        minutes: Math.max(1, Math.ceil((retryAt - Date.now()) / 60_000)),
      };
    }
    return { status: "error", reason: "invalid" };
  }
}
