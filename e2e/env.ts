import path from "node:path";

export const E2E_PORT = Number(process.env.E2E_PORT || 3100);
/** `localhost`, not 127.0.0.1: Next rewrites the latter and Auth.js's cookie would not match. */
export const E2E_BASE_URL = `http://localhost:${E2E_PORT}`;
export const E2E_DATA_DIR = path.resolve(import.meta.dirname, `../.test-data/e2e-${E2E_PORT}`);
export const E2E_DATABASE_PATH = path.join(E2E_DATA_DIR, "app.db");
