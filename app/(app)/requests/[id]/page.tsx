import type { Metadata } from "next";
import { cookies } from "next/headers";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getFormatter, getTranslations } from "next-intl/server";
import { ClientMessages } from "@/components/client-messages";
import { AnswerForm } from "@/components/requests/answer-form";
import { LiveUpdates } from "@/components/requests/live-updates";
import { RequestActionButtons } from "@/components/requests/request-action-buttons";
import { StateBadge } from "@/components/requests/state-badge";
import { UndeliverableNotice } from "@/components/requests/undeliverable-notice";
import { getDb } from "@/db/client";
import { isRowId } from "@/db/row-id";
import { CODE_COOKIE, codeForPath } from "@/lib/code-cookie";
import { getRequestDetail } from "@/lib/requests/get-request-detail";
import { isCodeForAnotherConfirmer } from "@/lib/requests/is-code-for-another-confirmer";
import { readLiveStates } from "@/lib/requests/read-live-states";
import { requireAccount } from "@/lib/session";
import { LinkForAnotherNotice } from "../_components/link-for-another-notice";

type Params = Promise<{ id: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const t = await getTranslations("Requests");
  return { title: t("requestTitle", { id: (await params).id }) };
}

// Opening this page, with or without a code, only reads: mail scanners open e-mailed links.
// The e-mailed link's code arrives in a cookie (proxy.ts took it out of the URL).
export default async function RequestPage({ params }: { params: Params }) {
  const account = await requireAccount();
  const { id } = await params;
  const request =
    /^\d+$/.test(id) && isRowId(Number(id)) ? await getRequestDetail(getDb(), Number(id), account.id) : null;
  if (!request) notFound();
  // While it is pending the page follows the other parties' answers without a reload.
  const watched =
    request.state === "pending"
      ? await readLiveStates(getDb(), { accountId: account.id, ids: [request.id] })
      : [];
  const linkCode = codeForPath((await cookies()).get(CODE_COOKIE)?.value, `/requests/${id}`);
  // A link meant for another account of this request: say so, and never prefill its code here,
  // where it could only count as a wrong code.
  const isLinkForAnother =
    linkCode !== undefined &&
    request.state === "pending" &&
    (await isCodeForAnotherConfirmer(getDb(), {
      requestId: request.id,
      viewerId: account.id,
      code: linkCode,
    }));
  const code = isLinkForAnother ? undefined : linkCode;
  const t = await getTranslations();
  const format = await getFormatter();
  const dateTime = (date: Date) => format.dateTime(date, { dateStyle: "medium", timeStyle: "short" });
  const types = request.contactTypes.map((type) => t(`Roles.${type}`)).join(", ");
  const person = (p: { customerId: string; name: string }) => `${p.name} (${p.customerId})`;
  const waitingFor = request.confirmers.filter((c) => c.decision === null);
  const others = waitingFor.filter((c) => !c.isMe).map(person);

  return (
    <ClientMessages namespaces={["Requests"]}>
      <Link href="/requests" className="text-sm text-brand-700 underline">
        {t("Requests.back")}
      </Link>
      <div className="mt-3 flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold">{t("Requests.requestTitle", { id: request.id })}</h1>
        <StateBadge state={request.state} />
      </div>
      <LiveUpdates watched={watched} />
      {request.batchId !== null && (
        <p className="mt-2 text-sm text-slate-700">
          {t.rich("Batch.partOf", {
            link: (chunks) => (
              <Link href={`/requests/batches/${request.batchId}`} className="text-brand-700 underline">
                {chunks}
              </Link>
            ),
            id: request.batchId,
          })}
        </p>
      )}
      {isLinkForAnother && (
        <LinkForAnotherNotice
          message={t("Requests.linkForAnother", { you: person(account) })}
          switchLabel={t("Requests.switchAccount")}
          back={{ requestId: request.id }}
        />
      )}
      <p className="mt-2 max-w-3xl text-slate-700">
        {t("Requests.summary", {
          requester: person(request.requestedBy),
          old: person(request.oldContact),
          new: person(request.newContact),
          types: request.contactTypes.map((type) => t(`Requests.roleNames.${type}`)).join(", "),
          service: request.service.name,
        })}
      </p>
      {request.state === "pending" && (
        <p className="mt-2 font-medium text-amber-800">
          {request.viewer.mustAnswer
            ? others.length > 0
              ? t("Requests.awaitingYouAndOthers", { people: others.join(", ") })
              : t("Requests.awaitingYou")
            : t("Requests.awaitingBy", { people: waitingFor.map(person).join(", ") })}
        </p>
      )}
      {request.state === "pending" && (
        <UndeliverableNotice
          myMark={request.viewer.mustAnswer ? account.emailUndeliverable : null}
          others={waitingFor.filter((c) => !c.isMe && c.isUndeliverable).map(person)}
          className="mt-2 max-w-3xl space-y-1 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800"
        />
      )}
      {request.state === "cancelled" && request.endReason && (
        <p className="mt-2 text-slate-700">
          {t("Requests.reason", { reason: t(`Requests.endReasons.${request.endReason}`) })}
        </p>
      )}

      <div className="mt-6 grid gap-6 lg:grid-cols-2">
        <section
          aria-labelledby="details-heading"
          className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm"
        >
          <h2 id="details-heading" className="text-lg font-semibold">
            {t("Requests.details")}
          </h2>
          <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
            <dt className="text-slate-500">{t("Requests.columns.service")}</dt>
            <dd>
              {request.service.name} ({t(`ServiceTypes.${request.service.type}`)})
            </dd>
            <dt className="text-slate-500">{t("Requests.columns.types")}</dt>
            <dd>{types}</dd>
            <dt className="text-slate-500">{t("Requests.columns.old")}</dt>
            <dd>{person(request.oldContact)}</dd>
            <dt className="text-slate-500">{t("Requests.columns.new")}</dt>
            <dd>{person(request.newContact)}</dd>
            <dt className="text-slate-500">{t("Requests.columns.requestedBy")}</dt>
            <dd>{person(request.requestedBy)}</dd>
            <dt className="text-slate-500">{t("Requests.columns.date")}</dt>
            <dd>{dateTime(request.createdAt)}</dd>
            <dt className="text-slate-500">
              {request.state === "pending" ? t("Requests.expires") : t("Requests.ended")}
            </dt>
            <dd>
              {dateTime(
                request.state === "pending" ? request.expiresAt : (request.endedAt ?? request.expiresAt),
              )}
            </dd>
          </dl>
          <h3 className="mt-5 font-semibold">{t("Requests.confirmations")}</h3>
          <ul className="mt-2 space-y-1 text-sm">
            {request.confirmers.map((c) => (
              <li key={c.customerId}>
                {person(c)}
                {c.isMe && ` — ${t("Contacts.you")}`}:{" "}
                <span className="font-medium">
                  {c.decision
                    ? t(`Requests.decisions.${c.decision}`, {
                        date: dateTime(c.decidedAt ?? request.createdAt),
                      })
                    : t("Requests.decisions.waiting")}
                </span>
              </li>
            ))}
          </ul>
        </section>

        <div className="space-y-4">
          {request.viewer.isConfirmer && (
            <div className="rounded-lg border border-brand-100 bg-white p-5 shadow-sm empty:hidden">
              {request.viewer.mustAnswer && (
                <h2 id="answer-heading" className="mb-3 text-lg font-semibold">
                  {t("Requests.yourAnswer")}
                </h2>
              )}
              <AnswerForm
                requestId={request.id}
                initialCode={code}
                canAnswer={request.viewer.mustAnswer}
                isLocked={request.viewer.isLocked}
              />
            </div>
          )}
          <RequestActionButtons
            requestId={request.id}
            serviceName={request.service.name}
            canResend={request.viewer.canResend}
            canCancel={request.viewer.canCancel}
          />
        </div>
      </div>

      <section aria-labelledby="history-heading" className="mt-8">
        <h2 id="history-heading" className="text-lg font-semibold">
          {t("Requests.history")}
        </h2>
        <ol className="mt-3 space-y-2 border-l-2 border-slate-200 pl-4 text-sm">
          {request.history.map((event) => (
            <li key={event.id}>
              <time className="text-slate-500" dateTime={event.at.toISOString()}>
                {dateTime(event.at)}
              </time>{" "}
              {t(`Requests.events.${event.kind}`, {
                actor: event.actor ? person(event.actor) : t("Requests.system"),
                reason:
                  typeof event.detail?.reason === "string"
                    ? t(`Requests.endReasons.${event.detail.reason}`)
                    : "",
              })}
            </li>
          ))}
        </ol>
      </section>
    </ClientMessages>
  );
}
