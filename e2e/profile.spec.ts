import type { Page } from "@playwright/test";
import type Database from "better-sqlite3";
import { E2E_BASE_URL } from "./env";
import { DEMO_PASSWORD, expect, signIn, test } from "./fixtures";

const EMAIL_CHANGE_SUBJECT = "Confirm your new e-mail address";

type AccountRow = { name: string; email: string; language: string };
type EmailChangeRow = { new_email: string; token_hash: string; attempts: number; used_at: number | null };

function accountRow(db: Database.Database, id: number): AccountRow {
  return db.prepare("SELECT name, email, language FROM accounts WHERE id = ?").get(id) as AccountRow;
}

function emailChangeRows(db: Database.Database, accountId: number): EmailChangeRow[] {
  return db
    .prepare(
      "SELECT new_email, token_hash, attempts, used_at FROM email_changes WHERE account_id = ? ORDER BY id",
    )
    .all(accountId) as EmailChangeRow[];
}

/** An alert with this text (Next's route announcer is an empty alert of its own). */
function alert(page: Page, text: string) {
  return page.getByRole("alert").filter({ hasText: text });
}

/**
 * Opens the newest e-mail-change e-mail to `address` in the development mailbox and returns
 * its confirmation link (its text differs from a request e-mail's, so it is found by address).
 */
async function openEmailChangeLink(page: Page, address: string): Promise<string> {
  await page.goto(`/dev/mailbox?to=${encodeURIComponent(address)}`);
  await expect(page.getByRole("heading", { name: "Mailbox" })).toBeVisible();
  await page.getByRole("link", { name: EMAIL_CHANGE_SUBJECT }).first().click();
  const body = page.getByRole("article");
  await expect(body).toBeVisible();
  const href = await body.locator('a[href*="/profile/confirm-email"]').first().getAttribute("href");
  if (!href) throw new Error(`no confirmation link in the e-mail to ${address}`);
  return href;
}

/** Saves a new address on the profile page and returns the link e-mailed to it. */
async function requestNewEmail(page: Page, newEmail: string): Promise<string> {
  await page.goto("/profile");
  await page.getByRole("textbox", { name: "E-mail" }).fill(newEmail);
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status")).toContainText(`A confirmation link has been sent to ${newEmail}`);
  return openEmailChangeLink(page, newEmail);
}

test.describe("Profile", () => {
  test("shows the name, e-mail and language, and saves a new name and language at once", async ({
    page,
    db,
    createAccount,
  }) => {
    const account = createAccount({ name: "Paula Profile" });
    await signIn(page, account.customerId);
    await page.getByRole("link", { name: "Profile" }).click();
    await expect(page.getByRole("heading", { name: "Profile" })).toBeVisible();
    await expect(page.getByRole("textbox", { name: "Name" })).toHaveValue("Paula Profile");
    await expect(page.getByRole("textbox", { name: "E-mail" })).toHaveValue(account.email);
    const language = page.getByRole("combobox", { name: "Language" });
    await expect(language).toHaveValue("en");
    await expect(language.getByRole("option")).toHaveText(["English", "Polski"]);

    await page.getByRole("textbox", { name: "Name" }).fill("  Paulina Nowa ");
    await language.selectOption({ label: "Polski" });
    await page.getByRole("button", { name: "Save" }).click();

    // The page answers in Polish straight away, header included.
    await expect(page.getByRole("status")).toHaveText("Profil został zapisany.");
    await expect(page.getByRole("heading", { name: "Profil" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Wyloguj się" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Moje kontakty" })).toBeVisible();
    await expect(page.locator("html")).toHaveAttribute("lang", "pl");
    await expect(page.getByRole("textbox", { name: "Imię i nazwisko" })).toHaveValue("Paulina Nowa");
    await expect(page.getByRole("combobox", { name: "Język" })).toHaveValue("pl");
    expect(accountRow(db, account.id)).toEqual({
      name: "Paulina Nowa",
      email: account.email,
      language: "pl",
    });

    // And back to English, which also survives a reload.
    await page.getByRole("combobox", { name: "Język" }).selectOption({ label: "English" });
    await page.getByRole("button", { name: "Zapisz" }).click();
    await expect(page.getByRole("status")).toHaveText("Your profile has been saved.");
    await page.reload();
    await expect(page.getByRole("heading", { name: "Profile" })).toBeVisible();
    expect(accountRow(db, account.id).language).toBe("en");
  });

  test("an empty name is refused and nothing is saved", async ({ page, db, createAccount }) => {
    const account = createAccount({ name: "Paula Profile" });
    await signIn(page, account.customerId);
    await page.goto("/profile");
    await page.getByRole("textbox", { name: "Name" }).fill("   ");
    await page.getByRole("combobox", { name: "Language" }).selectOption({ label: "Polski" });
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.getByText("Enter your name: it needs at least one visible character")).toBeVisible();
    await expect(page.getByRole("textbox", { name: "Name" })).toHaveAttribute("aria-invalid", "true");
    expect(accountRow(db, account.id)).toEqual({
      name: "Paula Profile",
      email: account.email,
      language: "en",
    });
  });

  test("a new e-mail address takes effect only once the link sent to it is confirmed", async ({
    page,
    db,
    createAccount,
  }) => {
    const account = createAccount();
    const newEmail = `${account.customerId}.new@example.test`;
    await signIn(page, account.customerId);
    await page.goto("/profile");
    await page.getByRole("textbox", { name: "E-mail" }).fill(newEmail.toUpperCase());
    await page.getByRole("button", { name: "Save" }).click();

    const status = page.getByRole("status");
    await expect(status).toContainText("Your profile has been saved.");
    await expect(status).toContainText(`A confirmation link has been sent to ${newEmail}`);
    await expect(status).toContainText(`e-mails keep going to ${account.email}`);
    const pending = page.getByRole("region", { name: "E-mail change pending" });
    await expect(pending).toContainText(`A confirmation is pending for ${newEmail}`);
    await expect(page.getByRole("textbox", { name: "E-mail" })).toHaveValue(account.email);
    expect(accountRow(db, account.id).email).toBe(account.email);

    // The link goes to the new address only; the old one gets nothing.
    const link = await openEmailChangeLink(page, newEmail);
    await page.goto(`/dev/mailbox?to=${encodeURIComponent(account.email)}`);
    await expect(page.getByText("No e-mail yet.")).toBeVisible();
    const token = new URL(link).searchParams.get("token") ?? "";
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const [row] = emailChangeRows(db, account.id);
    expect(row).toMatchObject({ new_email: newEmail, attempts: 0, used_at: null });
    expect(row?.token_hash).not.toBe(token);

    // Opening the link (as a mail scanner would) changes nothing.
    await page.goto(link);
    await expect(page.getByRole("heading", { name: "Confirm your new e-mail address" })).toBeVisible();
    await expect(page.getByTestId("current-email")).toHaveText(account.email);
    await expect(page.getByTestId("new-email")).toHaveText(newEmail);
    await page.reload();
    expect(accountRow(db, account.id).email).toBe(account.email);
    expect(emailChangeRows(db, account.id)).toEqual([row]);

    await page.getByRole("button", { name: "Confirm new e-mail" }).click();
    await expect(page).toHaveURL(/\/profile\?emailConfirmed=1$/);
    await expect(page.getByRole("status")).toHaveText(`Your e-mail address is now ${newEmail}.`);
    await expect(page.getByRole("textbox", { name: "E-mail" })).toHaveValue(newEmail);
    await expect(page.getByRole("region", { name: "E-mail change pending" })).toHaveCount(0);
    expect(accountRow(db, account.id).email).toBe(newEmail);
    expect(emailChangeRows(db, account.id)[0]?.used_at).not.toBeNull();

    // The link works once.
    await page.goto(link);
    await expect(alert(page, "This link has already been used")).toBeVisible();
    await expect(page.getByRole("button", { name: "Confirm new e-mail" })).toHaveCount(0);
  });

  test("a confirmed new address ends the account's other sessions; this browser stays signed in", async ({
    page,
    browser,
    db,
    createAccount,
  }) => {
    const account = createAccount();
    const newEmail = `${account.customerId}.moved@example.test`;
    const elsewhere = await browser.newContext({ baseURL: E2E_BASE_URL });
    const elsewherePage = await elsewhere.newPage();
    await signIn(elsewherePage, account.customerId);
    await signIn(page, account.customerId);
    const before = (await page.context().cookies()).find((c) => c.name === "authjs.session-token");

    const link = await requestNewEmail(page, newEmail);
    await page.goto(link);
    await page.getByRole("button", { name: "Confirm new e-mail" }).click();
    await expect(page.getByRole("status")).toHaveText(`Your e-mail address is now ${newEmail}.`);
    expect(accountRow(db, account.id).email).toBe(newEmail);

    // This browser carries a new session; the other one, and the old cookie, are signed out.
    await page.goto("/profile");
    await expect(page.getByRole("textbox", { name: "E-mail" })).toHaveValue(newEmail);
    await elsewherePage.goto("/profile");
    await expect(elsewherePage).toHaveURL(/\/login/);
    const replay = await browser.newContext({ baseURL: E2E_BASE_URL });
    await replay.addCookies([{ ...(before as NonNullable<typeof before>) }]);
    const replayPage = await replay.newPage();
    await replayPage.goto("/profile");
    await expect(replayPage).toHaveURL(/\/login/);
    await Promise.all([elsewhere.close(), replay.close()]);
  });

  test("a wrong token shows an error and changes nothing", async ({ page, db, createAccount }) => {
    const account = createAccount();
    await signIn(page, account.customerId);
    await requestNewEmail(page, `${account.customerId}.wrong@example.test`);
    await page.goto("/profile/confirm-email?token=not-the-token");
    await expect(page.getByRole("heading", { name: "This link cannot be used" })).toBeVisible();
    await expect(alert(page, "not valid for your account")).toBeVisible();
    await expect(page.getByRole("button", { name: "Confirm new e-mail" })).toHaveCount(0);
    expect(accountRow(db, account.id).email).toBe(account.email);
    // Opening a page is no attempt.
    expect(emailChangeRows(db, account.id)[0]?.attempts).toBe(0);
  });

  test("a link that stopped working between opening and confirming is refused on the click", async ({
    page,
    db,
    createAccount,
  }) => {
    const account = createAccount();
    await signIn(page, account.customerId);
    const link = await requestNewEmail(page, `${account.customerId}.stale@example.test`);
    await page.goto(link);
    await expect(page.getByRole("button", { name: "Confirm new e-mail" })).toBeVisible();

    // Meanwhile, in another tab, the change is cancelled.
    const other = await page.context().newPage();
    await other.goto("/profile");
    await other.getByRole("button", { name: "Cancel the e-mail change" }).click();
    await expect(other.getByRole("region", { name: "E-mail change pending" })).toHaveCount(0);

    await page.getByRole("button", { name: "Confirm new e-mail" }).click();
    await expect(alert(page, "not valid for your account")).toBeVisible();
    await expect(page.getByRole("button", { name: "Confirm new e-mail" })).toHaveCount(0);
    expect(accountRow(db, account.id).email).toBe(account.email);
  });

  test("a signed-out visitor signs in first and comes back to the link", async ({ page, createAccount }) => {
    const account = createAccount();
    const newEmail = `${account.customerId}.after-login@example.test`;
    await signIn(page, account.customerId);
    const link = await requestNewEmail(page, newEmail);
    await page.goto("/profile");
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/login/);

    await page.goto(link);
    await expect(page).toHaveURL(/\/login\?callbackUrl=/);
    await page.getByLabel("Customer ID or e-mail").fill(account.customerId);
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("heading", { name: "Confirm your new e-mail address" })).toBeVisible();
    await expect(page.getByTestId("new-email")).toHaveText(newEmail);
  });

  test("the link works only for the account it was sent for", async ({ page, db, createAccount }) => {
    const owner = createAccount();
    const other = createAccount();
    const newEmail = `${owner.customerId}.mine@example.test`;
    await signIn(page, owner.customerId);
    const link = await requestNewEmail(page, newEmail);
    await page.goto("/profile");
    await page.getByRole("button", { name: "Sign out" }).click();

    await signIn(page, other.customerId);
    await page.goto(link);
    await expect(alert(page, "not valid for your account")).toBeVisible();
    await expect(page.getByRole("button", { name: "Confirm new e-mail" })).toHaveCount(0);
    expect(accountRow(db, owner.id).email).toBe(owner.email);
    expect(accountRow(db, other.id).email).toBe(other.email);
  });

  test("a pending change can be cancelled: its link stops working", async ({ page, db, createAccount }) => {
    const account = createAccount();
    await signIn(page, account.customerId);
    const link = await requestNewEmail(page, `${account.customerId}.later@example.test`);
    await page.goto("/profile");
    const pending = page.getByRole("region", { name: "E-mail change pending" });
    await pending.getByRole("button", { name: "Cancel the e-mail change" }).click();
    await expect(pending).toHaveCount(0);
    expect(emailChangeRows(db, account.id)).toEqual([]);

    await page.goto(link);
    await expect(alert(page, "not valid for your account")).toBeVisible();
    expect(accountRow(db, account.id).email).toBe(account.email);
  });

  test("an address another account uses is answered exactly like a free one, and nothing is sent to it", async ({
    page,
    db,
    createAccount,
  }) => {
    const account = createAccount();
    const other = createAccount();
    const free = `${account.customerId}.free@example.test`;
    await signIn(page, account.customerId);

    /** Saves `address` as the new e-mail and returns all the page says, the address (and date) blanked. */
    async function answerTo(address: string) {
      await page.goto("/profile");
      const field = page.getByRole("textbox", { name: "E-mail" });
      await field.fill(address);
      await page.getByRole("button", { name: "Save" }).click();
      const status = page.getByRole("status");
      await expect(status).toContainText(`A confirmation link has been sent to ${address}`);
      const pending = page.getByRole("region", { name: "E-mail change pending" });
      await expect(pending).toContainText(`A confirmation is pending for ${address}`);
      const blank = (text: string) =>
        text.replaceAll(address, "ADDRESS").replace(/works until [^.]*\./, "works until DATE.");
      return {
        status: blank((await status.textContent()) ?? ""),
        pending: blank((await pending.textContent()) ?? ""),
        field: await field.inputValue(),
        fieldInvalid: await field.getAttribute("aria-invalid"),
        // Within main: Next's route announcer (also role="alert") reads the page title after a
        // client navigation, or not, depending on timing.
        alerts: await page.locator("main").getByRole("alert").filter({ hasText: /\S/ }).allInnerTexts(),
      };
    }

    const freeAnswer = await answerTo(free);
    const freeLink = await openEmailChangeLink(page, free);
    const takenAnswer = await answerTo(other.email);
    expect(takenAnswer).toEqual(freeAnswer);
    expect(takenAnswer).toMatchObject({ field: account.email, fieldInvalid: null, alerts: [] });

    // Nothing was sent to the other account's address, and no address changed.
    const outboxTo = (address: string) =>
      db.prepare("SELECT COUNT(*) AS n FROM outbox WHERE to_address = ?").get(address) as { n: number };
    expect(outboxTo(other.email).n).toBe(0);
    await page.goto(`/dev/mailbox?to=${encodeURIComponent(other.email)}`);
    await expect(page.getByText("No e-mail yet.")).toBeVisible();
    expect(accountRow(db, other.id).email).toBe(other.email);
    expect(accountRow(db, account.id).email).toBe(account.email);

    // The change shows as pending like any other (it replaced the free one, whose link stopped
    // working), but its token was never sent anywhere: nothing can confirm it.
    expect(emailChangeRows(db, account.id)).toEqual([
      expect.objectContaining({ new_email: other.email, attempts: 0, used_at: null }),
    ]);
    await page.goto(freeLink);
    await expect(alert(page, "not valid for your account")).toBeVisible();
    expect(accountRow(db, account.id).email).toBe(account.email);
  });
});
