import { E2E_BASE_URL } from "./env";
import { expect, signIn, test } from "./fixtures";
import { actionIdsOf, callAction, formCall } from "./server-actions";

test.describe("sessions", () => {
  test("after Sign out the old session cookie opens no page and runs no action", async ({
    page,
    browser,
    db,
    createAccount,
  }) => {
    const account = createAccount({ name: "Sonia Session" });
    await signIn(page, account.customerId);
    const cookies = await page.context().cookies();
    // The profile form's action: on /profile, not among the header's (also on /requests).
    const headerActions = await actionIdsOf(page.request, "/requests");
    const [saveProfile] = (await actionIdsOf(page.request, "/profile")).filter(
      (id) => !headerActions.includes(id),
    );
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/login/);

    // Someone who kept a copy of the cookie.
    const replay = await browser.newContext({ baseURL: E2E_BASE_URL });
    await replay.addCookies(cookies);
    const replayPage = await replay.newPage();
    await replayPage.goto("/profile");
    await expect(replayPage).toHaveURL(/\/login\?callbackUrl=%2Fprofile$/);
    const response = await callAction(replay.request, E2E_BASE_URL, {
      path: "/profile",
      id: saveProfile as string,
      multipart: formCall({ name: "Replayed", email: account.email, language: "en" }),
    });
    expect(response.status()).toBeLessThan(500);
    expect(db.prepare("SELECT name FROM accounts WHERE id = ?").pluck().get(account.id)).toBe(
      "Sonia Session",
    );
    await replay.close();
  });

  test("signing out in one browser leaves the account's other sessions signed in", async ({
    page,
    browser,
    createAccount,
  }) => {
    const account = createAccount();
    const other = await browser.newContext({ baseURL: E2E_BASE_URL });
    const otherPage = await other.newPage();
    await signIn(otherPage, account.customerId);
    await signIn(page, account.customerId);
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/login/);
    await otherPage.goto("/profile");
    await expect(otherPage.getByRole("heading", { name: "Profile" })).toBeVisible();
    await other.close();
  });

  test("a forged session cookie opens nothing", async ({ page, context }) => {
    await context.addCookies([{ name: "authjs.session-token", value: "forged", url: E2E_BASE_URL }]);
    await page.goto("/contacts");
    await expect(page).toHaveURL(/\/login/);
  });
});
