import type { Metadata } from "next";
import { getFormatter, getTranslations } from "next-intl/server";
import { ClientMessages } from "@/components/client-messages";
import { getDb } from "@/db/client";
import { readCredentialForValidation } from "@/lib/api/auth/read-credential-for-validation";
import { requireAccount } from "@/lib/session";
import { DecideCredentialForm } from "./decide-credential-form";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("ApiAccess.validate"))("title") };
}

type SearchParams = Promise<{ credentialToken?: string | string[] }>;

/**
 * The validation URL an application hands its user (`POST /auth/credential`): who asks, for which
 * calls, and the two buttons. Opening it changes nothing.
 */
export default async function ValidateCredentialPage({ searchParams }: { searchParams: SearchParams }) {
  const account = await requireAccount();
  const { credentialToken } = await searchParams;
  const token = typeof credentialToken === "string" ? credentialToken : "";
  const credential = token ? await readCredentialForValidation(getDb(), { credentialToken: token }) : null;
  const t = await getTranslations("ApiAccess.validate");
  const format = await getFormatter();

  const problem = credential ? credential.undecidableReason : "not_found";

  return (
    <ClientMessages namespaces={["ApiAccess"]}>
      <h1 className="text-2xl font-semibold">{t("title")}</h1>
      {problem || !credential ? (
        <p role="alert" className="mt-4 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-red-800">
          {t(problem ?? "not_found")}
        </p>
      ) : (
        <div className="mt-4 max-w-3xl space-y-4 rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
          <p>
            {t("intro", {
              name: credential.applicationName,
              owner: credential.applicationOwner,
              customerId: account.customerId,
            })}
          </p>
          {credential.applicationDescription && (
            <p className="text-sm text-slate-600">
              {t("description", { description: credential.applicationDescription })}
            </p>
          )}
          <div>
            <p className="font-medium">{t("rules")}</p>
            <ul className="mt-1 list-disc pl-6">
              {credential.accessRules.map((rule) => (
                <li key={`${rule.method} ${rule.path}`}>
                  <code className="font-mono">
                    {rule.method} {rule.path}
                  </code>
                </li>
              ))}
            </ul>
          </div>
          <p className="text-sm text-slate-600">
            {t("expires", {
              date: format.dateTime(credential.validationExpiresAt, {
                dateStyle: "medium",
                timeStyle: "short",
              }),
            })}
          </p>
          <DecideCredentialForm credentialToken={token} applicationName={credential.applicationName} />
        </div>
      )}
    </ClientMessages>
  );
}
