"use server";

import { redirect } from "next/navigation";
import { AuthError } from "next-auth";
import { z } from "zod";
import { signIn } from "@/auth";
import { parseForm } from "@/lib/parse-form";
import { safeCallbackPath } from "@/lib/safe-redirect";
import { secondsUntil } from "@/lib/throttle/throttle-policy";

export type SignInState =
  | { status: "idle" }
  | { status: "error"; reason: "missing" | "invalid" | "invalid_form" }
  | { status: "error"; reason: "throttled"; seconds: number };

const signInSchema = z.object({
  identifier: z.string().trim().min(1).max(320),
  password: z.string().min(1).max(1024),
  callbackUrl: z.string().max(2048).optional(),
});

export async function signInAction(_previous: unknown, formData: unknown): Promise<SignInState> {
  const parsed = parseForm(signInSchema, formData);
  if (!parsed.ok) return { status: "error", reason: parsed.isForm ? "missing" : "invalid_form" };
  const { identifier, password, callbackUrl } = parsed.data;
  try {
    // No redirect from Auth.js: its URL is built from the request's host. The app's is a path.
    await signIn("credentials", { identifier, password, redirect: false });
  } catch (error) {
    if (!(error instanceof AuthError)) throw error;
    const code = (error as AuthError & { code?: string }).code ?? "";
    if (code.startsWith("throttled:")) {
      const retryAt = new Date(Number(code.slice("throttled:".length)));
      return { status: "error", reason: "throttled", seconds: secondsUntil(retryAt) };
    }
    return { status: "error", reason: "invalid" };
  }
  redirect(safeCallbackPath(callbackUrl));
}
