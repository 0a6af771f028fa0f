import { counts, newestRequest, serviceIdOf, snapshot } from "./db-helpers";
import { E2E_BASE_URL } from "./env";
import { ANNA, BARTOSZ, CELINA, DAWID, expect, openNewestEmail, signIn, test } from "./fixtures";

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
        expect(mail.link).toBe(`${E2E_BASE_URL}/requests/${request?.id}?token=${mail.code}`);
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

    test("Dawid opens the e-mailed link signed out, signs in, lands on the request with his code and accepts", async ({
      page,
      db,
    }) => {
      const serviceId = serviceIdOf(db, "example.pl");
      const request = newestRequest(db, serviceId);
      const id = request?.id as number;
      const mail = await openNewestEmail(page, "dawid@example.test", new RegExp(`\\(request ${id}\\)`));
      const before = snapshot(db, id);

      // A mail scanner fetching the link, and a person opening it signed out, change nothing.
      await page.request.get(mail.link as string);
      await page.goto(mail.link as string);
      // The code left the address at the first request: the sign-in page's callback has none.
      await expect(page).toHaveURL(`/login?callbackUrl=%2Frequests%2F${id}`);
      expect(snapshot(db, id)).toEqual(before);

      await page.getByLabel("Customer ID or e-mail").fill(DAWID);
      await page.getByLabel("Password").fill("demo-password");
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect(page).toHaveURL(`/requests/${id}`);
      await expect(page.getByRole("heading", { name: `Request ${id}` })).toBeVisible();
      await expect(page.getByText("Pending validation")).toBeVisible();
      await expect(page.getByRole("textbox", { name: "Validation code" })).toHaveValue(mail.code as string);
      expect(snapshot(db, id)).toEqual(before);

      await page.getByRole("button", { name: "Accept" }).click();
      await expect(page.getByRole("status")).toContainText(
        `Still awaiting confirmation by Anna Nowak (${ANNA})`,
      );
      await expect(
        page.getByText(`Awaiting confirmation by Anna Nowak (${ANNA})`, { exact: true }),
      ).toBeVisible();
      await expect(page.getByRole("button", { name: "Accept" })).toHaveCount(0);
      expect(db.prepare("SELECT state FROM change_requests WHERE id = ?").pluck().get(id)).toBe("pending");
    });

    test("Anna accepts from My requests with her code: example.pl now has Dawid, and Bartosz is told", async ({
      page,
      db,
    }) => {
      const serviceId = serviceIdOf(db, "example.pl");
      const id = newestRequest(db, serviceId)?.id as number;
      const annaMail = await openNewestEmail(
        page,
        "anna@example.test",
        new RegExp(`example\\.pl \\(request ${id}\\)`),
      );
      // The mailbox copies the code, to paste into the request's form.
      await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
      await page.getByRole("button", { name: "Copy code" }).click();
      await expect(page.getByRole("status")).toHaveText("Copied");
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(annaMail.code);
      await signIn(page, ANNA);
      await page.getByRole("link", { name: "My requests" }).click();
      await expect(page.getByRole("heading", { name: "My requests" })).toBeVisible();
      const row = page.getByRole("row", { name: new RegExp(`^Request ${id} `) });
      await expect(row).toContainText("Awaiting your confirmation");
      await row.getByText("Accept or refuse").click();
      await row
        .getByRole("textbox", { name: `Validation code for request ${id}` })
        .fill(annaMail.code as string);
      await row.getByRole("button", { name: `Accept request ${id}` }).click();
      await expect(page.getByRole("status").filter({ hasText: "everyone confirmed" })).toBeVisible();

      await page.goto("/contacts?q=example.pl");
      const example = page.getByRole("row", { name: /^example\.pl / });
      await expect(example.getByRole("cell").nth(2)).toHaveText(DAWID);

      await page.goto(`/requests/${id}`);
      await expect(page.getByText("Done", { exact: true })).toBeVisible();
      const history = page.getByRole("region", { name: "History" });
      await expect(history).toContainText(`Anna Nowak (${ANNA}) made the request.`);
      await expect(history).toContainText(`Dawid Kowalczyk (${DAWID}) accepted.`);
      await expect(history).toContainText("Everyone confirmed: the contacts were changed.");

      // The old technical contact is told, and so are both confirmers.
      for (const address of ["bartosz@example.test", "dawid@example.test", "anna@example.test"]) {
        const done = await openNewestEmail(
          page,
          address,
          `Contact change request ${id} for example.pl is done`,
        );
        expect(done.subject).toContain("is done");
      }

      // A code that was used no longer opens an answer: the request is done.
      await page.goto(`/requests/${id}?token=${annaMail.code}`);
      await expect(page.getByText("Done", { exact: true })).toBeVisible();
      await expect(page.getByRole("textbox", { name: "Validation code" })).toHaveCount(0);
      await expect(page.getByRole("button", { name: "Accept" })).toHaveCount(0);
    });

    test("Anna takes back the billing contact of shop.example.pl and is the only confirmer", async ({
      page,
      db,
    }) => {
      const serviceId = serviceIdOf(db, "shop.example.pl");
      await signIn(page, ANNA);
      await page.goto(`/contacts/${serviceId}`);
      await expect(page.getByRole("button", { name: "Take back the technical contact" })).toBeVisible();
      const before = newestRequest(db, serviceId)?.id;
      await page.getByRole("button", { name: "Take back the billing contact" }).click();
      // Taking a contact back cannot be undone by its holder: a step shows what it does, first.
      const step = page.getByRole("region", { name: "Check the request before it is registered" });
      await expect(step.getByRole("heading")).toBeFocused();
      await expect(step).toContainText(`Billing: Celina Zielińska (${CELINA}) → Anna Nowak (${ANNA})`);
      await expect(step).toContainText("The previous contact will receive an e-mail");
      expect(newestRequest(db, serviceId)?.id).toBe(before);
      await expect(page.getByRole("button", { name: "Take back the technical contact" })).toHaveCount(0);
      await page.getByRole("button", { name: "Take back the billing contact", exact: true }).click();
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

      // Anna is the only confirmer: her acceptance applies it, and Celina, the old contact, is told.
      await page.goto(mail.link as string);
      await page.getByRole("button", { name: "Accept" }).click();
      await expect(page.getByRole("status")).toContainText("everyone confirmed");
      expect(db.prepare("SELECT billing_id FROM services WHERE id = ?").pluck().get(serviceId)).toBe(
        db.prepare("SELECT id FROM accounts WHERE customer_id = ?").pluck().get(ANNA),
      );
      await openNewestEmail(
        page,
        "celina@example.test",
        `Contact change request ${request?.id} for shop.example.pl is done`,
      );
    });
  });
