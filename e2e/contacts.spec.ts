import { ANNA, BARTOSZ, DAWID, expect, signIn, test } from "./fixtures";

const COLUMNS = ["Service name", "Service", "Administrator contact", "Technical contact", "Billing contact"];

function serviceId(db: import("better-sqlite3").Database, name: string): number {
  return (db.prepare("SELECT id FROM services WHERE name = ?").get(name) as { id: number }).id;
}

test.describe("My contacts", () => {
  test("lists the services with their three contacts, own roles marked, 50 a page", async ({ page }) => {
    await signIn(page, ANNA);
    await expect(page.getByRole("heading", { name: "My contacts" })).toBeVisible();
    for (const name of COLUMNS)
      await expect(page.getByRole("columnheader", { name, exact: true })).toBeVisible();

    const rows = page
      .getByRole("row")
      .filter({ has: page.getByRole("link", { name: /^Edit contacts of / }) });
    await expect(rows).toHaveCount(50);
    const example = page.getByRole("row", { name: /^example\.pl / });
    await expect(example.getByRole("cell").nth(0)).toHaveText("Domain");
    await expect(example.getByRole("cell").nth(1)).toHaveText(`${ANNA}you`);
    await expect(example.getByRole("cell").nth(2)).toHaveText(BARTOSZ);
    await expect(example.getByRole("cell").nth(3)).toHaveText("cc300003-ovh");
    // The name shows above each customer ID (CSS generated content: the cell's text stays the ID).
    const shownName = await example
      .getByRole("cell")
      .nth(2)
      .locator("code")
      .evaluate((code) => getComputedStyle(code, "::before").content);
    expect(shownName).toBe('"Bartosz Wiśniewski"');

    // Sorted by name: the first rows are in alphabetical order.
    const names = await page.getByRole("rowheader").allTextContents();
    expect(names).toEqual([...names].sort());

    await expect(page.getByRole("link", { name: "Previous page" })).toHaveCount(0);
    await expect(page.getByRole("link", { name: "Next page" })).toBeVisible();
  });

  test("pages hold 50 services each, in name order, with no service twice or missing", async ({
    page,
    createAccount,
    createService,
  }) => {
    const owner = createAccount();
    const created = Array.from({ length: 75 }, (_, i) =>
      // Every role mix, so a page counting roles instead of services would come out short.
      createService({ adminId: owner.id, techId: i % 2 ? owner.id : 1, billingId: i % 3 ? owner.id : 1 }),
    );
    await signIn(page, owner.customerId);
    const first = await page.getByRole("rowheader").allTextContents();
    expect(first).toHaveLength(50);
    await expect(page.getByText("1–50 of 75", { exact: true })).toBeVisible();
    await expect(page.getByRole("link", { name: "Previous page" })).toHaveCount(0);
    await page.getByRole("link", { name: "Next page" }).click();
    // The address names the service the page continues after: readable and shareable.
    await expect(page).toHaveURL(
      new RegExp(`/contacts\\?after=${(first.at(-1) as string).replaceAll(".", "\\.")}$`),
    );
    const second = await page.getByRole("rowheader").allTextContents();
    expect([...first, ...second]).toEqual(created.map((service) => service.name).sort());
    await expect(page.getByText("51–75 of 75", { exact: true })).toBeVisible();
    await expect(page.getByRole("link", { name: "Next page" })).toHaveCount(0);
    await page.getByRole("link", { name: "Previous page" }).click();
    await expect(page.getByRole("rowheader")).toHaveText(first);
    await expect(page.getByRole("link", { name: "Previous page" })).toHaveCount(0);

    // A shared link to a position opens the page from there, filters and all.
    await page.goto(`/contacts?after=${encodeURIComponent(first[9] as string)}&q=example.org`);
    await expect(page.getByRole("rowheader").first()).toHaveText(first[10] as string);
    await expect(page.getByRole("searchbox", { name: "Search services" })).toHaveValue("example.org");
  });

  test("search by service name keeps its value in the address", async ({ page }) => {
    await signIn(page, ANNA);
    await page.getByRole("searchbox", { name: "Search services" }).fill("SHOP");
    await page.getByRole("button", { name: "Filter" }).click();
    await expect(page).toHaveURL(/q=SHOP/);
    await expect(page.getByRole("rowheader")).toHaveText(["shop.example.pl"]);
    await expect(page.getByRole("searchbox", { name: "Search services" })).toHaveValue("SHOP");

    await page.goto("/contacts?q=no-such-service");
    await expect(page.getByText("No service matches these filters.")).toBeVisible();
  });

  test("filters by service type and by my role", async ({ page }) => {
    await signIn(page, ANNA);
    await page.getByLabel("Service type").selectOption({ label: "VPS" });
    await page.getByRole("button", { name: "Filter" }).click();
    await expect(page).toHaveURL(/type=vps/);
    await expect(page.getByRole("rowheader")).toHaveText(["vps-42.example.net"]);

    await page.goto("/contacts");
    await page.getByLabel("My role").selectOption({ label: "Billing" });
    await page.getByLabel("Service type").selectOption({ label: "Domain" });
    await page.getByRole("button", { name: "Filter" }).click();
    await expect(page).toHaveURL(/role=billing/);
    await expect(page.getByRole("rowheader").first()).toBeVisible();
    // Anna is not the billing contact of example.pl; she is of her other domains.
    const names = await page.getByRole("rowheader").allTextContents();
    expect(names).not.toContain("example.pl");
    expect(names.length).toBeGreaterThan(0);
    expect(names).toContain("nowak-01.pl");
    expect(names).not.toContain("vps-42.example.net");
  });

  test("a technical contact sees only their services and can filter by role", async ({
    page,
    createAccount,
    createService,
    accountId,
  }) => {
    const tech = createAccount();
    const anna = accountId(ANNA);
    const mine = createService({ adminId: anna, techId: tech.id, billingId: anna, type: "dedicated_server" });
    const alsoMine = createService({ adminId: anna, techId: tech.id, billingId: tech.id });
    createService({ adminId: anna, techId: anna, billingId: anna });
    await signIn(page, tech.customerId);
    await expect(page.getByRole("rowheader")).toHaveText([mine.name, alsoMine.name].sort());
    await expect(
      page
        .getByRole("row", { name: new RegExp(`^${mine.name} `) })
        .getByRole("cell")
        .nth(2),
    ).toHaveText(`${tech.customerId}you`);
    await page.goto("/contacts?role=billing");
    await expect(page.getByRole("rowheader")).toHaveText([alsoMine.name]);
    await page.goto("/contacts?role=admin");
    await expect(page.getByText("No service matches these filters.")).toBeVisible();
    await expect(page.getByRole("link", { name: "Next page" })).toHaveCount(0);
  });

  test("Bartosz sees the demo services he is the technical contact of", async ({ page }) => {
    await signIn(page, BARTOSZ);
    const names = await page.getByRole("rowheader").allTextContents();
    expect(names).toEqual(expect.arrayContaining(["example.pl", "shop.example.pl"]));
    expect(names).not.toContain("vps-42.example.net");
  });

  test("an account with no services sees none, and nobody else's", async ({ page, db }) => {
    await signIn(page, DAWID);
    await expect(page.getByText("You are not a contact of any service yet.")).toBeVisible();
    await expect(page.getByRole("table")).toHaveCount(0);
    // Someone else's service is a 404, as if it did not exist.
    const response = await page.goto(`/contacts/${serviceId(db, "example.pl")}`);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Edit contacts" })).toHaveCount(0);
  });

  test("a service the user is not a contact of is a 404, like one that does not exist", async ({
    page,
    db,
    createAccount,
  }) => {
    const owner = createAccount();
    const { id } = db
      .prepare(
        "INSERT INTO services (name, type, admin_id, tech_id, billing_id) VALUES (?, 'domain', ?, ?, ?) RETURNING id",
      )
      .get(`${owner.customerId}.pl`, owner.id, owner.id, owner.id) as { id: number };
    await signIn(page, ANNA);
    for (const address of [`/contacts/${id}`, "/contacts/99999999", "/contacts/abc"]) {
      const response = await page.goto(address);
      expect(response?.status(), address).toBe(404);
      await expect(page.getByText(`${owner.customerId}.pl`)).toHaveCount(0);
    }
    await page.goto(`/contacts?q=${owner.customerId}`);
    await expect(page.getByText("No service matches these filters.")).toBeVisible();
  });

  test("the row's edit link opens the edit page with the service's contacts", async ({ page }) => {
    await signIn(page, ANNA);
    await page.getByRole("link", { name: "Edit contacts of example.pl" }).click();
    await expect(page.getByRole("heading", { name: "Edit contacts" })).toBeVisible();
    await expect(page.getByText("example.pl", { exact: true })).toBeVisible();
    await expect(page.getByLabel("Administrator contact")).toHaveValue(ANNA);
    await expect(page.getByLabel("Technical contact")).toHaveValue(BARTOSZ);
    await expect(page.getByLabel("Billing contact")).toHaveValue("cc300003-ovh");
  });
});

test.describe("Polish interface", () => {
  test.use({ locale: "pl-PL" });

  test("the sign-in page follows the browser's language", async ({ page }) => {
    await page.goto("/login");
    await expect(page.getByRole("heading", { name: "Logowanie" })).toBeVisible();
    await page.getByLabel("Identyfikator klienta lub e-mail").fill(ANNA);
    await page.getByLabel("Hasło").fill("wrong-password");
    await page.getByRole("button", { name: "Zaloguj się" }).click();
    await expect(page.getByText("Nieprawidłowy identyfikator klienta lub hasło.")).toBeVisible();
  });

  test("once signed in, the account's language wins over the browser's", async ({
    page,
    createAccount,
    db,
  }) => {
    const polish = createAccount({ language: "pl" });
    db.prepare(
      "INSERT INTO services (name, type, admin_id, tech_id, billing_id) VALUES (?, 'web_hosting', ?, ?, ?)",
    ).run(`${polish.customerId}.pl`, polish.id, polish.id, polish.id);
    await page.goto("/login");
    await page.getByLabel("Identyfikator klienta lub e-mail").fill(polish.customerId);
    await page.getByLabel("Hasło").fill("demo-password");
    await page.getByRole("button", { name: "Zaloguj się" }).click();
    await expect(page.getByRole("heading", { name: "Moje kontakty" })).toBeVisible();
    for (const name of [
      "Nazwa usługi",
      "Usługa",
      "Kontakt administracyjny",
      "Kontakt techniczny",
      "Kontakt księgowy",
    ]) {
      await expect(page.getByRole("columnheader", { name, exact: true })).toBeVisible();
    }
    await expect(
      page
        .getByRole("row", { name: new RegExp(`^${polish.customerId}`) })
        .getByRole("cell")
        .first(),
    ).toHaveText("Hosting WWW");
    await expect(page.getByRole("button", { name: "Wyloguj się" })).toBeVisible();
  });
});

test.describe("English account in a Polish browser", () => {
  test.use({ locale: "pl-PL" });

  // Demo accounts are never signed in here: their stored language would follow this browser, and
  // other tests read their e-mails by English subjects.
  test("an account whose holder chose English sees English after signing in", async ({
    page,
    createAccount,
  }) => {
    const english = createAccount({ language: "en", isLanguageChosen: true });
    await page.goto("/login");
    await page.getByLabel("Identyfikator klienta lub e-mail").fill(english.customerId);
    await page.getByLabel("Hasło").fill("demo-password");
    await page.getByRole("button", { name: "Zaloguj się" }).click();
    await expect(page.getByRole("heading", { name: "My contacts" })).toBeVisible();
  });

  test("an account that never chose follows the browser into Polish, until English is picked in the header", async ({
    page,
    createAccount,
    db,
  }) => {
    const languageOf = (id: number) =>
      db.prepare("SELECT language, is_language_chosen AS chosen FROM accounts WHERE id = ?").get(id);
    const newcomer = createAccount({ language: "en" });
    await page.goto("/login");
    await page.getByLabel("Identyfikator klienta lub e-mail").fill(newcomer.customerId);
    await page.getByLabel("Hasło").fill("demo-password");
    await page.getByRole("button", { name: "Zaloguj się" }).click();
    await expect(page.getByRole("heading", { name: "Moje kontakty" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Moje zlecenia" })).toBeVisible();
    // Stored, so the e-mails go out in the language of the panel; still not the holder's choice.
    expect(languageOf(newcomer.id)).toEqual({ language: "pl", chosen: 0 });

    await page.getByRole("button", { name: "English" }).click();
    await expect(page.getByRole("heading", { name: "My contacts" })).toBeVisible();
    expect(languageOf(newcomer.id)).toEqual({ language: "en", chosen: 1 });
    await page.goto("/requests");
    await expect(page.getByRole("heading", { name: "My requests" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Polski" })).toBeVisible();
  });

  test("the sign-in page switches to English and back, before signing in", async ({ page }) => {
    await page.goto("/login");
    await page.getByRole("button", { name: "English" }).click();
    await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
    await expect(page.getByLabel("Customer ID or e-mail")).toBeVisible();
    await page.getByRole("button", { name: "Polski" }).click();
    await expect(page.getByRole("heading", { name: "Logowanie" })).toBeVisible();
  });
});
