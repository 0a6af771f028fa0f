import { getTranslations } from "next-intl/server";

// A plain anchor, not next/link: this boundary is part of every page's client manifest.
export default async function NotFound() {
  const t = await getTranslations("NotFound");
  return (
    <main className="mx-auto max-w-xl px-4 py-16">
      <h1 className="text-2xl font-semibold">{t("title")}</h1>
      <p className="mt-2 text-slate-600">{t("body")}</p>
      <a href="/contacts" className="mt-6 inline-block text-brand-700 underline">
        {t("back")}
      </a>
    </main>
  );
}
