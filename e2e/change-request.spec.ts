import type Database from "better-sqlite3";
import { ANNA, BARTOSZ, CELINA, DAWID, EWA, expect, openNewestEmail, signIn, test } from "./fixtures";

type Counts = { requests: number; confirmations: number; outbox: number; events: number };

function counts(db: Database.Database): Counts {
  const one = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
  return {
    requests: one("SELECT count(*) AS n FROM change_requests"),
    confirmations: one("SELECT count(*) AS n FROM confirmations"),
    outbox: one("SELECT count(*) AS n FROM outbox"),
    events: one("SELECT count(*) AS n FROM request_events"),
  };
}

function serviceIdOf(db: Database.Database, name: string): number {
  return (db.prepare("SELECT id FROM services WHERE name = ?").get(name) as { id: number }).id;
}

function newestRequest(db: Database.Database, serviceId: number) {
  return db
    .prepare("SELECT * FROM change_requests WHERE service_id = ? ORDER BY id DESC LIMIT 1")
    .get(serviceId) as
    | { id: number; state: string; changes_tech: number; changes_billing: number }
    | undefined;
}

test.describe
  .serial("the demo guide on example.pl and shop.example.pl", () => {
    test("Anna replaces the technical contact of example.pl; Anna and Dawid each get their own code", async ({
      page,
      db,
    }) => {
      const serviceId = serviceIdOf(db, "example.pl");
      await signIn(page, ANNA);
      await page.goto("/contacts");
      await page.getByRole("link", { name: "Edit contacts of example.pl" }).click();
      await expect(page.getByRole("heading", { name: "Edit contacts" })).toBeVisible();
      await page.getByLabel("Technical contact").fill(DAWID);
      await page.getByRole("button", { name: "Confirm" }).click();
      const notice = page.getByRole("status");
      await expect(notice).toContainText("request has been registered");
      await expect(notice).toContainText(`Anna Nowak (${ANNA})`);
      await expect(notice).toContainText(`Dawid Kowalczyk (${DAWID})`);

      const request = newestRequest(db, serviceId);
      expect(request?.state).toBe("pending");
      expect(request?.changes_tech).toBe(1);
      // Nothing changes until everyone has confirmed.
      expect(db.prepare("SELECT tech_id FROM services WHERE id = ?").pluck().get(serviceId)).toBe(
        db.prepare("SELECT id FROM accounts WHERE customer_id = ?").pluck().get(BARTOSZ),
      );

      const subject = new RegExp(`example\\.pl \\(request ${request?.id}\\)`);
      const annaMail = await openNewestEmail(page, "anna@example.test", subject);
      const dawidMail = await openNewestEmail(page, "dawid@example.test", subject);
      for (const mail of [annaMail, dawidMail]) {
        expect(mail.code).toMatch(/^[A-Za-z0-9_-]{43}$/);
        expect(mail.text).toContain(mail.code as string);
        expect(mail.link).toBe(`http://localhost:3100/requests/${request?.id}?token=${mail.code}`);
      }
      expect(annaMail.code).not.toBe(dawidMail.code);
      // Only hashes are stored: no code appears in the confirmations table.
      const hashes = db
        .prepare("SELECT token_hash FROM confirmations WHERE request_id = ?")
        .pluck()
        .all(request?.id);
      expect(hashes).toHaveLength(2);
      expect(hashes).not.toContain(annaMail.code);
      expect(hashes).not.toContain(dawidMail.code);
    });

    test("a second request for the same service and contact type is refused, naming the pending one", async ({
      page,
      db,
    }) => {
      const serviceId = serviceIdOf(db, "example.pl");
      const pending = newestRequest(db, serviceId);
      const before = counts(db);
      await signIn(page, ANNA);
      await page.goto(`/contacts/${serviceId}`);
      await page.getByLabel("Technical contact").fill(CELINA);
      await page.getByRole("button", { name: "Confirm" }).click();
      await expect(
        page.getByText(`Request ${pending?.id} for this contact is still pending validation`),
      ).toBeVisible();
      await expect(page.getByRole("status")).toHaveCount(0);
      expect(counts(db)).toEqual(before);
      // The page lists the pending request.
      await expect(page.getByRole("link", { name: `Request ${pending?.id}` })).toBeVisible();
    });

    test("Anna takes back the billing contact of shop.example.pl and is the only confirmer", async ({
      page,
      db,
    }) => {
      const serviceId = serviceIdOf(db, "shop.example.pl");
      await signIn(page, ANNA);
      await page.goto(`/contacts/${serviceId}`);
      await expect(page.getByRole("button", { name: "Take back the technical contact" })).toBeVisible();
      await page.getByRole("button", { name: "Take back the billing contact" }).click();
      const notice = page.getByRole("status");
      await expect(notice).toContainText("request has been registered");
      await expect(notice).toContainText(`Anna Nowak (${ANNA})`);
      await expect(notice).not.toContainText(CELINA);
      const request = newestRequest(db, serviceId);
      expect(request?.changes_billing).toBe(1);
      expect(
        db.prepare("SELECT count(*) FROM confirmations WHERE request_id = ?").pluck().get(request?.id),
      ).toBe(1);
      const mail = await openNewestEmail(
        page,
        "anna@example.test",
        new RegExp(`\\(request ${request?.id}\\)`),
      );
      expect(mail.code).toBeTruthy();
    });
  });

test("Bartosz, the technical contact, can change only the technical field", async ({ page, db }) => {
  await signIn(page, BARTOSZ);
  await page.goto(`/contacts/${serviceIdOf(db, "example.pl")}`);
  await expect(page.getByLabel("Technical contact")).toBeEditable();
  await expect(page.getByLabel("Administrator contact")).not.toBeEditable();
  await expect(page.getByLabel("Billing contact")).not.toBeEditable();
  await expect(page.getByRole("button", { name: /^Take back/ })).toHaveCount(0);
});

test("a forged form cannot change a read-only contact or another account's service", async ({
  page,
  db,
  accountId,
  createService,
}) => {
  const service = createService({
    adminId: accountId(ANNA),
    techId: accountId(BARTOSZ),
    billingId: accountId(CELINA),
  });
  const notHis = createService({
    adminId: accountId(ANNA),
    techId: accountId(ANNA),
    billingId: accountId(ANNA),
  });
  await signIn(page, BARTOSZ);
  await page.goto(`/contacts/${service.id}`);
  const before = counts(db);

  // Make the read-only billing field editable, as a hand-crafted request would.
  await page.getByLabel("Billing contact").evaluate((input) => input.removeAttribute("readonly"));
  await page.getByLabel("Billing contact").fill(DAWID);
  await page.getByRole("button", { name: "Confirm" }).click();
  await expect(page.getByText("Your roles do not allow changing this contact.")).toBeVisible();
  expect(counts(db)).toEqual(before);

  // Point the form at a service Bartosz is no contact of.
  await page.reload();
  await page.locator('input[name="serviceId"]').evaluate((input, id) => {
    (input as HTMLInputElement).value = String(id);
  }, notHis.id);
  await page.getByLabel("Technical contact").fill(DAWID);
  await page.getByRole("button", { name: "Confirm" }).click();
  await expect(page.getByText("This service does not exist.")).toBeVisible();
  expect(counts(db)).toEqual(before);
  expect(db.prepare("SELECT tech_id FROM services WHERE id = ?").pluck().get(notHis.id)).toBe(
    accountId(ANNA),
  );
});

test("a billing contact behind with payments is refused without saying whose payments are late", async ({
  page,
  db,
  accountId,
  createService,
}) => {
  const service = createService({
    adminId: accountId(ANNA),
    techId: accountId(ANNA),
    billingId: accountId(ANNA),
  });
  const before = counts(db);
  await signIn(page, ANNA);
  await page.goto(`/contacts/${service.id}`);
  await page.getByLabel("Billing contact").fill(EWA);
  await page.getByRole("button", { name: "Confirm" }).click();
  const message = page.getByText(
    "The billing contact cannot be changed while a payment of the accounts concerned is overdue.",
  );
  await expect(message).toBeVisible();
  await expect(
    page.getByText(EWA, { exact: false }).filter({ hasNot: page.getByRole("textbox") }),
  ).toHaveCount(0);
  expect(counts(db)).toEqual(before);
});

test("bad input is refused next to its field with a clear message and changes nothing", async ({
  page,
  db,
  accountId,
  createService,
}) => {
  const service = createService({
    adminId: accountId(ANNA),
    techId: accountId(ANNA),
    billingId: accountId(BARTOSZ),
  });
  const before = counts(db);
  await signIn(page, ANNA);
  await page.goto(`/contacts/${service.id}`);

  const cases: [string, string, string][] = [
    ["Technical contact", "not-an-id", "Enter a customer ID like aa123456-ovh"],
    ["Technical contact", "zz999999-ovh", "Unknown customer ID"],
    ["Technical contact", ` ${ANNA.toUpperCase()} `, `${ANNA} is already the technical contact`],
    ["Billing contact", BARTOSZ.toUpperCase(), `${BARTOSZ} is already the billing contact`],
  ];
  for (const [label, value, message] of cases) {
    await page.goto(`/contacts/${service.id}`);
    await page.getByLabel(label).fill(value);
    await page.getByRole("button", { name: "Confirm" }).click();
    await expect(page.getByText(message)).toBeVisible();
    await expect(page.getByLabel(label)).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByLabel(label)).toHaveValue(value);
  }

  await page.goto(`/contacts/${service.id}`);
  await page.getByRole("button", { name: "Confirm" }).click();
  await expect(
    page.getByText("Nothing changed: enter a new customer ID in a field you may change."),
  ).toBeVisible();
  expect(counts(db)).toEqual(before);
});

test("one submission changing two contacts to the same account makes one request with both types", async ({
  page,
  db,
  accountId,
  createService,
  createAccount,
}) => {
  const newcomer = createAccount({ language: "pl", name: "Zofia Nowa" });
  const service = createService({
    adminId: accountId(ANNA),
    techId: accountId(BARTOSZ),
    billingId: accountId(BARTOSZ),
  });
  await signIn(page, ANNA);
  await page.goto(`/contacts/${service.id}`);
  await page.getByLabel("Technical contact").fill(newcomer.customerId);
  await page.getByLabel("Billing contact").fill(newcomer.customerId);
  await page.getByRole("button", { name: "Confirm" }).click();
  await expect(page.getByRole("status")).toContainText("request has been registered");
  const requests = db.prepare("SELECT * FROM change_requests WHERE service_id = ?").all(service.id) as {
    id: number;
    changes_tech: number;
    changes_billing: number;
  }[];
  expect(requests).toHaveLength(1);
  expect([requests[0]?.changes_tech, requests[0]?.changes_billing]).toEqual([1, 1]);

  // The new contact's account is Polish: so is the e-mail.
  const mail = await openNewestEmail(page, newcomer.email, new RegExp(service.name.replace(/\./g, "\\.")));
  await expect(page.getByRole("link", { name: "Potwierdź lub odrzuć zgłoszenie" })).toBeVisible();
  expect(mail.text).toContain(ANNA);
});
