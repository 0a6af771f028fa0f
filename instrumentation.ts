// Starts the outbox sender with the server, so e-mails written by a request leave at once
// (actions kick it) and failed ones are retried on a timer. `npm run outbox` runs it alone.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.NEXT_PHASE === "phase-production-build") return;
  const { getDb } = await import("@/db/client");
  const { startOutboxSender } = await import("@/lib/email/outbox-sender");
  startOutboxSender(getDb(), { intervalMs: 5_000 });
}
