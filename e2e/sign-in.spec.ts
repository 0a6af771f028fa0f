import { E2E_BASE_URL } from "./env";
import { ANNA, BARTOSZ, CELINA, DAWID, DEMO_PASSWORD, EWA, expect, signIn, test } from "./fixtures";

test.describe("sign-in", () => {
  for (const customerId of [ANNA, BARTOSZ, CELINA, DAWID, EWA]) {
    test(`${customerId} signs in and sees their customer ID`, async ({ page }) => {
      await signIn(page, customerId);
      await expect(page).toHaveURL(/\/contacts$/);
      const header = page.getByRole("banner");
      await expect(header.getByText(customerId)).toBeVisible();
      for (const name of ["My contacts", "My requests", "Profile"]) {
        await expect(header.getByRole("link", { name })).toBeVisible();
      }
    });
  }

  test("the customer ID is trimmed and compared case-insensitively; an e-mail works too", async ({
    page,
  }) => {
    await signIn(page, `  ${ANNA.toUpperCase()}  `);
    await expect(page.getByRole("banner").getByText(ANNA)).toBeVisible();
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/login/);
    await signIn(page, "Bartosz@Example.test");
    await expect(page.getByRole("banner").getByText(BARTOSZ)).toBeVisible();
  });

  test("a wrong password or an unknown customer ID gives one and the same message", async ({ page }) => {
    for (const [identifier, password] of [
      [ANNA, "wrong-password"],
      ["zz999999-ovh", DEMO_PASSWORD],
      ["not an id", "x"],
    ] as const) {
      await page.goto("/login");
      await page.getByLabel("Customer ID or e-mail").fill(identifier);
      await page.getByLabel("Password").fill(password);
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect(page.getByText("Incorrect customer ID or password.")).toBeVisible();
      await expect(page).toHaveURL(/\/login/);
    }
  });

  test("after 5 failed attempts even the right password waits, and the wait ends on its own", async ({
    page,
    createAccount,
    db,
  }) => {
    const account = createAccount();
    for (let attempt = 1; attempt <= 5; attempt++) {
      await page.goto("/login");
      await page.getByLabel("Customer ID or e-mail").fill(account.customerId);
      await page.getByLabel("Password").fill(`wrong-${attempt}`);
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect(page.getByText("Incorrect customer ID or password.")).toBeVisible();
    }
    await page.goto("/login");
    await page.getByLabel("Customer ID or e-mail").fill(account.customerId.toUpperCase());
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(
      page.getByText(/Too many failed sign-in attempts\. Try again in \d+ seconds?\./),
    ).toBeVisible();
    await expect(page).toHaveURL(/\/login/);

    // Once the failures are older than the backoff, the right password works again.
    db.prepare("UPDATE throttle_attempts SET at = at - 16 * 60 * 1000 WHERE key LIKE ?").run(
      `account:${account.customerId}%`,
    );
    await signIn(page, account.customerId);
  });

  test("a signed-out visitor goes to sign in and comes back to the address they asked for", async ({
    page,
  }) => {
    await page.goto("/contacts?q=shop");
    await expect(page).toHaveURL(/\/login\?callbackUrl=/);
    await page.getByLabel("Customer ID or e-mail").fill(ANNA);
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/contacts\?q=shop$/);
    await expect(page.getByRole("searchbox", { name: "Search services" })).toHaveValue("shop");
  });

  test("a stale session cookie also leads to sign in and back, the code out of every URL", async ({
    page,
    context,
  }) => {
    await context.addCookies([
      { name: "authjs.session-token", value: "not-a-valid-session", url: E2E_BASE_URL },
    ]);
    await page.goto("/requests/1?token=abc");
    await expect(page).toHaveURL(/\/login\?callbackUrl=%2Frequests%2F1$/);
    await page.getByLabel("Customer ID or e-mail").fill(ANNA);
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/requests\/1$/);
  });

  test("signing out ends the session", async ({ page }) => {
    await signIn(page, ANNA);
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/login/);
    await page.goto("/contacts");
    await expect(page).toHaveURL(/\/login/);
  });

  test("the app's icon (public/icon.svg) is linked from every page and served to signed-out visitors", async ({
    page,
    request,
  }) => {
    await page.goto("/login");
    await expect(page.locator('link[rel="icon"]')).toHaveAttribute("href", /\/icon\.svg/);
    const icon = await request.get("/icon.svg");
    expect(icon.status()).toBe(200);
    expect(icon.headers()["content-type"]).toContain("image/svg+xml");
  });
});
