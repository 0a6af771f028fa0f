/**
 * Checks the body of a POST to a page before Next decodes it as a server action call. Next
 * decodes with React's reply protocol and answers 500 to anything that protocol cannot read
 * (no body, text that is not JSON, a broken multipart form, a reference to a part that is not
 * there, nesting deep enough to overflow the stack). The app's forms send only a small part of
 * that protocol, so anything outside it is refused here with a 4xx, before any action runs.
 */

export type BodyRefusal = { status: 400 | 413; message: string };

const TOO_LARGE: BodyRefusal = { status: 413, message: "Request body too large." };
const MALFORMED_FORM: BodyRefusal = { status: 400, message: "Malformed form." };
const MALFORMED_ARGUMENTS: BodyRefusal = { status: 400, message: "Malformed server action arguments." };

/** Deeper than any state object the app's forms send back. */
const MAX_DEPTH = 16;

/**
 * The `$`-strings React's reply encoding uses for what the app's actions receive: an escaped
 * string, a FormData part, undefined, special numbers, dates. Promise references (`$@n`) appear
 * only in the progressive-enhancement fields, checked against the parts present.
 */
const PLAIN_REFERENCE = /^\$(\$|K\d{1,6}$|undefined$|-0$|NaN$|-?Infinity$|D\d{4}-)/;

/** True when `value`, a decoded JSON value, uses nothing of React's reply protocol but plain references. */
function usesOnlyPlainReferences(value: unknown, promiseParts: ReadonlySet<string>, depth = 0): boolean {
  if (depth > MAX_DEPTH) return false;
  if (typeof value === "string") {
    if (!value.startsWith("$")) return true;
    if (PLAIN_REFERENCE.test(value)) return true;
    const promise = /^\$@(\d{1,6})$/.exec(value);
    return Boolean(promise && promiseParts.has(promise[1] as string));
  }
  if (Array.isArray(value))
    return value.every((item) => usesOnlyPlainReferences(item, promiseParts, depth + 1));
  if (value !== null && typeof value === "object") {
    return Object.values(value).every((item) => usesOnlyPlainReferences(item, promiseParts, depth + 1));
  }
  return true;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** Checks an action call's arguments: a JSON array of plain values and references. */
export function areArgumentsWellFormed(encoded: unknown): boolean {
  if (typeof encoded !== "string") return false;
  const parsed = parseJson(encoded);
  return parsed.ok && Array.isArray(parsed.value) && usesOnlyPlainReferences(parsed.value, new Set());
}

/**
 * Checks the fields a form posted without JavaScript carries (`$ACTION_1:0` = `{id, bound:"$@1"}`,
 * `$ACTION_1:1` = the bound arguments): each must be JSON whose promise references name parts
 * of the same form.
 */
function areProgressiveFieldsWellFormed(form: FormData): boolean {
  const parts = new Map<string, Set<string>>();
  for (const name of form.keys()) {
    const match = /^\$ACTION_(\d{1,6}):(\d{1,6})$/.exec(name);
    if (!match) continue;
    const [, prefix, part] = match as unknown as [string, string, string];
    if (!parts.has(prefix)) parts.set(prefix, new Set());
    parts.get(prefix)?.add(part);
  }
  for (const [name, value] of form) {
    const match = /^\$ACTION_(\d{1,6}):\d{1,6}$/.exec(name);
    if (!match) continue;
    if (typeof value !== "string") return false;
    const parsed = parseJson(value);
    if (!parsed.ok || !usesOnlyPlainReferences(parsed.value, parts.get(match[1] as string) ?? new Set())) {
      return false;
    }
  }
  return true;
}

/**
 * Why a POST body cannot be a well-formed call of one of the app's actions, or null.
 * `isAction`: the request carries Next's `Next-Action` header (a call from the page's JavaScript).
 */
export async function checkActionBody({
  body,
  contentType,
  isAction,
  maxBytes,
}: {
  body: ArrayBuffer;
  contentType: string;
  isAction: boolean;
  maxBytes: number;
}): Promise<BodyRefusal | null> {
  if (body.byteLength > maxBytes) return TOO_LARGE;
  if (contentType.toLowerCase().startsWith("multipart/form-data")) {
    let form: FormData;
    try {
      form = await new Response(body, { headers: { "content-type": contentType } }).formData();
    } catch {
      return MALFORMED_FORM;
    }
    if (!areProgressiveFieldsWellFormed(form)) return MALFORMED_ARGUMENTS;
    // From JavaScript, React encodes the arguments as part "0" and the parts it refers to.
    if (isAction && !areArgumentsWellFormed(form.get("0"))) return MALFORMED_ARGUMENTS;
    return null;
  }
  if (!isAction) return null;
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(body);
  } catch {
    return MALFORMED_ARGUMENTS;
  }
  return areArgumentsWellFormed(text) ? null : MALFORMED_ARGUMENTS;
}
