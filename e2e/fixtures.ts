import { randomInt } from "node:crypto";
import { test as base, expect, type Page } from "@playwright/test";
import Database from "better-sqlite3";
import { E2E_DATABASE_PATH } from "./env";

export const DEMO_PASSWORD = "demo-password";

/** The demo accounts of UI.md. */
export const ANNA = "aa100001-ovh";
export const BARTOSZ = "bb200002-ovh";
export const CELINA = "cc300003-ovh";
export const DAWID = "dd400004-ovh";
export const EWA = "ee500005-ovh";

export type TestAccount = { id: number; customerId: string; email: string };

/** Signs in through the login page, as a person does. */
export async function signIn(page: Page, customerId: string, password = DEMO_PASSWORD): Promise<void> {
  // Whoever was signed in before is signed out: /login sends a signed-in visitor away.
  await page.context().clearCookies();
  await page.goto("/login");
  await page.getByLabel("Customer ID or e-mail").fill(customerId);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
}

export type TestService = { id: number; name: string };

/** An e-mail as the development mailbox shows it. */
export type MailboxEmail = { subject: string; text: string; link: string | null; code: string | null };

/**
 * Opens the newest e-mail to `address` whose subject contains `subject` in the development
 * mailbox, as a person would, and reads the validation code from the confirmation link.
 * The mailbox is the only place tests read codes from: the database keeps only hashes.
 */
export async function openNewestEmail(
  page: Page,
  address: string,
  subject: string | RegExp,
): Promise<MailboxEmail> {
  await page.goto(`/dev/mailbox?to=${encodeURIComponent(address)}`);
  await expect(page.getByRole("heading", { name: "Mailbox" })).toBeVisible();
  await page.getByRole("link", { name: subject }).first().click();
  const body = page.getByRole("article");
  await expect(body).toBeVisible();
  const link = body.getByRole("link", { name: "Confirm or refuse the request" });
  const href = (await link.count()) > 0 ? await link.getAttribute("href") : null;
  const code = href ? new URL(href).searchParams.get("token") : null;
  return {
    subject: (await page.getByRole("heading", { level: 1 }).first().textContent()) ?? "",
    text: (await body.textContent()) ?? "",
    link: href,
    code,
  };
}

type Fixtures = {
  /** The e2e server's database, for seeding and for checking what did (not) change. */
  db: Database.Database;
  /**
   * Creates a fresh account (password DEMO_PASSWORD) that no other test touches. A language other
   * than English is its holder's choice (as the migration made it for existing accounts); pass
   * `isLanguageChosen` to say otherwise: an account that has not chosen follows the browser.
   */
  createAccount: (options?: {
    language?: "en" | "pl";
    name?: string;
    isLanguageChosen?: boolean;
  }) => TestAccount;
  /** Creates a service with the given contacts (account ids) that no other test touches. */
  createService: (contacts: {
    adminId: number;
    techId: number;
    billingId: number;
    type?: string;
  }) => TestService;
  /** The id of an account from its customer ID. */
  accountId: (customerId: string) => number;
};

export const test = base.extend<Fixtures>({
  // biome-ignore lint/correctness/noEmptyPattern: Playwright's fixture signature
  db: async ({}, use) => {
    const db = new Database(E2E_DATABASE_PATH);
    db.pragma("busy_timeout = 5000");
    await use(db);
    db.close();
  },
  createAccount: async ({ db }, use) => {
    const passwordHash = (
      db.prepare("SELECT password_hash AS hash FROM accounts WHERE customer_id = ?").get(ANNA) as {
        hash: string;
      }
    ).hash;
    await use(({ language = "en", name = "Test Account", isLanguageChosen = language !== "en" } = {}) => {
      const customerId = `tt${randomInt(10_000_000, 99_999_999)}-ovh`;
      const email = `${customerId}@example.test`;
      const { id } = db
        .prepare(
          "INSERT INTO accounts (customer_id, name, email, language, is_language_chosen, password_hash) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .get(customerId, name, email, language, isLanguageChosen ? 1 : 0, passwordHash) as { id: number };
      return { id, customerId, email };
    });
  },
  createService: async ({ db }, use) => {
    await use(({ adminId, techId, billingId, type = "domain" }) => {
      const name = `svc-${randomInt(10_000_000, 99_999_999)}.example.org`;
      const { id } = db
        .prepare(
          "INSERT INTO services (name, type, admin_id, tech_id, billing_id) VALUES (?, ?, ?, ?, ?) RETURNING id",
        )
        .get(name, type, adminId, techId, billingId) as { id: number };
      return { id, name };
    });
  },
  accountId: async ({ db }, use) => {
    await use(
      (customerId) =>
        (db.prepare("SELECT id FROM accounts WHERE customer_id = ?").get(customerId) as { id: number }).id,
    );
  },
});

export { expect };
