import path from "node:path";

export const E2E_PORT = Number(process.env.E2E_PORT || 3100);
/** `localhost`, not 127.0.0.1: Next rewrites the latter and Auth.js's cookie would not match. */
export const E2E_BASE_URL = `http://localhost:${E2E_PORT}`;
export const E2E_DATA_DIR = path.resolve(import.meta.dirname, `../.test-data/e2e-${E2E_PORT}`);
export const E2E_DATABASE_PATH = path.join(E2E_DATA_DIR, "app.db");
/**
 * The e2e server's RESEND_WEBHOOK_SECRET, so tests can post bounces signed as Resend signs them
 * (e2e/bounces.spec.ts). A test value: whsec_ and the base64 of 32 bytes.
 */
export const E2E_RESEND_WEBHOOK_SECRET = `whsec_${Buffer.from("e2e-resend-webhook-secret-32-byt").toString("base64")}`;
