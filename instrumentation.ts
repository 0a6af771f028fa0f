// Starts the background work with the server: the outbox sender, so e-mails written by a
// request leave at once (actions kick it) and failed ones are retried; the sweep that records
// expired requests and tells everyone; the delivery of signed events to the provider's
// endpoints; and housekeeping (expired sessions, old throttle attempts, old events). All are
// registered so that the server's graceful stop (`stopBackgroundWork` in lib/background-work.ts)
// can end them on SIGTERM.
// `npm run outbox` runs the sender alone.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.NEXT_PHASE === "phase-production-build") return;
  const { getDb } = await import("@/db/client");
  const { registerBackgroundWork } = await import("@/lib/background-work");
  const { startOutboxSender } = await import("@/lib/email/outbox-sender");
  const { startExpirySweep } = await import("@/lib/requests/sweep-expired-requests");
  const { startHousekeeping } = await import("@/lib/housekeeping");
  const { startWebhookDeliverer } = await import("@/lib/provider/events/deliver-webhooks");
  const db = getDb();
  registerBackgroundWork("outbox-sender", startOutboxSender(db, { intervalMs: 5_000 }));
  registerBackgroundWork("expiry-sweep", startExpirySweep(db));
  registerBackgroundWork("webhook-deliverer", startWebhookDeliverer(db));
  registerBackgroundWork("housekeeping", startHousekeeping(db));
}
