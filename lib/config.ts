/** Settings read from the environment, with the embedded defaults of UI.md. */

export const DEFAULT_DATABASE_PATH = "data/app.db";

export function databasePath(): string {
  return process.env.DATABASE_PATH || DEFAULT_DATABASE_PATH;
}

/** PostgreSQL's address when several instances share one database; unset means the SQLite file. */
export function databaseUrl(): string | undefined {
  const url = process.env.DATABASE_URL?.trim();
  return url ? url : undefined;
}

/** Where a database is, for a log line: a file, or a URL without its password. */
export function describeLocation(location: string): string {
  if (!/^postgres(ql)?:\/\//.test(location)) return location;
  const url = new URL(location);
  url.password = "";
  return url.toString();
}

/** Which engine this process's database runs on, decided once by DATABASE_URL. */
export function databaseDialect(): "sqlite" | "postgres" {
  const url = databaseUrl();
  if (!url) return "sqlite";
  if (/^postgres(ql)?:\/\//.test(url)) return "postgres";
  throw new Error(
    `DATABASE_URL must start with postgres:// (got ${url.split(":")[0]}:…); unset it for the SQLite file.`,
  );
}

/** The suffix of every customer ID (`aa123456-ovh`). */
export function customerIdSuffix(): string {
  return (process.env.CUSTOMER_ID_SUFFIX || "ovh").toLowerCase();
}

/** Days a contact change request waits for its confirmations before it expires. */
export function requestExpiryDays(): number {
  const days = Number(process.env.REQUEST_EXPIRY_DAYS);
  return Number.isFinite(days) && days > 0 ? days : 14;
}

/** The address e-mailed links point to. `localhost`, not 127.0.0.1: see STACK.md. */
export function appBaseUrl(): string {
  const url = process.env.APP_URL || process.env.AUTH_URL || `http://localhost:${process.env.PORT || 3000}`;
  return url.replace(/\/+$/, "");
}

export const DEFAULT_TIME_ZONE = "Europe/Warsaw";

/**
 * `APP_TIME_ZONE`: the zone dates are shown in, on the pages and in the e-mails alike (the
 * provider's customers are in Poland). An unknown zone falls back to the default rather than
 * failing every page.
 */
export function appTimeZone(): string {
  const zone = process.env.APP_TIME_ZONE?.trim();
  if (!zone) return DEFAULT_TIME_ZONE;
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return zone;
  } catch {
    return DEFAULT_TIME_ZONE;
  }
}

/** E-mail goes through Resend when it is configured, else to the local outbox mailbox. */
export function isResendConfigured(): boolean {
  return Boolean(process.env.RESEND_API_KEY);
}

/**
 * Demo mode: no e-mail provider, so e-mails go to the development mailbox, which shows
 * everyone's codes. The app then serves on the loopback interface only and says so on every page.
 */
export function isDemoMode(): boolean {
  return !isResendConfigured();
}

/** The loopback addresses demo mode listens on. */
export const LOOPBACK_HOSTS = ["127.0.0.1", "::1"] as const;

/** True for an address only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, "").toLowerCase();
  return bare === "localhost" || bare === "::1" || /^127(\.\d{1,3}){3}$/.test(bare);
}

/**
 * Where the server listens (`HOST`): by default the loopback interface in demo mode, every
 * interface with a provider. Throws, with what to set, for a non-loopback HOST in demo mode.
 */
export function listenHosts(): string[] {
  const host = process.env.HOST?.trim();
  if (isDemoMode()) {
    if (host && !isLoopbackHost(host)) {
      throw new Error(
        `HOST=${host} would serve demo mode beyond this machine, and demo mode's mailbox (/dev/mailbox) shows everyone's validation codes. ` +
          "To serve on other interfaces, configure real e-mail: set RESEND_API_KEY (and EMAIL_FROM). " +
          "Or leave HOST unset to serve on 127.0.0.1 and ::1 only.",
      );
    }
    return host && host !== "localhost" ? [host] : [...LOOPBACK_HOSTS];
  }
  return [host || "0.0.0.0"];
}

/**
 * Proxies whose X-Forwarded-For and X-Forwarded-Proto are believed (`TRUSTED_PROXIES`, a comma-
 * separated list of addresses). Empty by default: the client is the socket's peer.
 */
export function trustedProxies(): Set<string> {
  return new Set(
    (process.env.TRUSTED_PROXIES ?? "")
      .split(",")
      .map((entry) => entry.trim().toLowerCase())
      .filter(Boolean),
  );
}

/** Largest request body the server reads; anything longer is answered 413. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** `OUTBOX_CONCURRENCY`: e-mails one sender has in flight at once (1 to 32, default 4). */
export function outboxConcurrency(): number {
  const value = Number(process.env.OUTBOX_CONCURRENCY);
  return Number.isInteger(value) && value >= 1 ? Math.min(value, 32) : 4;
}

/** `LOG_LEVEL` of the JSON log (default `info`; silent under vitest). */
export function logLevel(): string {
  return process.env.LOG_LEVEL || (process.env.VITEST ? "silent" : "info");
}

/**
 * `RESEND_WEBHOOK_SECRET`: the signing secret (`whsec_…`) of the Resend webhook that reports
 * bounces and complaints to `/api/webhooks/resend`. Unset, that route does not exist (404).
 * Throws, saying what is wrong, for a value that is no svix secret: a typo would otherwise
 * refuse every webhook as wrongly signed while the bounces pile up unseen.
 */
export function resendWebhookSecret(): string | undefined {
  const secret = process.env.RESEND_WEBHOOK_SECRET?.trim();
  if (!secret) return undefined;
  const key = secret.startsWith("whsec_") ? secret.slice("whsec_".length) : "";
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(key) || Buffer.from(key, "base64").length < 16) {
    throw new Error(
      "RESEND_WEBHOOK_SECRET must be the webhook's signing secret as Resend shows it (whsec_ followed by base64); unset it to turn the webhook off.",
    );
  }
  return secret;
}
