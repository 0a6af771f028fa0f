import { getFormatter, getTranslations } from "next-intl/server";
import { getDb } from "@/db/client";
import { listApiAccess } from "@/lib/api/auth/list-api-access";
import { revokeApplicationAction, revokeConsumerKeyAction } from "./actions";
import { CreateApplicationForm } from "./create-application-form";

/**
 * Profile's "API access": the account's applications and the consumer keys that act for it,
 * each revocable at once; and the form that creates an application (its secret shown once).
 */
export async function ApiAccessSection({ accountId }: { accountId: number }) {
  const { applications, consumerKeys } = await listApiAccess(getDb(), accountId);
  const t = await getTranslations("ApiAccess");
  const format = await getFormatter();
  const date = (value: Date | null) =>
    value ? format.dateTime(value, { dateStyle: "medium", timeStyle: "short" }) : t("never");

  return (
    <section
      aria-labelledby="api-access-heading"
      className="mt-8 space-y-6 rounded-lg border border-slate-200 bg-white p-6 shadow-sm"
    >
      <div>
        <h2 id="api-access-heading" className="text-lg font-semibold">
          {t("title")}
        </h2>
        <p className="mt-1 max-w-3xl text-sm text-slate-600">{t("intro")}</p>
      </div>

      <div className="space-y-2">
        <h3 className="font-semibold">{t("applications")}</h3>
        {applications.length === 0 ? (
          <p className="text-sm text-slate-600">{t("noApplications")}</p>
        ) : (
          <table className="request-table">
            <thead>
              <tr>
                <th scope="col">{t("columns.name")}</th>
                <th scope="col">{t("columns.applicationKey")}</th>
                <th scope="col">{t("columns.created")}</th>
                <th scope="col">
                  <span className="sr-only">{t("revoke")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {applications.map((application) => (
                <tr key={application.id}>
                  <th scope="row">{application.name}</th>
                  <td>
                    <code>{application.applicationKey}</code>
                  </td>
                  <td className="nowrap">{date(application.createdAt)}</td>
                  <td>
                    {application.revokedAt ? (
                      t("revoked")
                    ) : (
                      <RevokeForm
                        action={revokeApplicationAction}
                        id={application.id}
                        label={t("revokeApplication", { name: application.name })}
                        text={t("revoke")}
                      />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>

      <div className="space-y-2">
        <h3 className="font-semibold">{t("consumerKeys")}</h3>
        {consumerKeys.length === 0 ? (
          <p className="text-sm text-slate-600">{t("noConsumerKeys")}</p>
        ) : (
          <table className="request-table">
            <thead>
              <tr>
                <th scope="col">{t("columns.application")}</th>
                <th scope="col">{t("columns.rules")}</th>
                <th scope="col">{t("columns.authorized")}</th>
                <th scope="col">{t("columns.lastUsed")}</th>
                <th scope="col">
                  <span className="sr-only">{t("revoke")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {consumerKeys.map((key) => (
                <tr key={key.id}>
                  <th scope="row">{key.applicationName}</th>
                  <td>
                    <ul>
                      {key.accessRules.map((rule) => (
                        <li key={`${rule.method} ${rule.path}`}>
                          <code>
                            {rule.method} {rule.path}
                          </code>
                        </li>
                      ))}
                    </ul>
                  </td>
                  <td className="nowrap">{date(key.validatedAt)}</td>
                  <td className="nowrap">{date(key.lastUsedAt)}</td>
                  <td>
                    {key.revokedAt ? (
                      t("revoked")
                    ) : (
                      <RevokeForm
                        action={revokeConsumerKeyAction}
                        id={key.id}
                        label={t("revokeConsumerKey", { id: key.id })}
                        text={t("revoke")}
                      />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>

      <CreateApplicationForm />
    </section>
  );
}

/** One "Revoke" button, named for what it revokes; a plain form, so it works without JavaScript. */
function RevokeForm({
  action,
  id,
  label,
  text,
}: {
  action: (formData: FormData) => Promise<void>;
  id: number;
  label: string;
  text: string;
}) {
  return (
    <form action={action}>
      <input type="hidden" name="id" value={id} />
      <button
        type="submit"
        aria-label={label}
        className="rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100"
      >
        {text}
      </button>
    </form>
  );
}
