import { randomUUID } from "node:crypto";
import type { APIRequestContext } from "@playwright/test";
import type Database from "better-sqlite3";
import { Webhook } from "standardwebhooks";
import { newestRequest } from "./db-helpers";
import { E2E_RESEND_WEBHOOK_SECRET } from "./env";
import { expect, signIn, test } from "./fixtures";

/** A Resend event about an e-mail to `to`, as its webhooks send it. */
function resendEvent(type: "email.bounced" | "email.complained", to: string): string {
  return JSON.stringify({
    type,
    created_at: new Date().toISOString(),
    data: {
      email_id: randomUUID(),
      from: "Service Contacts <noreply@example.test>",
      to: [to],
      subject: "Confirm the contact change",
      created_at: new Date().toISOString(),
      ...(type === "email.bounced" ? { bounce: { type: "Permanent", subType: "General" } } : {}),
    },
  });
}

/** Posts `body` to the app's Resend webhook, signed with `secret` as Resend (svix) signs it. */
function postWebhook(request: APIRequestContext, body: string, secret = E2E_RESEND_WEBHOOK_SECRET) {
  const id = `msg_${randomUUID()}`;
  const now = new Date();
  return request.post("/api/webhooks/resend", {
    data: body,
    headers: {
      "content-type": "application/json",
      "svix-id": id,
      "svix-timestamp": String(Math.floor(now.getTime() / 1000)),
      "svix-signature": new Webhook(secret).sign(id, now, body),
    },
  });
}

function markOf(db: Database.Database, accountId: number) {
  return db.prepare("SELECT email_undeliverable AS kind FROM accounts WHERE id = ?").get(accountId) as {
    kind: string | null;
  };
}

test("a bounce Resend reports shows on the profile, and a wrongly signed one changes nothing", async ({
  page,
  db,
  createAccount,
}) => {
  const paula = createAccount({ name: "Paula Bounce" });
  const forged = await postWebhook(
    page.request,
    resendEvent("email.bounced", paula.email),
    `whsec_${Buffer.from("not-the-secret-resend-was-given!").toString("base64")}`,
  );
  expect(forged.status()).toBe(401);
  expect(markOf(db, paula.id).kind).toBeNull();

  const reported = await postWebhook(page.request, resendEvent("email.bounced", paula.email));
  expect(reported.status()).toBe(200);
  expect(markOf(db, paula.id).kind).toBe("bounced");

  await signIn(page, paula.customerId);
  await page.goto("/profile");
  const notice = page.getByText("E-mails to this address bounced");
  await expect(notice).toBeVisible();
  // Read with the field: a screen reader announces it on the "E-mail" textbox.
  await expect(page.getByRole("textbox", { name: "E-mail" })).toHaveAccessibleDescription(
    /E-mails to this address bounced/,
  );
});

test("a request waiting for a confirmer whose e-mails bounce tells the asker why, and the confirmer what to do", async ({
  page,
  db,
  createAccount,
  createService,
}) => {
  const asker = createAccount({ name: "Adam Asker" });
  const oldTech = createAccount();
  const newcomer = createAccount({ name: "Nina Newcomer" });
  const service = createService({ adminId: asker.id, techId: oldTech.id, billingId: asker.id });
  await signIn(page, asker.customerId);
  await page.goto(`/contacts/${service.id}`);
  await page.getByRole("textbox", { name: "Technical contact" }).fill(newcomer.customerId);
  await page.getByRole("button", { name: "Confirm" }).click();
  await expect(page.getByRole("status")).toContainText("request has been registered");
  const id = newestRequest(db, service.id)?.id as number;

  expect((await postWebhook(page.request, resendEvent("email.complained", newcomer.email))).status()).toBe(
    200,
  );

  // The asker learns whose e-mails do not arrive, never the address nor that it was a spam report.
  const told = `E-mails to Nina Newcomer (${newcomer.customerId}) bounce, so the validation code may not arrive`;
  await page.goto(`/requests/${id}`);
  await expect(page.getByRole("heading", { name: `Request ${id}` })).toBeVisible();
  await expect(page.getByText(told)).toBeVisible();
  await expect(page.getByText(newcomer.email)).toHaveCount(0);
  await expect(page.getByText(/spam/)).toHaveCount(0);
  await page.goto("/requests");
  const row = page.getByRole("row", { name: new RegExp(`^Request ${id} `) });
  await expect(row).toContainText(`E-mails to Nina Newcomer (${newcomer.customerId}) bounce`);

  // The confirmer is told about their own address, and where to change it.
  await signIn(page, newcomer.customerId);
  await page.goto(`/requests/${id}`);
  await expect(page.getByText("E-mails to your address were marked as spam")).toBeVisible();
  await page.getByRole("link", { name: "Change your e-mail address" }).click();
  await expect(page.getByText("E-mails to this address were marked as spam")).toBeVisible();
});
