import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { isDemoMode } from "@/lib/config";

// The development mailbox exists only in demo mode (no e-mail provider); proxy.ts answers 404
// before any of this renders, and each page checks again.
export default function MailboxLayout({ children }: { children: ReactNode }) {
  if (!isDemoMode()) notFound();
  return <main className="mx-auto max-w-4xl px-4 py-6">{children}</main>;
}
