import { z } from "zod";
import { API_METHODS, type ApiAccessRule } from "./vocabulary";

/** Rules one consumer key can carry, and the longest path a rule can name. */
export const MAX_ACCESS_RULES = 100;
export const MAX_RULE_PATH_LENGTH = 200;

/**
 * One access rule as an application sends it in `POST /auth/credential`: a method and a path
 * relative to `/api/1.0` starting with `/`, printable ASCII without spaces, `?` or `#` (a rule
 * names a path, never a query); `*` stands for any characters, `/` included (`/domain/*`). Other
 * fields of a rule are dropped, as a lenient server does for clients that send more.
 */
export const apiAccessRuleSchema = z
  .object({
    method: z.enum(API_METHODS, { error: `must be one of ${API_METHODS.join(", ")}` }),
    path: z
      .string()
      .max(MAX_RULE_PATH_LENGTH, "is too long")
      .regex(/^\/[!-~]*$/, "must start with / and hold no spaces")
      .refine((path) => !/[?#]/.test(path), "must name a path, without ? or #")
      .meta({ examples: ["/me/task/contactChange/*", "/domain/*"] }),
  })
  .meta({ description: "A method and path the consumer key may call; * matches any characters" });

/** The `accessRules` of `POST /auth/credential`: 1 to {@link MAX_ACCESS_RULES} rules. */
export const apiAccessRulesSchema = z
  .array(apiAccessRuleSchema)
  .min(1, "must list at least one rule")
  .max(MAX_ACCESS_RULES, "lists too many rules");

/**
 * Whether `text` matches `pattern` whole, `*` in the pattern matching any run of characters. The
 * pattern's pieces between stars are found in order: the first must start the text, the last
 * end it, each one between at its leftmost place after the previous one (leftmost is always
 * right for `*`-only patterns). A few native searches, where a regular expression, or matching
 * character by character with backtracking, costs pattern × text on a crafted rule and path.
 */
export function matchesRulePath(pattern: string, text: string): boolean {
  const pieces = pattern.split("*");
  if (pieces.length === 1) return pattern === text;
  const first = pieces[0] as string;
  const last = pieces[pieces.length - 1] as string;
  if (first.length + last.length > text.length || !text.startsWith(first) || !text.endsWith(last)) {
    return false;
  }
  let at = first.length;
  const end = text.length - last.length;
  for (const piece of pieces.slice(1, -1)) {
    const found = text.indexOf(piece, at);
    if (found < 0 || found + piece.length > end) return false;
    at = found + piece.length;
  }
  return true;
}

/**
 * Whether some rule grants the call: the same method, and the rule's path matching the whole
 * request path (relative to `/api/1.0`, without the query), `*` matching any characters.
 */
export function isCallGranted(rules: readonly ApiAccessRule[], method: string, path: string): boolean {
  return rules.some((rule) => rule.method === method && matchesRulePath(rule.path, path));
}
