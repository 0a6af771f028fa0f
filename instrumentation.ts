// Starts the background work with the server: the outbox sender, so e-mails written by a
// request leave at once (actions kick it) and failed ones are retried; and the sweep that
// records expired requests and tells everyone. `npm run outbox` runs the sender alone.
const SWEEP_INTERVAL_MS = 60_000;

export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.NEXT_PHASE === "phase-production-build") return;
  const { getDb } = await import("@/db/client");
  const { kickOutboxSender, startOutboxSender } = await import("@/lib/email/outbox-sender");
  const { sweepExpiredRequests } = await import("@/lib/requests/sweep-expired-requests");
  const db = getDb();
  startOutboxSender(db, { intervalMs: 5_000 });
  const sweep = () => {
    try {
      if (sweepExpiredRequests(db).length > 0) kickOutboxSender();
    } catch (error) {
      console.error("[requests] expiry sweep failed:", error);
    }
  };
  sweep();
  setInterval(sweep, SWEEP_INTERVAL_MS).unref();
}
