import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { getFormatter, getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { isDemoMode } from "@/lib/config";
import { listMailbox } from "@/lib/email/list-mailbox";

export const metadata: Metadata = { title: "Mailbox" };

export default async function MailboxPage({ searchParams }: { searchParams: Promise<{ to?: string }> }) {
  await connection();
  // The page checks for itself: a layout's notFound() does not stop its page from rendering.
  if (!isDemoMode()) notFound();
  const { to = "" } = await searchParams;
  const messages = await listMailbox(getDb(), { to: to || undefined });
  const t = await getTranslations("Mailbox");
  const format = await getFormatter();
  return (
    <>
      <h1 className="text-2xl font-semibold">{t("title")}</h1>
      <p className="mt-1 text-sm text-slate-600">{t("intro")}</p>
      <search>
        <form method="get" className="mt-4 flex flex-wrap items-end gap-2">
          <div className="flex flex-col gap-1">
            <label htmlFor="to" className="text-sm font-medium">
              {t("recipient")}
            </label>
            <input
              id="to"
              name="to"
              type="search"
              defaultValue={to}
              className="w-72 max-w-full rounded-md border border-slate-300 px-3 py-1.5"
            />
          </div>
          <button type="submit" className="rounded-md bg-brand-600 px-4 py-1.5 text-white">
            {t("filter")}
          </button>
        </form>
      </search>
      {messages.length === 0 ? (
        <p className="mt-6 text-slate-600">{t("empty")}</p>
      ) : (
        <ul className="mt-6 divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white">
          {messages.map((message) => (
            <li key={message.id} className="px-4 py-3">
              <Link href={`/dev/mailbox/${message.id}`} className="font-medium text-brand-700 underline">
                {message.subject}
              </Link>
              <p className="text-sm text-slate-600">
                {t("to")} <span data-testid="recipient">{message.toAddress}</span> ·{" "}
                {format.dateTime(message.createdAt, { dateStyle: "medium", timeStyle: "medium" })} ·{" "}
                {t(`status.${message.status}`)}
              </p>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
