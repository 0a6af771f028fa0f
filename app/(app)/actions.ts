"use server";

import { redirect } from "next/navigation";
import { signOut } from "@/auth";

/** Ends this session server-side (Auth.js's signOut event deletes it) and clears its cookie. */
export async function signOutAction(): Promise<void> {
  await signOut({ redirect: false });
  redirect("/login");
}
