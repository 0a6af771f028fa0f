/** Settings read from the environment, with the embedded defaults of UI.md. */

export const DEFAULT_DATABASE_PATH = "data/app.db";

export function databasePath(): string {
  return process.env.DATABASE_PATH || DEFAULT_DATABASE_PATH;
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

/** E-mail goes through Resend when it is configured, else to the local outbox mailbox. */
export function isResendConfigured(): boolean {
  return Boolean(process.env.RESEND_API_KEY);
}
