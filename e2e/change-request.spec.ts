import { countsForServices, newestRequest, serviceIdOf, snapshot } from "./db-helpers";
import { ANNA, BARTOSZ, CELINA, DAWID, EWA, expect, openNewestEmail, signIn, test } from "./fixtures";

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
  // These services' rows only: tests on the other worker make requests meanwhile.
  const counts = () => countsForServices(db, [service.id, notHis.id]);
  const before = counts();

  // Make the read-only billing field editable, as a hand-crafted request would.
  await page.getByLabel("Billing contact").evaluate((input) => input.removeAttribute("readonly"));
  await page.getByLabel("Billing contact").fill(DAWID);
  await page.getByRole("button", { name: "Confirm" }).click();
  await expect(page.getByText("Your roles do not allow changing this contact.")).toBeVisible();
  expect(counts()).toEqual(before);

  // Point the form at a service Bartosz is no contact of.
  await page.reload();
  await page.locator('input[name="serviceId"]').evaluate((input, id) => {
    (input as HTMLInputElement).value = String(id);
  }, notHis.id);
  await page.getByLabel("Technical contact").fill(DAWID);
  await page.getByRole("button", { name: "Confirm" }).click();
  await expect(page.getByText("This service does not exist.")).toBeVisible();
  expect(counts()).toEqual(before);
  expect(db.prepare("SELECT tech_id FROM services WHERE id = ?").pluck().get(notHis.id)).toBe(
    accountId(ANNA),
  );
});

test("an account behind with payments can be proposed as billing contact; only it is told, when it accepts", async ({
  page,
  db,
  accountId,
  createService,
}) => {
  // Ewa's demo invoice is overdue. Anna must not learn it: the request is registered as any other.
  const service = createService({
    adminId: accountId(ANNA),
    techId: accountId(ANNA),
    billingId: accountId(ANNA),
  });
  await signIn(page, ANNA);
  await page.goto(`/contacts/${service.id}`);
  await page.getByLabel("Billing contact").fill(EWA);
  await page.getByRole("button", { name: "Confirm" }).click();
  await expect(page.getByRole("status")).toContainText("request has been registered");
  await expect(page.getByText(/overdue|payment|invoice/i)).toHaveCount(0);
  const request = newestRequest(db, service.id);
  expect(request?.state).toBe("pending");
  const id = request?.id as number;

  const mail = await openNewestEmail(page, "ewa@example.test", new RegExp(`\\(request ${id}\\)$`));
  await signIn(page, EWA);
  await page.goto(mail.link as string);
  const before = snapshot(db, id);
  await page.getByRole("button", { name: "Accept" }).click();
  await expect(
    page.getByRole("alert").filter({
      hasText: "You cannot become the billing contact while your account has an overdue invoice.",
    }),
  ).toBeVisible();
  // Nothing spent, nothing counted, nothing changed: the request still waits for Ewa.
  expect(snapshot(db, id)).toEqual(before);
  await expect(page.getByRole("textbox", { name: "Validation code" })).toHaveValue(mail.code as string);

  // Ewa can still refuse.
  await page.getByRole("button", { name: "Refuse" }).click();
  await expect(page.getByText("Refused", { exact: true })).toBeVisible();
  expect(newestRequest(db, service.id)?.state).toBe("refused");
  expect(db.prepare("SELECT billing_id FROM services WHERE id = ?").pluck().get(service.id)).toBe(
    accountId(ANNA),
  );
});

test("a new billing contact who pays the overdue invoice can then accept with the same code", async ({
  page,
  db,
  accountId,
  createAccount,
  createService,
}) => {
  const newcomer = createAccount({ name: "Olga Overdue" });
  const invoice = db
    .prepare(
      "INSERT INTO invoices (account_id, reference, amount_cents, due_at, paid_at) VALUES (?, ?, 1000, ?, NULL) RETURNING id",
    )
    .pluck()
    .get(newcomer.id, `E2E-${newcomer.customerId}`, Date.now() - 86_400_000) as number;
  const service = createService({
    adminId: accountId(ANNA),
    techId: accountId(ANNA),
    billingId: accountId(ANNA),
  });
  await signIn(page, ANNA);
  await page.goto(`/contacts/${service.id}`);
  await page.getByLabel("Billing contact").fill(newcomer.customerId);
  await page.getByRole("button", { name: "Confirm" }).click();
  await expect(page.getByRole("status")).toContainText("request has been registered");
  const id = newestRequest(db, service.id)?.id as number;

  const mail = await openNewestEmail(page, newcomer.email, new RegExp(`\\(request ${id}\\)$`));
  await signIn(page, newcomer.customerId);
  await page.goto(mail.link as string);
  await page.getByRole("button", { name: "Accept" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "overdue invoice" })).toBeVisible();
  expect(newestRequest(db, service.id)?.state).toBe("pending");

  db.prepare("UPDATE invoices SET paid_at = ? WHERE id = ?").run(Date.now(), invoice);
  await page.getByRole("button", { name: "Accept" }).click();
  await expect(page.getByRole("status")).toContainText(`Still awaiting confirmation by Anna Nowak (${ANNA})`);
  expect(newestRequest(db, service.id)?.state).toBe("pending");
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
  // This service's rows only: tests on the other worker make requests meanwhile.
  const counts = () => countsForServices(db, [service.id]);
  const before = counts();
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
    // Focus lands on the field to fix, not on the button or the page.
    await expect(page.getByLabel(label)).toBeFocused();
    await expect(page.getByLabel(label)).toHaveValue(value);
  }

  await page.goto(`/contacts/${service.id}`);
  await page.getByRole("button", { name: "Confirm" }).click();
  await expect(
    page.getByText("Nothing changed: enter a new customer ID in a field you may change."),
  ).toBeVisible();
  expect(counts()).toEqual(before);
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
  await expect(page.getByRole("link", { name: "Potwierdź lub odrzuć zlecenie" })).toBeVisible();
  expect(mail.text).toContain(ANNA);
});

test("handing over the administrator contact asks first, with what the new one may do; going back changes nothing", async ({
  page,
  db,
  accountId,
  createAccount,
  createService,
}) => {
  const newcomer = createAccount();
  const service = createService({
    adminId: accountId(ANNA),
    techId: accountId(BARTOSZ),
    billingId: accountId(CELINA),
  });
  const before = countsForServices(db, [service.id]);
  await signIn(page, ANNA);
  await page.goto(`/contacts/${service.id}`);
  const admin = page.getByLabel("Administrator contact");
  const confirm = page.getByRole("button", { name: "Confirm", exact: true });
  const step = page.getByRole("region", { name: "Hand over the administrator role?" });
  await admin.fill(newcomer.customerId);
  // Enter in a field submits as "Confirm" does, not as the "Take back" button beside a field.
  await admin.press("Enter");
  await expect(step.getByRole("heading")).toBeFocused();
  await expect(step).toContainText(`Administrator: Anna Nowak (${ANNA}) → `);
  await expect(step).toContainText("will have rights to modify all contacts");
  // One button of each name: the step's own "Confirm"; the form's and the take-backs are gone.
  await expect(confirm).toHaveCount(1);
  await expect(page.getByRole("button", { name: /^Take back/ })).toHaveCount(0);
  await expect(admin).not.toBeEditable();
  expect(countsForServices(db, [service.id])).toEqual(before);

  await page.getByRole("button", { name: "Go back" }).click();
  await expect(step).toHaveCount(0);
  await expect(admin).toBeEditable();
  await expect(admin).toHaveValue(newcomer.customerId);
  // While the step shows, Enter in a field goes back rather than confirming.
  await confirm.click();
  await expect(step).toBeVisible();
  await admin.press("Enter");
  await expect(step).toHaveCount(0);
  expect(countsForServices(db, [service.id])).toEqual(before);

  await confirm.click();
  await expect(step).toBeVisible();
  await confirm.click();
  await expect(page.getByRole("status")).toContainText("request has been registered");
  expect(
    db.prepare("SELECT changes_admin FROM change_requests WHERE service_id = ?").pluck().all(service.id),
  ).toEqual([1]);
});
