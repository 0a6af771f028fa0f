import { logFor } from "@/lib/log";

/**
 * Work the server runs beside its requests (the outbox sender, the expiry sweep), registered by
 * `instrumentation.ts` so that a graceful stop can end it. Kept on globalThis: Next bundles
 * instrumentation apart from the server code that stops it, so each has its own copy of this module.
 */
type Stop = () => Promise<void>;
const globalForWork = globalThis as unknown as { serviceContactsBackgroundWork?: Map<string, Stop> };

/** How long `stopBackgroundWork` waits by default: longer than an e-mail send's 20 s timeout. */
export const BACKGROUND_STOP_TIMEOUT_MS = 25_000;

/**
 * Registers the stop function of a piece of background work under `name`. One registered under
 * the same name before (instrumentation run twice in one process) is stopped: never two sweeps.
 */
export function registerBackgroundWork(name: string, stop: Stop): void {
  globalForWork.serviceContactsBackgroundWork ??= new Map();
  const replaced = globalForWork.serviceContactsBackgroundWork.get(name);
  globalForWork.serviceContactsBackgroundWork.set(name, stop);
  if (replaced) void replaced().catch(() => {});
}

/**
 * The graceful stop, for SIGTERM: every piece of background work stops taking new work and
 * finishes what it has in flight (the e-mails being sent), all at once, for at most `timeoutMs`.
 * Resolves when all have stopped or the time is up; never rejects. Calling it again does nothing.
 */
export async function stopBackgroundWork({
  timeoutMs = BACKGROUND_STOP_TIMEOUT_MS,
}: {
  timeoutMs?: number;
} = {}): Promise<void> {
  const work = globalForWork.serviceContactsBackgroundWork;
  if (!work || work.size === 0) return;
  const entries = [...work];
  work.clear();
  const log = logFor("server");
  let timeout: NodeJS.Timeout | undefined;
  const isDone = await Promise.race([
    Promise.all(
      entries.map(async ([name, stop]) => {
        try {
          await stop();
        } catch (error) {
          log.error({ err: error, work: name }, "background work failed to stop");
        }
      }),
    ).then(() => true),
    new Promise<boolean>((resolve) => {
      timeout = setTimeout(() => resolve(false), timeoutMs);
    }),
  ]);
  clearTimeout(timeout);
  if (isDone) log.info({ work: entries.map(([name]) => name) }, "background work stopped");
  else log.warn({ timeoutMs }, "background work still running when the stop timed out");
}
