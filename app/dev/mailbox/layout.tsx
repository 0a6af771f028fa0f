import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { isResendConfigured } from "@/lib/config";

// The development mailbox exists only while no e-mail provider is configured.
export default function MailboxLayout({ children }: { children: ReactNode }) {
  if (isResendConfigured()) notFound();
  return <main className="mx-auto max-w-4xl px-4 py-6">{children}</main>;
}
