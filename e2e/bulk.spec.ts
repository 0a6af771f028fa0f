import type { Browser, Page } from "@playwright/test";
import type Database from "better-sqlite3";
import { countsForServices } from "./db-helpers";
import { E2E_BASE_URL } from "./env";
import { DEMO_PASSWORD, expect, signIn, type TestAccount, test } from "./fixtures";

// Every test works on accounts and services of its own: the demo services belong to guide.spec.ts.
test.describe.configure({ mode: "parallel" });

/** Services named `{tag}-{suffix}.example.org`, all three contacts `owner`, so a search for the tag finds them. */
function createOwnServices(db: Database.Database, owner: TestAccount, tag: string, suffixes: string[]) {
  return suffixes.map((suffix) => {
    const name = `${tag}-${suffix}.example.org`;
    const { id } = db
      .prepare(
        "INSERT INTO services (name, type, admin_id, tech_id, billing_id) VALUES (?, 'domain', ?, ?, ?) RETURNING id",
      )
      .get(name, owner.id, owner.id, owner.id) as { id: number };
    return { id, name };
  });
}

/** The batch the newest request of `serviceId` belongs to. */
function batchOf(db: Database.Database, serviceId: number): number {
  return db
    .prepare("SELECT batch_id FROM change_requests WHERE service_id = ? ORDER BY id DESC LIMIT 1")
    .pluck()
    .get(serviceId) as number;
}

type BatchRow = { id: number; serviceId: number; state: string };

function requestsOfBatch(db: Database.Database, batchId: number): BatchRow[] {
  return db
    .prepare("SELECT id, service_id AS serviceId, state FROM change_requests WHERE batch_id = ? ORDER BY id")
    .all(batchId) as BatchRow[];
}

/** Everything answering a batch could change: to check that opening its link changed nothing. */
function batchSnapshot(db: Database.Database, batchId: number) {
  const requests = "SELECT id FROM change_requests WHERE batch_id = ?";
  return {
    requests: db.prepare("SELECT * FROM change_requests WHERE batch_id = ? ORDER BY id").all(batchId),
    confirmations: db
      .prepare(`SELECT * FROM confirmations WHERE request_id IN (${requests}) ORDER BY id`)
      .all(batchId),
    codes: db.prepare("SELECT * FROM batch_confirmations WHERE batch_id = ? ORDER BY id").all(batchId),
    events: db
      .prepare(`SELECT count(*) FROM request_events WHERE request_id IN (${requests})`)
      .pluck()
      .get(batchId),
    services: db
      .prepare(
        `SELECT * FROM services WHERE id IN (SELECT service_id FROM change_requests WHERE batch_id = ?)`,
      )
      .all(batchId),
  };
}

/** The templates of the e-mails queued for `address` after outbox row `afterId`. */
function emailsTo(db: Database.Database, address: string, afterId: number): string[] {
  return db
    .prepare("SELECT template FROM outbox WHERE to_address = ? AND id > ? ORDER BY id")
    .pluck()
    .all(address, afterId) as string[];
}

/**
 * Opens the newest e-mail to `address` in the development mailbox (found by its outbox row, to
 * spare a page) and returns its batch link, in whichever language it is written, with its code.
 */
async function openBatchEmail(
  page: Page,
  db: Database.Database,
  address: string,
): Promise<{ link: string; code: string }> {
  const id = db.prepare("SELECT max(id) FROM outbox WHERE to_address = ?").pluck().get(address) as number;
  await page.goto(`/dev/mailbox/${id}`);
  const link = page.getByRole("article").locator('a[href*="/requests/batches/"]').first();
  const href = (await link.getAttribute("href")) as string;
  return { link: href, code: new URL(href).searchParams.get("token") as string };
}

/** Signs in through the Polish login page (the browser asks for Polish). */
async function signInPolish(page: Page, customerId: string): Promise<void> {
  await page.context().clearCookies();
  await page.goto("/login");
  await page.getByLabel("Identyfikator klienta lub e-mail").fill(customerId);
  await page.getByLabel("Hasło").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Zaloguj się" }).click();
  await expect(page.getByRole("button", { name: "Wyloguj się" })).toBeVisible();
}

/** A second person at their own computer. */
async function secondPage(browser: Browser, locale = "en-US"): Promise<Page> {
  const context = await browser.newContext({ baseURL: E2E_BASE_URL, locale });
  return context.newPage();
}

test("an owner hands the technical contact of several services over in one batch; the new contact accepts all at once", async ({
  page,
  browser,
  db,
  createAccount,
}) => {
  const owner = createAccount({ name: "Olga Owner" });
  const newcomer = createAccount({ name: "Nina Newcomer" });
  const someoneElse = createAccount();
  const tag = `bulk${owner.customerId.slice(2, 10)}`;
  const [first, second, busy] = createOwnServices(db, owner, tag, ["a", "b", "c"]) as [
    { id: number; name: string },
    { id: number; name: string },
    { id: number; name: string },
  ];
  const counts = () => countsForServices(db, [first.id, second.id, busy.id]);

  // The third service already has a pending technical request: the batch must refuse it.
  await signIn(page, owner.customerId);
  await page.goto(`/contacts/${busy.id}`);
  await page.getByRole("textbox", { name: "Technical contact" }).fill(someoneElse.customerId);
  await page.getByRole("button", { name: "Confirm" }).click();
  await expect(page.getByRole("status")).toContainText("request has been registered");
  const busyRequest = db
    .prepare("SELECT id FROM change_requests WHERE service_id = ?")
    .pluck()
    .get(busy.id) as number;

  await page.goto("/contacts");
  for (const service of [first, second, busy])
    await page.getByRole("checkbox", { name: `Select ${service.name}` }).check();
  await page.getByRole("button", { name: "Change contacts of selected services" }).click();
  await expect(page.getByRole("heading", { name: "Change contacts of several services" })).toBeVisible();
  await expect(page.getByText("Selected: 3 services.")).toBeVisible();
  await expect(page.getByText(first.name)).toBeVisible();

  // Handing over the administrator contact asks first, as the edit form does; going back keeps the fields.
  const before = counts();
  const admin = page.getByRole("textbox", { name: "Administrator contact" });
  await admin.fill(newcomer.customerId);
  await page.getByRole("button", { name: "Confirm" }).click();
  await expect(page.getByRole("heading", { name: "Hand over the administrator role?" })).toBeFocused();
  await expect(page.getByText("3 requests for 3 services would be registered")).toBeVisible();
  await page.getByRole("button", { name: "Go back" }).click();
  await expect(admin).toHaveValue(newcomer.customerId);
  await expect(admin).toBeEditable();
  await admin.fill("");
  expect(counts()).toEqual(before);

  // An unknown customer ID is refused at its field, and nothing is registered.
  const tech = page.getByRole("textbox", { name: "Technical contact" });
  await tech.fill("zz999999-ovh");
  await page.getByRole("button", { name: "Confirm" }).click();
  await expect(page.getByText("Unknown customer ID")).toBeVisible();
  await expect(tech).toHaveAttribute("aria-invalid", "true");
  await expect(tech).toBeFocused();
  expect(counts()).toEqual(before);

  const outboxBefore = db.prepare("SELECT coalesce(max(id), 0) FROM outbox").pluck().get() as number;
  await tech.fill(newcomer.customerId);
  await page.getByRole("button", { name: "Confirm" }).click();
  const notice = page.getByRole("status").filter({ hasText: "requests have been registered" });
  await expect(notice).toContainText("2 requests for 2 services");
  await expect(page.getByRole("region", { name: "1 service refused" })).toContainText(
    `${busy.name} (Domain)Technical contact: Request ${busyRequest} for this contact is still pending validation`,
  );
  const batchId = batchOf(db, first.id);
  expect(batchOf(db, second.id)).toBe(batchId);
  expect(requestsOfBatch(db, batchId).map((r) => r.serviceId)).toEqual([first.id, second.id]);
  // One e-mail with one code per confirmer for the whole batch.
  expect(emailsTo(db, owner.email, outboxBefore)).toEqual(["change-request-batch"]);
  expect(emailsTo(db, newcomer.email, outboxBefore)).toEqual(["change-request-batch"]);

  // Each request of the batch leads to it.
  const [firstRequest] = requestsOfBatch(db, batchId) as [BatchRow];
  await page.goto(`/requests/${firstRequest.id}`);
  await expect(page.getByRole("link", { name: `Batch ${batchId}` })).toHaveAttribute(
    "href",
    `/requests/batches/${batchId}`,
  );

  // The owner confirms too (the technical contact being replaced) and keeps the batch page open.
  const ownerMail = await openBatchEmail(page, db, owner.email);
  await page.goto(ownerMail.link);
  await expect(page.getByRole("heading", { name: `Batch ${batchId}` })).toBeVisible();
  await expect(page.getByRole("textbox", { name: "Validation code" })).toHaveValue(ownerMail.code);
  await page.getByRole("button", { name: "Accept all" }).click();
  await expect(page.getByRole("status")).toContainText("2 still awaiting confirmation by others");

  // The new contact opens the e-mailed link elsewhere: the code leaves the address bar, nothing changes.
  const other = await secondPage(browser);
  const newcomerMail = await openBatchEmail(other, db, newcomer.email);
  await signIn(other, newcomer.customerId);
  const untouched = batchSnapshot(db, batchId);
  await other.goto(newcomerMail.link);
  await expect(other.getByRole("heading", { name: `Batch ${batchId}` })).toBeVisible();
  expect(new URL(other.url()).search).toBe("");
  await expect(other.getByRole("textbox", { name: "Validation code" })).toHaveValue(newcomerMail.code);
  expect(batchSnapshot(db, batchId)).toEqual(untouched);
  await other.getByRole("button", { name: "Accept all" }).click();
  await expect(other.getByRole("status")).toContainText("2 done");
  // Anyone else finds no such batch; odd addresses answer a page or a 404, never an error.
  await signIn(other, someoneElse.customerId);
  expect((await other.goto(`/requests/batches/${batchId}`))?.status()).toBe(404);
  for (const path of [
    "/contacts/bulk?service=%FF&service=-1&service=99999999999999999999",
    "/contacts/bulk?all=1&q=%00&type=__proto__",
    "/requests/batches/99999999999999999999",
    "/requests/batches/1.5",
    `/requests/batches/${batchId}?after=%FF`,
  ]) {
    expect((await other.request.get(path)).status(), path).toBeLessThan(500);
  }
  await other.context().close();

  // The owner's page follows without a reload.
  for (const request of requestsOfBatch(db, batchId)) {
    expect(request.state).toBe("done");
    await expect(
      page
        .getByRole("row", { name: new RegExp(`^Request ${request.id} `) })
        .getByText("Done", { exact: true }),
    ).toBeVisible();
  }
  expect(
    db
      .prepare("SELECT count(*) FROM services WHERE id IN (?, ?) AND tech_id = ?")
      .pluck()
      .get(first.id, second.id, newcomer.id),
  ).toBe(2);
});

test.describe("Polish interface", () => {
  test.use({ locale: "pl-PL" });

  test("all services matching a search, answered request by request, then the rest refused", async ({
    page,
    browser,
    db,
    createAccount,
  }) => {
    const owner = createAccount({ language: "pl", name: "Olek Właściciel" });
    const newcomer = createAccount({ language: "pl", name: "Nowa Osoba" });
    const tag = `hurt${owner.customerId.slice(2, 10)}`;
    const [alpha, beta] = createOwnServices(db, owner, tag, ["alfa", "beta"]) as [
      { id: number; name: string },
      { id: number; name: string },
    ];
    const [outside] = createOwnServices(db, owner, `poza${owner.customerId.slice(2, 10)}`, ["x"]) as [
      { id: number; name: string },
    ];

    await signInPolish(page, owner.customerId);
    await page.goto(`/contacts?q=${tag}`);
    await expect(page.getByRole("heading", { name: "Moje kontakty" })).toBeVisible();
    await page.getByRole("checkbox", { name: "Zaznacz wszystkie usługi pasujące do filtra" }).check();
    await page.getByRole("button", { name: "Zmień kontakty zaznaczonych usług" }).click();
    await expect(page.getByRole("heading", { name: "Zmień kontakty wielu usług" })).toBeVisible();
    await expect(page.getByText(`wyszukiwanie „${tag}”`)).toBeVisible();
    await page.getByRole("textbox", { name: "Kontakt techniczny" }).fill(newcomer.customerId);
    await page.getByRole("button", { name: "Zatwierdź" }).click();
    await expect(page.getByRole("status")).toContainText("Zlecenia zostały zarejestrowane");
    const batchId = batchOf(db, alpha.id);
    const registered = requestsOfBatch(db, batchId);
    expect(registered.map((r) => r.serviceId)).toEqual([alpha.id, beta.id]);
    const [first, second] = registered as [BatchRow, BatchRow];
    expect(
      db.prepare("SELECT count(*) FROM change_requests WHERE service_id = ?").pluck().get(outside.id),
    ).toBe(0);

    const other = await secondPage(browser, "pl-PL");
    const mail = await openBatchEmail(other, db, newcomer.email);
    await signInPolish(other, newcomer.customerId);
    await other.goto(mail.link);
    await expect(other.getByRole("heading", { name: `Pakiet zleceń ${batchId}` })).toBeVisible();
    await other.getByRole("button", { name: `Zaakceptuj zlecenie ${first.id}` }).click();
    await expect(other.getByRole("status")).toContainText(
      "wciąż oczekujące na potwierdzenie przez inne osoby: 1",
    );
    await other.getByRole("button", { name: "Odrzuć wszystkie" }).click();
    await expect(other.getByRole("status")).toContainText("odrzucone: 1");
    await expect(other.getByRole("button", { name: "Odrzuć wszystkie" })).toHaveCount(0);
    await other.context().close();

    const decision = (requestId: number) =>
      db
        .prepare("SELECT decision FROM confirmations WHERE request_id = ? AND account_id = ?")
        .pluck()
        .get(requestId, newcomer.id);
    expect(decision(first.id)).toBe("accepted");
    expect(decision(second.id)).toBe("refused");
    expect(requestsOfBatch(db, batchId).map((r) => r.state)).toEqual(["pending", "refused"]);
  });
});
