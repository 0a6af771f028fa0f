import type { Db } from "@/db/client";
import { appBaseUrl } from "@/lib/config";
import { LANGUAGE_COOKIE, LANGUAGE_COOKIE_MAX_AGE_S } from "@/lib/i18n/interface-language";
import { chooseLanguage, languageSchema } from "@/lib/profile";
import { languageReturnPath } from "./language-return-path";

function refuse(status: number, message: string): Response {
  return new Response(`${message}\n`, {
    status,
    headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
  });
}

/**
 * `POST /api/language` (form: `language`, `back`; app/api/language/route.ts): the language switch of the header and of the
 * sign-in page. A plain form, so it needs no JavaScript and puts no server action on every page.
 * Signed in, the language becomes the account's choice (`chooseLanguage`, the profile's rule);
 * either way the browser keeps it in a cookie, so the sign-in page speaks it after signing out.
 * Then back to the page it came from. Cross-site posts and anything but our languages are refused
 * and change nothing.
 */
export async function switchLanguage(
  request: Request,
  { db, currentAccountId }: { db: () => Db; currentAccountId: () => Promise<number | null> },
): Promise<Response> {
  const origin = request.headers.get("origin");
  if (origin !== null && origin !== new URL(request.url).origin) {
    let host: string | null = null;
    try {
      host = new URL(origin).host;
    } catch {}
    if (host !== request.headers.get("host")) return refuse(403, "Cross-origin request refused.");
  }
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    return refuse(400, "This is not a form this site sends. Nothing changed.");
  }
  const language = languageSchema.safeParse(form.get("language"));
  if (!language.success) return refuse(400, "This language is not available. Nothing changed.");
  const accountId = await currentAccountId();
  if (accountId !== null) {
    const chosen = await chooseLanguage(db(), { accountId, language: language.data });
    if (!chosen.ok) return refuse(400, "This language is not available. Nothing changed.");
  }
  const cookie = [
    `${LANGUAGE_COOKIE}=${language.data}`,
    "Path=/",
    `Max-Age=${LANGUAGE_COOKIE_MAX_AGE_S}`,
    "HttpOnly",
    "SameSite=Lax",
    ...(appBaseUrl().startsWith("https:") ? ["Secure"] : []),
  ].join("; ");
  return new Response(null, {
    status: 303,
    headers: {
      location: languageReturnPath(form.get("back")),
      "set-cookie": cookie,
      "cache-control": "no-store",
    },
  });
}
