import { getDb } from "@/db/client";
import { resendWebhookSecret } from "@/lib/config";
import { receiveResendWebhook } from "@/lib/email/receive-resend-webhook";
import { logFor } from "@/lib/log";

// Every delivery is acted on: nothing here may be cached.
export const dynamic = "force-dynamic";

/** Resend's event bodies are a few KiB; anything much longer is not one. */
const MAX_WEBHOOK_BYTES = 256 * 1024;

const log = logFor("resend-webhook");

function answer(status: number, message: string): Response {
  return Response.json({ message }, { status, headers: { "cache-control": "no-store" } });
}

/**
 * `POST /api/webhooks/resend`: Resend's webhook for bounces and complaints (README "Settings").
 * Without RESEND_WEBHOOK_SECRET it does not exist (404), so nothing is exposed. Resend retries
 * every answer but a 2xx: a wrong signature gets 401 and a body that can never be read 400, both
 * changing nothing; every rightly signed event, handled or not, gets 200.
 */
export async function POST(request: Request): Promise<Response> {
  const secret = resendWebhookSecret();
  if (!secret) return answer(404, "Not found.");
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > MAX_WEBHOOK_BYTES) {
    return answer(413, "The request body is too large.");
  }
  const body = await request.text();
  if (Buffer.byteLength(body) > MAX_WEBHOOK_BYTES) return answer(413, "The request body is too large.");
  const result = await receiveResendWebhook(getDb(), {
    secret,
    headers: {
      id: request.headers.get("svix-id") ?? undefined,
      timestamp: request.headers.get("svix-timestamp") ?? undefined,
      signature: request.headers.get("svix-signature") ?? undefined,
    },
    body,
    now: new Date(),
  });
  if (!result.ok) {
    log.warn({ reason: result.reason, detail: result.message }, "Resend webhook refused");
    return answer(result.reason === "bad_signature" ? 401 : 400, result.message);
  }
  if (result.outcome === "marked") {
    log.info({ marked: result.marked }, "Resend reported undeliverable addresses");
  }
  return answer(200, result.outcome);
}
