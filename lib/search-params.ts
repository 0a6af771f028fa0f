/** A page's search parameters as Next hands them over. */
export type SearchParamRecord = Record<string, string | string[] | undefined>;

/** The first value of a search parameter, or "" when it is absent. */
export function firstParam(params: SearchParamRecord, key: string): string {
  const value = params[key];
  return (Array.isArray(value) ? value[0] : value) ?? "";
}

/** A positive page number from the URL; anything else is page 1. */
export function pageParam(params: SearchParamRecord): number {
  const page = Number.parseInt(firstParam(params, "page"), 10);
  return Number.isSafeInteger(page) && page > 0 ? page : 1;
}

/** The address of `path` with the non-empty values of `params`, page 1 left out. */
export function hrefWith(path: string, params: Record<string, string | number | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === null || value === undefined || value === "" || (key === "page" && value === 1)) continue;
    search.set(key, String(value));
  }
  const query = search.toString();
  return query ? `${path}?${query}` : path;
}
