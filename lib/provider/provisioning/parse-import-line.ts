import type { z } from "zod";
import { type ImportLine, importLineSchema } from "./provisioning-schemas";

/** One line of an import file, read: what it asks, why it cannot be read, or nothing (a blank line). */
export type ParsedImportLine = { ok: true; line: ImportLine } | { ok: false; message: string } | null;

/** Longest line read; a longer one is refused without being parsed (no line of the format comes near). */
export const MAX_LINE_LENGTH = 10_000;

/**
 * Reads one NDJSON line of an import: JSON, then importLineSchema. A refusal names each field
 * that is wrong and why, in one message the report shows with the line's number.
 */
export function parseImportLine(text: string): ParsedImportLine {
  if (text.trim() === "") return null;
  if (text.length > MAX_LINE_LENGTH)
    return { ok: false, message: `line is longer than ${MAX_LINE_LENGTH} characters` };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, message: "line is not JSON" };
  }
  const parsed = importLineSchema.safeParse(json);
  if (!parsed.success) return { ok: false, message: issuesInWords(parsed.error.issues) };
  return { ok: true, line: parsed.data };
}

function issuesInWords(issues: z.core.$ZodIssue[]): string {
  return issues
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join(".")}: ${issue.message}` : issue.message))
    .join("; ");
}
