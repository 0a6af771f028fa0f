import type { Metadata } from "next";
import { getLocale, getTranslations } from "next-intl/server";
import type { ReactNode } from "react";
import { DemoBanner } from "@/components/demo-banner";
import { isDemoMode } from "@/lib/config";
import "./globals.css";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("App");
  return {
    title: { default: t("name"), template: `%s · ${t("name")}` },
    // public/icon.svg: one vector icon for tabs, bookmarks and home screens.
    icons: { icon: { url: "/icon.svg", type: "image/svg+xml" } },
  };
}

export default async function RootLayout({ children }: { children: ReactNode }) {
  const locale = await getLocale();
  return (
    <html lang={locale}>
      <body className="min-h-screen">
        {isDemoMode() && <DemoBanner />}
        {/* No intl provider here: client components get theirs, with only the messages they use,
            from <ClientMessages>, so pages without translated client components ship no
            next-intl runtime at all. */}
        {children}
      </body>
    </html>
  );
}
