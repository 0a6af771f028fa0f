// The app as `npm start` serves it, on a fresh database, for the Playwright tests.
import fs from "node:fs";
import { E2E_BASE_URL, E2E_DATA_DIR, E2E_DATABASE_PATH, E2E_RESEND_WEBHOOK_SECRET } from "../e2e/env";

fs.rmSync(E2E_DATA_DIR, { recursive: true, force: true });
process.env.DATABASE_PATH = E2E_DATABASE_PATH;
process.env.APP_URL = E2E_BASE_URL;
// The browser tests read e-mails from the development mailbox.
delete process.env.RESEND_API_KEY;
// Bounces reach the app through its webhook, signed with a secret the tests know.
process.env.RESEND_WEBHOOK_SECRET = E2E_RESEND_WEBHOOK_SECRET;
await import("./start");
