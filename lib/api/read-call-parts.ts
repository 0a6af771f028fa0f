import { z } from "zod";

/**
 * Reading a call's path parameters, query and body fields against a route's zod schemas, with one
 * message naming every refused field: the automation API and the provisioning API word their 400s
 * the same way from here.
 */

/** Where a part of the call sits, as messages name it. */
export type Part = "path parameter" | "query parameter" | "body field";

function quoted(path: readonly PropertyKey[]): string {
  return `"${path.map(String).join(".")}"`;
}

/** One message naming every field a schema refused (the provisioning API words its refusals the same way). */
export function describeIssues(part: Part, issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((issue) => {
      if (issue.code === "unrecognized_keys") {
        return `Unknown ${part}${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((key) => `"${key}"`).join(", ")}`;
      }
      if (issue.path.length === 0) return `Invalid ${part.split(" ")[0]}: ${issue.message}`;
      if (issue.code === "invalid_type" && issue.input === undefined) {
        return `Missing ${part} ${quoted(issue.path)}`;
      }
      return `Invalid ${part} ${quoted(issue.path)}: ${issue.message}`;
    })
    .join("; ");
}

/** A part of a call as the route's schema read it, or why it was refused (a 400's message). */
export type ReadPart = { ok: true; data: unknown } | { ok: false; message: string };

export function parsePart(schema: z.ZodType, value: unknown, part: Part): ReadPart {
  const parsed = schema.safeParse(value, { reportInput: true });
  return parsed.success
    ? { ok: true, data: parsed.data }
    : { ok: false, message: describeIssues(part, parsed.error.issues) };
}

/** The route's parameters, URL-decoded, then checked by its schema. */
export function readParams(route: { params?: z.ZodType }, raw: Record<string, string>): ReadPart {
  const decoded: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    try {
      decoded[name] = decodeURIComponent(value);
    } catch {
      return { ok: false, message: `Invalid path parameter "${name}": malformed URL encoding` };
    }
  }
  return route.params ? parsePart(route.params, decoded, "path parameter") : { ok: true, data: undefined };
}

const NO_QUERY = z.strictObject({});

/** The query string as one value per name (filters are single values), checked by the route's schema. */
export function readQuery(route: { query?: z.ZodType }, query: URLSearchParams): ReadPart {
  const values: Record<string, string> = {};
  for (const [name, value] of query) {
    if (Object.hasOwn(values, name)) {
      return { ok: false, message: `Query parameter "${name}" is given more than once` };
    }
    values[name] = value;
  }
  return parsePart(route.query ?? NO_QUERY, values, "query parameter");
}
