import { type ErrorResponse, Resend } from "resend";
import { isResendConfigured } from "@/lib/config";

/** A rendered message on its way out. */
export type OutgoingEmail = {
  to: string;
  subject: string;
  html: string;
  text: string;
  /** Sent as Resend's `Idempotency-Key`: a retry of the same row is never delivered twice. */
  idempotencyKey: string;
};

/** What became of one send. `retryable` is false when trying again cannot help (a 4xx). */
export type SendResult =
  | { ok: true; providerMessageId: string | null }
  | {
      ok: false;
      retryable: boolean;
      error: string;
      /** The provider asked to slow down (429, quota): the caller should pause, not carry on. */
      isRateLimited?: boolean;
      /**
       * The provider itself is failing or overloaded (429, 408, 5xx, no answer in time): every
       * sender should pause, not only retry this message later.
       */
      isProviderFailure?: boolean;
      retryAfterMs?: number;
    };

/** Where e-mails go. */
export interface EmailTransport {
  readonly name: "resend" | "mailbox";
  /** True when the message leaves the machine, after which its secrets must not stay at rest. */
  readonly isDelivering: boolean;
  send(email: OutgoingEmail): Promise<SendResult>;
}

/** The sender address when `EMAIL_FROM` is not set. */
export const DEFAULT_EMAIL_FROM = "Service Contacts <contacts@example.test>";

/** Kept well under the outbox lock (60 s) so a slow send ends before another sender may reclaim its row. */
export const DEFAULT_SEND_TIMEOUT_MS = 20_000;

/**
 * Resend error names worth retrying when the HTTP status is unknown (a network error,
 * a timeout, or an error body without `statusCode`).
 */
const RETRYABLE_RESEND_ERRORS = new Set<string>([
  "application_error",
  "internal_server_error",
  "rate_limit_exceeded",
  "daily_quota_exceeded",
  "monthly_quota_exceeded",
  "concurrent_idempotent_requests",
]);

/** `Retry-After` in seconds or as an HTTP date, in milliseconds from now. */
function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/**
 * Sorts a Resend failure into retry or give up. The SDK returns the provider's JSON error
 * body as `error` (with `statusCode` and `name`), or `statusCode: null` when the request
 * never got an answer (network error, timeout): those are retried.
 */
export function classifyResendError(
  error: Partial<ErrorResponse> | null | undefined,
  headers: Record<string, string> | null | undefined,
): Extract<SendResult, { ok: false }> {
  const status = typeof error?.statusCode === "number" ? error.statusCode : null;
  const name = typeof error?.name === "string" ? error.name : "unknown_error";
  const message = typeof error?.message === "string" ? error.message : "no message";
  const described = `${status ?? "no response"} ${name}: ${message}`;
  let retryable: boolean;
  if (status === null) retryable = name === "unknown_error" || RETRYABLE_RESEND_ERRORS.has(name);
  else if (status === 408 || status === 429 || status >= 500) retryable = true;
  // Another attempt with the same key is still in flight: its outcome is not known yet.
  else if (status === 409 && name === "concurrent_idempotent_requests") retryable = true;
  else retryable = status < 400;
  const failure: Extract<SendResult, { ok: false }> = { ok: false, retryable, error: described };
  if (status === 429 || /rate_limit|quota_exceeded/.test(name)) failure.isRateLimited = true;
  // A 409 for a concurrent idempotent request is about one message, not the provider's health.
  if (
    failure.isRateLimited ||
    status === 408 ||
    (status !== null && status >= 500) ||
    (status === null && retryable)
  ) {
    failure.isProviderFailure = true;
  }
  const retryAfterMs = parseRetryAfter(headers?.["retry-after"], Date.now());
  if (retryAfterMs !== undefined) failure.retryAfterMs = retryAfterMs;
  return failure;
}

/** Sends through Resend. The SDK never throws on failure; it answers `{ data, error }`. */
export function createResendTransport(options: {
  apiKey: string;
  from?: string;
  /** Defaults to `RESEND_BASE_URL`, then Resend's API (the SDK's own rule). */
  baseUrl?: string;
  timeoutMs?: number;
}): EmailTransport {
  const client = new Resend(options.apiKey, {
    // The SDK appends paths such as "/emails" to the base URL as is: a trailing slash would double.
    baseUrl: options.baseUrl?.replace(/\/+$/, "") || undefined,
  });
  const from = options.from || DEFAULT_EMAIL_FROM;
  const timeoutMs = options.timeoutMs ?? DEFAULT_SEND_TIMEOUT_MS;
  return {
    name: "resend",
    isDelivering: true,
    async send(email) {
      const signal = AbortSignal.timeout(timeoutMs);
      const response = await client.emails.send(
        { from, to: email.to, subject: email.subject, html: email.html, text: email.text },
        { idempotencyKey: email.idempotencyKey, signal },
      );
      if (response.error) {
        const failure = classifyResendError(response.error, response.headers);
        // The SDK reports an abort as an unanswered request; name it for whoever reads lastError.
        return signal.aborted ? { ...failure, error: `timed out after ${timeoutMs} ms` } : failure;
      }
      return { ok: true, providerMessageId: response.data?.id ?? null };
    },
  };
}

/**
 * The development mailbox: nothing leaves the machine. Marking the row as sent is all
 * there is to do, since /dev/mailbox reads and renders the outbox rows themselves.
 */
export const MAILBOX_TRANSPORT: EmailTransport = {
  name: "mailbox",
  isDelivering: false,
  async send() {
    return { ok: true, providerMessageId: null };
  },
};

/**
 * The transport the environment asks for: Resend when `RESEND_API_KEY` is set (from
 * `EMAIL_FROM`, through `RESEND_BASE_URL` when set), the local mailbox otherwise.
 * Read at each call, not at import, so a changed environment is honoured.
 */
export function emailTransportFromEnv(): EmailTransport {
  const apiKey = process.env.RESEND_API_KEY;
  if (!isResendConfigured() || !apiKey) return MAILBOX_TRANSPORT;
  return createResendTransport({
    apiKey,
    from: process.env.EMAIL_FROM,
    baseUrl: process.env.RESEND_BASE_URL,
  });
}

/**
 * The one way the app sends a rendered e-mail. Never throws: a failure comes back as a
 * `SendResult` saying whether it is worth retrying.
 */
export async function sendEmail(
  email: OutgoingEmail,
  transport: EmailTransport = emailTransportFromEnv(),
): Promise<SendResult> {
  try {
    return await transport.send(email);
  } catch (error) {
    // A transport that throws gives no reason to believe the next send would fare better.
    return {
      ok: false,
      retryable: true,
      isProviderFailure: true,
      error: error instanceof Error ? error.message : String(error),
    };
  }
}
