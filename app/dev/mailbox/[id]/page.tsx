import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { isDemoMode } from "@/lib/config";
import { getMailboxMessage, readClearCode } from "@/lib/email/list-mailbox";
import { renderEmail } from "@/lib/email/render-email";
import { CopyCode } from "../_components/copy-code-button";

export const metadata: Metadata = { title: "Mailbox" };

export default async function MailboxMessagePage({ params }: { params: Promise<{ id: string }> }) {
  // The page checks for itself: a layout's notFound() does not stop its page from rendering.
  if (!isDemoMode()) notFound();
  const { id } = await params;
  const message = /^\d+$/.test(id) ? await getMailboxMessage(getDb(), Number(id)) : undefined;
  if (!message) notFound();
  const t = await getTranslations("Mailbox");
  const rendered = await renderEmail(message);
  // The e-mail is our own rendered template; its body is shown in place so links work as links.
  const body = /<body[^>]*>([\s\S]*)<\/body>/i.exec(rendered.html)?.[1] ?? rendered.html;
  const code = readClearCode(message);
  return (
    <>
      <Link href="/dev/mailbox" className="text-sm text-brand-700 underline">
        {t("back")}
      </Link>
      <h1 className="mt-3 text-xl font-semibold">{rendered.subject}</h1>
      <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 text-sm text-slate-600">
        <dt>{t("to")}</dt>
        <dd data-testid="recipient">{message.toAddress}</dd>
      </dl>
      {code && (
        <CopyCode
          code={code}
          labels={{ code: t("code"), copy: t("copyCode"), copied: t("copied"), selected: t("copySelected") }}
        />
      )}
      <article
        aria-label={t("body")}
        className="mt-4 rounded-lg border border-slate-200 bg-white p-4"
        // biome-ignore lint/security/noDangerouslySetInnerHtml: our own template, rendered by React Email
        dangerouslySetInnerHTML={{ __html: body }}
      />
      <details className="mt-4">
        <summary className="cursor-pointer text-sm text-slate-600">{t("plainText")}</summary>
        <pre className="mt-2 whitespace-pre-wrap rounded-lg border border-slate-200 bg-white p-4 text-sm">
          {rendered.text}
        </pre>
      </details>
    </>
  );
}
