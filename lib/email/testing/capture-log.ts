import pino, { type Logger } from "pino";

export type CapturedLog = {
  log: Logger;
  /** Every line as written, JSON text. */
  raw: string[];
  /** Every line parsed. */
  lines: () => Array<Record<string, unknown>>;
};

/** A pino logger that keeps its JSON lines in memory, for tests of what the app logs. */
export function captureLog(): CapturedLog {
  const raw: string[] = [];
  const log = pino({ level: "debug", base: undefined }, { write: (line: string) => raw.push(line.trim()) });
  return { log, raw, lines: () => raw.map((line) => JSON.parse(line) as Record<string, unknown>) };
}
