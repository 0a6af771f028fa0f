import pino, { type Logger } from "pino";
import { logLevel } from "@/lib/config";

const globalForLog = globalThis as unknown as { serviceContactsLog?: Logger };

function createLogger(): Logger {
  return pino({
    level: logLevel(),
    base: { app: "service-contacts" },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  });
}

/**
 * The app's structured log: one JSON line per event on stdout (pino). One instance per process,
 * kept on globalThis because Next bundles instrumentation, pages and actions separately.
 * `LOG_LEVEL` sets the level (default `info`; silent under vitest).
 */
globalForLog.serviceContactsLog ??= createLogger();
export const log: Logger = globalForLog.serviceContactsLog;

/** A child logger whose lines carry `component` (e.g. "outbox", "sign-in", "server"). */
export function logFor(component: string): Logger {
  return log.child({ component });
}
