/**
 * Sends the outbox on its own, beside or instead of the app's in-process sender:
 *   tsx scripts/send-outbox.ts          keeps sending every OUTBOX_INTERVAL_MS (default 5 s)
 *   tsx scripts/send-outbox.ts --once   sends what is due now and exits (non-zero if any failed)
 * On DATABASE_PATH (default data/app.db), through Resend when RESEND_API_KEY is set, up to
 * OUTBOX_CONCURRENCY sends at once. Claims are atomic and the provider's pauses are shared through
 * the database, so it is safe to run while the app sends too. Logs JSON lines (LOG_LEVEL).
 */
import { getDb } from "@/db/client";
import { type SendDueEmailsResult, sendDueEmails, startOutboxSender } from "@/lib/email/outbox-sender";
import { emailTransportFromEnv } from "@/lib/email/send-email";
import { logFor } from "@/lib/log";

const log = logFor("outbox");

type Counts = Pick<SendDueEmailsResult, "claimed" | "sent" | "retried" | "failed" | "lost">;

function summarize(result: Counts): string {
  return `${result.sent} sent, ${result.retried} to retry, ${result.failed} failed, ${result.lost} lost to another sender`;
}

async function sendOnce(): Promise<number> {
  const db = getDb();
  const total: Counts = { claimed: 0, sent: 0, retried: 0, failed: 0, lost: 0 };
  let result: SendDueEmailsResult;
  do {
    result = await sendDueEmails(db, { limit: 100 });
    for (const key of Object.keys(total) as Array<keyof Counts>) total[key] += result[key];
  } while (result.hasMore && !result.isPaused);
  log.info(
    { ...total, pausedUntil: result.pausedUntil },
    `${summarize(total)}${result.isPaused ? " (the provider is paused: the rest waits)" : ""}`,
  );
  return total.failed > 0 ? 1 : 0;
}

function sendForever(): void {
  const intervalMs = Number(process.env.OUTBOX_INTERVAL_MS) || 5_000;
  const stop = startOutboxSender(getDb(), {
    intervalMs,
    // Here the sender is the whole process: its timer must keep it alive.
    keepProcessAlive: true,
    onRun: (result) => log.info({ ...result }, summarize(result)),
  });
  const shutDown = async (signal: string) => {
    log.info({ signal }, "finishing the sends in flight");
    await stop();
    await getDb().close();
    process.exit(0);
  };
  process.once("SIGINT", () => void shutDown("SIGINT"));
  process.once("SIGTERM", () => void shutDown("SIGTERM"));
}

log.info({ transport: emailTransportFromEnv().name }, "outbox script started");
if (process.argv.includes("--once")) {
  process.exitCode = await sendOnce();
  await getDb().close();
} else {
  sendForever();
}
