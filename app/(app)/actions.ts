"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { signOut } from "@/auth";
import { CODE_COOKIE } from "@/lib/code-cookie";

/**
 * Ends this session server-side (Auth.js's signOut event deletes it) and clears its cookie, and
 * any e-mailed code still waiting in this browser (a shared computer).
 */
export async function signOutAction(): Promise<void> {
  await signOut({ redirect: false });
  (await cookies()).delete(CODE_COOKIE);
  redirect("/login");
}
