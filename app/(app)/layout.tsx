import type { ReactNode } from "react";
import { AppHeader } from "@/components/app-header";
import { requireAccount } from "@/lib/session";

export default async function SignedInLayout({ children }: { children: ReactNode }) {
  const account = await requireAccount();
  return (
    <>
      <AppHeader account={account} />
      <main id="content" className="mx-auto max-w-7xl px-4 py-6">
        {children}
      </main>
    </>
  );
}
