import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { newestRequest } from "./db-helpers";
import { expect, signIn, test } from "./fixtures";

/** How far the page itself scrolls sideways: 0 when everything wide scrolls inside its own box. */
const sidewaysOverflow = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

test("on phones (360–414 px) no page scrolls sideways, and axe finds nothing serious at 390 px", async ({
  page,
  db,
  createAccount,
  createService,
}, testInfo) => {
  const owner = createAccount({ name: "Paula Phone" });
  const newcomer = createAccount({ name: "Nikodem Newcomer-Długonazwisko" });
  const services = [0, 1, 2].map(() =>
    createService({ adminId: owner.id, techId: owner.id, billingId: owner.id, type: "web_hosting" }),
  );
  const service = services[0] as { id: number; name: string };
  await signIn(page, owner.customerId);
  await page.goto(`/contacts/${service.id}`);
  await page.getByRole("textbox", { name: "Technical contact" }).fill(newcomer.customerId);
  await page.getByRole("button", { name: "Confirm" }).click();
  await expect(page.getByRole("status")).toContainText("request has been registered");
  const requestId = newestRequest(db, service.id)?.id as number;

  const pages = ["/contacts", "/requests", `/requests/${requestId}`, `/contacts/${service.id}`, "/profile"];
  for (const width of [360, 390, 414]) {
    await page.setViewportSize({ width, height: 800 });
    for (const path of pages) {
      await page.goto(path);
      await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
      expect(await sidewaysOverflow(page), `${path} at ${width} px`).toBe(0);
      if (width !== 390) continue;
      await page.screenshot({
        path: testInfo.outputPath(`${path.replaceAll("/", "_")}-390.png`),
        fullPage: true,
      });
      const { violations } = await new AxeBuilder({ page }).analyze();
      const serious = violations
        .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
        .map(
          (violation) =>
            `${violation.id}: ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`,
        );
      expect(serious, `${path} at 390 px`).toEqual([]);
    }
  }
});
