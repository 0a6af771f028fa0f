import type { APIRequestContext, APIResponse } from "@playwright/test";

/**
 * Calls the app's server actions over plain HTTP, as a script (or an attacker) would, to check
 * what the server does with bodies no page sends.
 */

/** The ids of the server actions a page's forms call, read from its HTML. */
export async function actionIdsOf(request: APIRequestContext, path: string): Promise<string[]> {
  const html = (await (await request.get(path)).text()).replaceAll("&quot;", '"');
  const ids = new Set<string>();
  for (const match of html.matchAll(/"id":"([0-9a-f]{40,})"/g)) ids.add(match[1] as string);
  for (const match of html.matchAll(/\$ACTION_ID_([0-9a-f]{40,})/g)) ids.add(match[1] as string);
  return [...ids];
}

/**
 * A call of `(previousState, formData)` encoded as React encodes it from a form: the form's
 * fields as part 1 (`_1_name`), then the arguments as part 0, which must come last.
 */
export function formCall(
  fields: Record<string, string>,
  previousState: unknown = { status: "idle" },
): FormData {
  const multipart = new FormData();
  for (const [name, value] of Object.entries(fields)) multipart.append(`_1_${name}`, value);
  multipart.append("0", JSON.stringify([previousState, "$K1"]));
  return multipart;
}

export type ActionCall = {
  path: string;
  id: string;
  origin?: string | null;
} & ({ multipart: FormData } | { body: string; contentType?: string });

/** POSTs an action call to `path` as the page's JavaScript would (Next-Action header, Origin). */
export async function callAction(
  request: APIRequestContext,
  baseURL: string,
  call: ActionCall,
): Promise<APIResponse> {
  const headers: Record<string, string> = { "Next-Action": call.id, Accept: "text/x-component" };
  if (call.origin !== null) headers.Origin = call.origin ?? baseURL;
  if ("multipart" in call) {
    return request.post(call.path, { headers, multipart: call.multipart, maxRedirects: 0 });
  }
  headers["Content-Type"] = call.contentType ?? "text/plain;charset=UTF-8";
  return request.post(call.path, { headers, data: call.body, maxRedirects: 0 });
}
