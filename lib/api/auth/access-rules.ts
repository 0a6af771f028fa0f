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
export const apiAccessRuleSchema = z.object({
  method: z.enum(API_METHODS),
  path: z
    .string()
    .max(MAX_RULE_PATH_LENGTH)
    .regex(/^\/[!-~]*$/)
    .refine((path) => !/[?#]/.test(path)),
});

/** The `accessRules` of `POST /auth/credential`: 1 to {@link MAX_ACCESS_RULES} rules. */
export const apiAccessRulesSchema = z.array(apiAccessRuleSchema).min(1).max(MAX_ACCESS_RULES);

/**
 * Whether `text` matches `pattern` whole, `*` in the pattern matching any run of characters. One
 * pass that goes back only to the last `*` (O(pattern × text)), where a regular expression built
 * from a rule with many `*` could backtrack for a very long time on a crafted path.
 */
export function matchesRulePath(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let lastStar = -1;
  let resumeAt = 0;
  while (t < text.length) {
    if (pattern[p] === "*") {
      lastStar = p;
      p += 1;
      resumeAt = t;
    } else if (p < pattern.length && pattern[p] === text[t]) {
      p += 1;
      t += 1;
    } else if (lastStar >= 0) {
      // The last `*` swallows one more character, and matching resumes after it.
      p = lastStar + 1;
      resumeAt += 1;
      t = resumeAt;
    } else {
      return false;
    }
  }
  while (pattern[p] === "*") p += 1;
  return p === pattern.length;
}

/**
 * Whether some rule grants the call: the same method, and the rule's path matching the whole
 * request path (relative to `/api/1.0`, without the query), `*` matching any characters.
 */
export function isCallGranted(rules: readonly ApiAccessRule[], method: string, path: string): boolean {
  return rules.some((rule) => rule.method === method && matchesRulePath(rule.path, path));
}
