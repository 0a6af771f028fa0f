import type { Page } from "@playwright/test";
import type Database from "better-sqlite3";
import { newestRequest, snapshot } from "./db-helpers";
import {
  ANNA,
  DEMO_PASSWORD,
  EWA,
  expect,
  openNewestEmail,
  signIn,
  type TestAccount,
  type TestService,
  test,
} from "./fixtures";

// Every test works on services and accounts of its own: the demo services belong to guide.spec.ts.
test.describe.configure({ mode: "parallel" });

/** An alert with this text (Next.js's route announcer is an alert too). */
const alert = (page: Page, text: string) => page.getByRole("alert").filter({ hasText: text });

/** Signs out (by dropping the session cookie) and signs in as another account. */
async function switchTo(page: Page, customerId: string): Promise<void> {
  await page.context().clearCookies();
  await signIn(page, customerId);
}

/** Anna, the service's administrator, names `newContact` as its technical contact; returns the request id. */
async function annaReplacesTech(
  page: Page,
  db: Database.Database,
  service: TestService,
  newContact: TestAccount,
): Promise<number> {
  await switchTo(page, ANNA);
  await page.goto(`/contacts/${service.id}`);
  await expect(page.getByRole("heading", { name: "Edit contacts" })).toBeVisible();
  await page.getByRole("textbox", { name: "Technical contact" }).fill(newContact.customerId);
  await page.getByRole("button", { name: "Confirm" }).click();
  await expect(page.getByRole("status")).toContainText("request has been registered");
  const request = newestRequest(db, service.id);
  expect(request?.state).toBe("pending");
  return request?.id as number;
}

type RequestSetup = Pick<
  Parameters<Parameters<typeof test>[2]>[0],
  "page" | "db" | "accountId" | "createAccount" | "createService"
>;

/** A fresh service (Anna admin, a fresh technical contact) and Anna's request to hand tech to a fresh newcomer. */
async function newcomerRequest(
  { page, db, accountId, createAccount, createService }: RequestSetup,
  { newcomerName }: { newcomerName?: string } = {},
) {
  const oldTech = createAccount();
  const newcomer = createAccount({ name: newcomerName });
  const service = createService({ adminId: accountId(ANNA), techId: oldTech.id, billingId: accountId(ANNA) });
  const id = await annaReplacesTech(page, db, service, newcomer);
  return { oldTech, newcomer, service, id };
}

/** The subject of the e-mails asking for a confirmation of request `id`. */
const askSubject = (id: number) => new RegExp(`\\(request ${id}\\)$`);

function techOf(db: Database.Database, serviceId: number): number {
  return db.prepare("SELECT tech_id FROM services WHERE id = ?").pluck().get(serviceId) as number;
}

test("the new contact refuses: the request ends refused, everyone is told, nothing changes", async ({
  page,
  db,
  accountId,
  createAccount,
  createService,
}) => {
  const oldTech = createAccount({ name: "Olaf Old" });
  const newcomer = createAccount({ name: "Xavier New" });
  const service = createService({ adminId: accountId(ANNA), techId: oldTech.id, billingId: accountId(ANNA) });
  const id = await annaReplacesTech(page, db, service, newcomer);
  const annaMail = await openNewestEmail(page, "anna@example.test", askSubject(id));
  const mail = await openNewestEmail(page, newcomer.email, askSubject(id));

  await switchTo(page, newcomer.customerId);
  await page.goto(mail.link as string);
  await expect(page.getByRole("heading", { name: `Request ${id}` })).toBeVisible();
  await expect(page.getByRole("textbox", { name: "Validation code" })).toHaveValue(mail.code as string);
  await page.getByRole("button", { name: "Refuse" }).click();
  await expect(page.getByRole("status")).toContainText("You refused the request.");
  await expect(page.getByText("Refused", { exact: true })).toBeVisible();
  await expect(page.getByRole("region", { name: "History" })).toContainText(
    `Xavier New (${newcomer.customerId}) refused: the request ended.`,
  );
  expect(newestRequest(db, service.id)?.state).toBe("refused");

  // Anna (who asked) and the old technical contact are told; the new contact is too.
  for (const address of ["anna@example.test", oldTech.email, newcomer.email]) {
    const ended = await openNewestEmail(page, address, `Contact change request ${id} for ${service.name}`);
    expect(ended.subject, address).toBe(`Contact change request ${id} for ${service.name} was refused`);
  }

  // The technical contact is unchanged.
  expect(techOf(db, service.id)).toBe(oldTech.id);
  await switchTo(page, ANNA);
  await page.goto(`/contacts?q=${service.name}`);
  const serviceRow = page.getByRole("row", { name: new RegExp(`^${service.name.replace(/\./g, "\\.")} `) });
  await expect(serviceRow.getByRole("cell").nth(2)).toHaveText(oldTech.customerId);

  // Anna's code, never used, no longer offers an answer.
  await page.goto(annaMail.link as string);
  await expect(page.getByText("Refused", { exact: true })).toBeVisible();
  await expect(page.getByRole("textbox", { name: "Validation code" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Accept" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Refuse" })).toHaveCount(0);
});

test("a resend issues a new code, the first one stops working, and a second resend must wait", async ({
  page,
  db,
  accountId,
  createAccount,
  createService,
}) => {
  const { newcomer, service, id } = await newcomerRequest({
    page,
    db,
    accountId,
    createAccount,
    createService,
  });
  const first = await openNewestEmail(page, newcomer.email, askSubject(id));

  // The first resend may follow the request at once (the usual reason: an outdated address).
  await switchTo(page, ANNA);
  await page.goto(`/requests/${id}`);
  await page.getByRole("button", { name: "Resend request" }).click();
  await expect(page.getByRole("status")).toContainText("New validation codes were sent to");
  await expect(page.getByRole("status")).toContainText(newcomer.customerId);
  // Straight after, a second resend is refused.
  await page.getByRole("button", { name: "Resend request" }).click();
  await expect(alert(page, "The request was resent less than a minute ago.")).toBeVisible();
  expect(
    db
      .prepare("SELECT count(*) FROM request_events WHERE request_id = ? AND kind = 'resent'")
      .pluck()
      .get(id),
  ).toBe(1);

  const second = await openNewestEmail(page, newcomer.email, askSubject(id));
  expect(second.text).toContain("the previous code no longer works");
  expect(second.code).toBeTruthy();
  expect(second.code).not.toBe(first.code);

  await switchTo(page, newcomer.customerId);
  await page.goto(first.link as string);
  await page.getByRole("button", { name: "Accept" }).click();
  await expect(alert(page, "This validation code is not right.")).toBeVisible();
  expect(newestRequest(db, service.id)?.state).toBe("pending");

  await page.getByRole("textbox", { name: "Validation code" }).fill(second.code as string);
  await page.getByRole("button", { name: "Accept" }).click();
  await expect(page.getByRole("status")).toContainText(`Still awaiting confirmation by Anna Nowak (${ANNA})`);
  expect(
    db
      .prepare("SELECT decision FROM confirmations WHERE request_id = ? AND account_id = ?")
      .pluck()
      .get(id, newcomer.id),
  ).toBe("accepted");
});

test("the requester cancels: everyone is told and a new request for the contact is possible", async ({
  page,
  db,
  accountId,
  createAccount,
  createService,
}) => {
  const { oldTech, newcomer, service, id } = await newcomerRequest({
    page,
    db,
    accountId,
    createAccount,
    createService,
  });

  // The new contact neither asked nor administers the service: no cancel for them.
  await switchTo(page, newcomer.customerId);
  await page.goto(`/requests/${id}`);
  await expect(page.getByRole("heading", { name: `Request ${id}` })).toBeVisible();
  await expect(page.getByRole("button", { name: "Resend request" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Cancel request" })).toHaveCount(0);
  await page.goto("/requests");
  await expect(page.getByRole("link", { name: `Request ${id}` })).toBeVisible();
  await expect(page.getByRole("button", { name: `Resend request ${id}` })).toBeVisible();
  await expect(page.getByRole("button", { name: `Cancel request ${id}` })).toHaveCount(0);

  await switchTo(page, ANNA);
  // In My requests' row too, the first press only asks, in the row; "Keep request {id}" keeps it.
  await page.goto("/requests");
  const rowCancel = page.getByRole("button", { name: `Cancel request ${id}`, exact: true });
  const rowStep = page.getByRole("region", { name: "Cancel this request?" });
  await rowCancel.click();
  await expect(rowStep).toContainText(`Request ${id} for ${service.name} ends as cancelled`);
  await expect(rowCancel).toHaveCount(1);
  await page.getByRole("button", { name: `Keep request ${id}` }).click();
  await expect(rowStep).toHaveCount(0);
  expect(newestRequest(db, service.id)?.state).toBe("pending");

  await page.goto(`/requests/${id}`);
  // The first press only asks; "Keep the request" keeps it.
  const cancel = page.getByRole("button", { name: "Cancel request", exact: true });
  const step = page.getByRole("region", { name: "Cancel this request?" });
  await cancel.click();
  await expect(step.getByRole("heading")).toBeFocused();
  await expect(step).toContainText(`Request ${id} for ${service.name} ends as cancelled`);
  await expect(cancel).toHaveCount(1);
  await expect(page.getByRole("button", { name: "Resend request" })).toHaveCount(0);
  await page.getByRole("button", { name: "Keep the request" }).click();
  await expect(step).toHaveCount(0);
  expect(newestRequest(db, service.id)?.state).toBe("pending");
  await cancel.click();
  await expect(step).toBeVisible();
  await cancel.click();
  await expect(page.getByRole("status")).toContainText("The request has been cancelled.");
  await expect(page.getByText("Cancelled", { exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: "Cancel request" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Resend request" })).toHaveCount(0);
  await expect(page.getByRole("region", { name: "History" })).toContainText(
    `The request was cancelled (Anna Nowak (${ANNA})); reason: withdrawn by the account that asked, or by the service's administrator.`,
  );
  expect(newestRequest(db, service.id)?.state).toBe("cancelled");

  for (const address of ["anna@example.test", oldTech.email, newcomer.email]) {
    const ended = await openNewestEmail(page, address, `Contact change request ${id} for ${service.name}`);
    expect(ended.subject, address).toBe(`Contact change request ${id} for ${service.name} was cancelled`);
  }
  expect(techOf(db, service.id)).toBe(oldTech.id);

  // The cancelled request no longer blocks a new one for the technical contact.
  const again = await annaReplacesTech(page, db, service, newcomer);
  expect(again).not.toBe(id);
});

test("five wrong codes lock the code, even the right one; a resend unlocks with a new code", async ({
  page,
  db,
  accountId,
  createAccount,
  createService,
}) => {
  const { newcomer, id } = await newcomerRequest({
    page,
    db,
    accountId,
    createAccount,
    createService,
  });
  const mail = await openNewestEmail(page, newcomer.email, askSubject(id));

  await switchTo(page, newcomer.customerId);
  await page.goto(`/requests/${id}`);
  const left = [
    "4 attempts left.",
    "3 attempts left.",
    "2 attempts left.",
    "1 attempt left.",
    "No attempt is left",
  ];
  for (const [attempt, message] of left.entries()) {
    await page.getByRole("textbox", { name: "Validation code" }).fill(`wrong-code-${attempt}`);
    await page.getByRole("button", { name: "Accept" }).click();
    await expect(alert(page, "This validation code is not right.")).toContainText(message);
  }
  await expect(alert(page, "Too many wrong codes")).toBeVisible();

  // The e-mailed link, with the right code, now only says the code is locked.
  await page.goto(mail.link as string);
  await expect(
    alert(
      page,
      "Too many wrong codes: this code is locked. Ask for the request to be resent to get a new code.",
    ),
  ).toBeVisible();
  await expect(page.getByRole("button", { name: "Accept" })).toHaveCount(0);

  // From My requests, the right code is refused as locked too.
  await page.goto("/requests");
  const row = page.getByRole("row", { name: new RegExp(`^Request ${id} `) });
  await row.getByText("Accept or refuse").click();
  await row.getByRole("textbox", { name: `Validation code for request ${id}` }).fill(mail.code as string);
  await row.getByRole("button", { name: `Accept request ${id}` }).click();
  await expect(row.getByRole("alert")).toContainText("Too many wrong codes");
  expect(
    db
      .prepare("SELECT decision FROM confirmations WHERE request_id = ? AND account_id = ?")
      .pluck()
      .get(id, newcomer.id),
  ).toBeNull();
  await page.goto(`/requests/${id}`);
  await expect(page.getByRole("region", { name: "History" })).toContainText(
    "entered a wrong validation code for the fifth time: the code is locked.",
  );

  // Anna resends: a new code, which works.
  await switchTo(page, ANNA);
  await page.goto(`/requests/${id}`);
  await page.getByRole("button", { name: "Resend request" }).click();
  await expect(page.getByRole("status")).toContainText("New validation codes were sent to");
  const fresh = await openNewestEmail(page, newcomer.email, askSubject(id));
  expect(fresh.code).not.toBe(mail.code);

  await switchTo(page, newcomer.customerId);
  await page.goto(fresh.link as string);
  await expect(page.getByRole("textbox", { name: "Validation code" })).toHaveValue(fresh.code as string);
  await page.getByRole("button", { name: "Accept" }).click();
  await expect(page.getByRole("status")).toContainText(`Still awaiting confirmation by Anna Nowak (${ANNA})`);
});

test("someone unrelated gets a 404 on the request, with or without a code, and does not see it listed", async ({
  page,
  db,
  accountId,
  createAccount,
  createService,
}) => {
  const { newcomer, service, id } = await newcomerRequest({
    page,
    db,
    accountId,
    createAccount,
    createService,
  });
  const mail = await openNewestEmail(page, newcomer.email, askSubject(id));
  const before = snapshot(db, id);

  await switchTo(page, EWA);
  for (const address of [`/requests/${id}`, `/requests/${id}?token=${mail.code}`]) {
    const response = await page.goto(address);
    expect(response?.status(), address).toBe(404);
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
    await expect(page.getByText(service.name)).toHaveCount(0);
  }
  await page.goto("/requests");
  await expect(page.getByRole("heading", { name: "My requests" })).toBeVisible();
  await expect(page.getByRole("link", { name: `Request ${id}` })).toHaveCount(0);
  await expect(page.getByText(service.name)).toHaveCount(0);

  // A fresh account with nothing at all sees an empty list.
  const stranger = createAccount();
  await switchTo(page, stranger.customerId);
  await page.goto("/requests");
  await expect(page.getByText("No contact change request concerns you yet.")).toBeVisible();
  expect(snapshot(db, id)).toEqual(before);
});

test("opening the e-mailed link signed in changes nothing until a button is clicked", async ({
  page,
  db,
  accountId,
  createAccount,
  createService,
}) => {
  const { newcomer, service, id } = await newcomerRequest({
    page,
    db,
    accountId,
    createAccount,
    createService,
  });
  const mail = await openNewestEmail(page, newcomer.email, askSubject(id));

  await switchTo(page, newcomer.customerId);
  const before = snapshot(db, id);
  await page.goto(mail.link as string);
  await expect(page.getByRole("heading", { name: `Request ${id}` })).toBeVisible();
  await expect(page.getByText("Pending validation", { exact: true })).toBeVisible();
  await expect(
    page.getByText(`Awaiting your confirmation and confirmation by Anna Nowak (${ANNA})`, { exact: true }),
  ).toBeVisible();
  await expect(page.getByRole("textbox", { name: "Validation code" })).toHaveValue(mail.code as string);
  await page.reload();
  await expect(page.getByRole("textbox", { name: "Validation code" })).toHaveValue(mail.code as string);
  expect(snapshot(db, id)).toEqual(before);

  await page.getByRole("button", { name: "Accept" }).click();
  await expect(page.getByRole("status")).toContainText(`Still awaiting confirmation by Anna Nowak (${ANNA})`);
  expect(snapshot(db, id)).not.toEqual(before);
  expect(newestRequest(db, service.id)?.state).toBe("pending");
});

test("in Polish: the new contact's e-mail, request page and final e-mail are in Polish", async ({
  page,
  db,
  accountId,
  createAccount,
  createService,
}) => {
  const oldTech = createAccount();
  const newcomer = createAccount({ language: "pl", name: "Zofia Polska" });
  const service = createService({ adminId: accountId(ANNA), techId: oldTech.id, billingId: accountId(ANNA) });
  const id = await annaReplacesTech(page, db, service, newcomer);

  // openNewestEmail reads the English link only: read the Polish one here.
  const mail = await openNewestEmail(page, newcomer.email, `(zlecenie nr ${id})`);
  expect(mail.subject).toBe(
    `Potwierdź lub odrzuć zmianę kontaktu usługi ${service.name} (zlecenie nr ${id})`,
  );
  const link = page.getByRole("article").getByRole("link", { name: "Potwierdź lub odrzuć zlecenie" });
  const href = (await link.getAttribute("href")) as string;
  const code = new URL(href).searchParams.get("token") as string;
  expect(code).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(mail.text).toContain(code);

  // Signed out, the link leads through the sign-in page back to the request.
  await page.context().clearCookies();
  await page.goto(href);
  await expect(page).toHaveURL(/\/login\?callbackUrl=/);
  await page.getByLabel("Customer ID or e-mail").fill(newcomer.customerId);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: `Zlecenie ${id}` })).toBeVisible();
  await expect(page.getByText("W oczekiwaniu na zatwierdzenie", { exact: true })).toBeVisible();
  await expect(page.getByRole("textbox", { name: "Kod potwierdzający" })).toHaveValue(code);
  await page.getByRole("button", { name: "Zaakceptuj" }).click();
  await expect(page.getByRole("status")).toContainText(
    `Zlecenie wciąż oczekuje na potwierdzenie od: Anna Nowak (${ANNA})`,
  );

  // The mailbox speaks the signed-in account's language, and openNewestEmail reads English.
  await switchTo(page, ANNA);
  const annaMail = await openNewestEmail(page, "anna@example.test", askSubject(id));
  await page.goto(annaMail.link as string);
  await page.getByRole("button", { name: "Accept" }).click();
  await expect(page.getByRole("status")).toContainText("everyone confirmed");
  expect(techOf(db, service.id)).toBe(newcomer.id);

  const done = await openNewestEmail(page, newcomer.email, `Zlecenie nr ${id} dla usługi ${service.name}`);
  expect(done.subject).toBe(`Zlecenie nr ${id} dla usługi ${service.name} zostało zakończone`);
  expect(done.text).toContain("zmiana została wprowadzona");
  // The others are English accounts.
  const oldTechDone = await openNewestEmail(page, oldTech.email, `Contact change request ${id}`);
  expect(oldTechDone.subject).toBe(`Contact change request ${id} for ${service.name} is done`);
});

test("My requests: the status filter, who each pending request awaits, by name, and a lasting notice after accepting from a filtered list", async ({
  page,
  db,
  accountId,
  createAccount,
  createService,
}) => {
  const oldTech = createAccount({ name: "Olga Oldtech" });
  const user = createAccount({ name: "Filter User" });
  const services = [0, 1, 2].map(() =>
    createService({ adminId: accountId(ANNA), techId: oldTech.id, billingId: accountId(ANNA) }),
  );
  const [doneSvc, awaitingUserSvc, awaitingAnnaSvc] = services as [TestService, TestService, TestService];
  const doneId = await annaReplacesTech(page, db, doneSvc, user);
  const awaitingUserId = await annaReplacesTech(page, db, awaitingUserSvc, user);
  const awaitingAnnaId = await annaReplacesTech(page, db, awaitingAnnaSvc, user);

  // The user accepts two of the three; Anna completes the first.
  const userDone = await openNewestEmail(page, user.email, askSubject(doneId));
  const userAwaitingAnna = await openNewestEmail(page, user.email, askSubject(awaitingAnnaId));
  await switchTo(page, user.customerId);
  for (const mail of [userDone, userAwaitingAnna]) {
    await page.goto(mail.link as string);
    await page.getByRole("button", { name: "Accept" }).click();
    await expect(page.getByRole("status")).toContainText(
      `Still awaiting confirmation by Anna Nowak (${ANNA})`,
    );
  }
  const annaDone = await openNewestEmail(page, "anna@example.test", askSubject(doneId));
  await switchTo(page, ANNA);
  await page.goto(annaDone.link as string);
  await page.getByRole("button", { name: "Accept" }).click();
  await expect(page.getByRole("status")).toContainText("everyone confirmed");

  const userAwaiting = await openNewestEmail(page, user.email, askSubject(awaitingUserId));
  await switchTo(page, user.customerId);
  await page.getByRole("link", { name: "My requests" }).click();
  await expect(page.getByRole("heading", { name: "My requests" })).toBeVisible();
  const status = page.getByRole("combobox", { name: "Request status" });
  await expect(status).toHaveValue("all");
  const row = (id: number) => page.getByRole("row", { name: new RegExp(`^Request ${id} `) });
  const requestLinks = page.getByRole("link", { name: /^Request \d+$/ });

  await expect(requestLinks).toHaveCount(3);
  // Awaiting the user first, then newest first.
  await expect(requestLinks).toHaveText([
    `Request ${awaitingUserId}`,
    `Request ${awaitingAnnaId}`,
    `Request ${doneId}`,
  ]);
  await expect(row(awaitingUserId)).toContainText("Awaiting your confirmation");
  await expect(row(awaitingAnnaId)).toContainText(`Awaiting confirmation by Anna Nowak (${ANNA})`);
  await expect(row(doneId)).toContainText("Done");

  const filterBy = async (label: string, value: string) => {
    await status.selectOption({ label });
    await page.getByRole("button", { name: "Show" }).click();
    await expect(page).toHaveURL(new RegExp(`/requests\\?status=${value}$`));
    await expect(status).toHaveValue(value);
  };

  await filterBy("Done", "done");
  await expect(requestLinks).toHaveText([`Request ${doneId}`]);

  await filterBy("Awaiting my confirmation", "awaiting_me");
  await expect(requestLinks).toHaveText([`Request ${awaitingUserId}`]);
  await expect(row(awaitingUserId)).toContainText("Awaiting your confirmation");
  // People by name beside their customer ID.
  await expect(row(awaitingUserId)).toContainText(`Olga Oldtech (${oldTech.customerId})`);
  await expect(row(awaitingUserId)).toContainText(`Filter User (${user.customerId})`);

  // Accepted from the filtered list, the row leaves it; a notice says what happened, and stays.
  const awaiting = row(awaitingUserId);
  await awaiting.getByText("Accept or refuse").click();
  await awaiting
    .getByRole("textbox", { name: `Validation code for request ${awaitingUserId}` })
    .fill(userAwaiting.code as string);
  await awaiting.getByRole("button", { name: `Accept request ${awaitingUserId}` }).click();
  const notice = page.getByRole("status").filter({ hasText: `Request ${awaitingUserId}` });
  await expect(notice).toHaveText(
    `Request ${awaitingUserId} (${awaitingUserSvc.name}): you accepted it; it still waits for Anna Nowak (${ANNA}).`,
  );
  await expect(requestLinks).toHaveCount(0);
  // The list re-rendered without the row; the notice outlives it.
  await expect(page.getByText("No request matches this filter.")).toBeVisible();
  await expect(notice).toBeVisible();

  await filterBy("Pending validation", "pending");
  await expect(notice).toHaveCount(0);
  await expect(requestLinks).toHaveText([`Request ${awaitingAnnaId}`, `Request ${awaitingUserId}`]);

  await filterBy("Refused", "refused");
  await expect(requestLinks).toHaveCount(0);
  await expect(page.getByText("No request matches this filter.")).toBeVisible();

  await filterBy("All requests", "all");
  await expect(requestLinks).toHaveCount(3);
  await expect(page.getByText("1–3 of 3", { exact: true })).toBeVisible();
});

test("My requests pages with Next page and Previous page, the newest awaiting the user first", async ({
  page,
  db,
  accountId,
  createAccount,
  createService,
}) => {
  const oldTech = createAccount();
  const user = createAccount({ name: "Paging User" });
  const anna = accountId(ANNA);
  // 60 requests for the user to become a technical contact: every other one awaits the user's
  // answer, the others are done. Written straight to the database, oldest first.
  const insertRequest = db.prepare(
    `INSERT INTO change_requests (service_id, service_admin_id, requested_by_id, old_contact_id, new_contact_id,
       changes_tech, state, expires_at, ended_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?) RETURNING id`,
  );
  const insertConfirmation = db.prepare(
    `INSERT INTO confirmations (request_id, account_id, token_hash, token_issued_at, decision, decided_at,
       is_request_pending) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const now = Date.now();
  const awaiting: number[] = [];
  const all: number[] = [];
  db.transaction(() => {
    for (let i = 0; i < 60; i++) {
      const service = createService({ adminId: anna, techId: oldTech.id, billingId: anna });
      const isPending = i % 2 === 0;
      const { id } = insertRequest.get(
        service.id,
        anna,
        anna,
        oldTech.id,
        user.id,
        isPending ? "pending" : "done",
        now + 14 * 86_400_000,
        isPending ? null : now,
      ) as { id: number };
      for (const confirmer of [anna, user.id]) {
        const decision = isPending ? null : "accepted";
        insertConfirmation.run(
          id,
          confirmer,
          `paging-${id}-${confirmer}`,
          now,
          decision,
          decision && now,
          isPending ? 1 : 0,
        );
      }
      all.push(id);
      if (isPending) awaiting.push(id);
    }
  })();
  const newestFirst = (ids: number[]) => [...ids].sort((x, y) => y - x);
  // 25 a page, opening with the 10 newest awaiting the user.
  const opening = newestFirst(awaiting).slice(0, 10);
  const rest = newestFirst(all).filter((id) => !opening.includes(id));

  await switchTo(page, user.customerId);
  await page.goto("/requests");
  const requestLinks = page.getByRole("link", { name: /^Request \d+$/ });
  const shown = async () =>
    (await requestLinks.allTextContents()).map((text) => Number(text.replace("Request ", "")));
  await expect(requestLinks).toHaveCount(25);
  const first = await shown();
  expect(first).toEqual([...opening, ...rest.slice(0, 15)]);
  for (const id of opening) {
    await expect(page.getByRole("row", { name: new RegExp(`^Request ${id} `) })).toContainText(
      "Awaiting your confirmation",
    );
  }
  await expect(page.getByRole("link", { name: "Previous page" })).toHaveCount(0);
  await expect(page.getByText("1–25 of 60", { exact: true })).toBeVisible();

  await page.getByRole("link", { name: "Next page" }).click();
  await expect(page).toHaveURL(new RegExp(`/requests\\?before=${rest[14]}$`));
  await expect(requestLinks).toHaveCount(25);
  expect(await shown()).toEqual(rest.slice(15, 40));
  await expect(page.getByText("26–50 of 60", { exact: true })).toBeVisible();

  await page.getByRole("link", { name: "Next page" }).click();
  await expect(requestLinks).toHaveCount(10);
  expect(await shown()).toEqual(rest.slice(40));
  await expect(page.getByRole("link", { name: "Next page" })).toHaveCount(0);
  await expect(page.getByText("51–60 of 60", { exact: true })).toBeVisible();

  await page.getByRole("link", { name: "First page" }).click();
  await expect(requestLinks).toHaveCount(25);
  expect(await shown()).toEqual(first);
});

test("live state: Anna's open request page and My requests turn to Done after the new contact accepts in another browser", async ({
  page,
  browser,
  db,
  accountId,
  createAccount,
  createService,
}) => {
  const { newcomer, id } = await newcomerRequest(
    { page, db, accountId, createAccount, createService },
    { newcomerName: "Lena Live" },
  );
  const annaMail = await openNewestEmail(page, "anna@example.test", askSubject(id));
  const mail = await openNewestEmail(page, newcomer.email, askSubject(id));
  await page.goto(annaMail.link as string);
  await page.getByRole("button", { name: "Accept" }).click();
  await expect(page.getByRole("status")).toContainText("Still awaiting confirmation");

  // Anna keeps her request open, and My requests in a second tab; neither is reloaded.
  await page.goto(`/requests/${id}`);
  await expect(page.getByText("Pending validation", { exact: true })).toBeVisible();
  const list = await page.context().newPage();
  await list.goto("/requests");
  const row = list
    .getByRole("row")
    .filter({ has: list.getByRole("link", { name: `Request ${id}`, exact: true }) });
  await expect(row).toContainText("Pending validation");

  const other = await browser.newContext();
  try {
    const newcomerPage = await other.newPage();
    await signIn(newcomerPage, newcomer.customerId);
    await newcomerPage.goto(mail.link as string);
    await newcomerPage.getByRole("button", { name: "Accept" }).click();
    await expect(newcomerPage.getByRole("status")).toContainText("everyone confirmed");
  } finally {
    await other.close();
  }

  // Within a few seconds, without a reload: the state, the history and a polite announcement.
  await expect(page.getByText("Done", { exact: true })).toBeVisible({ timeout: 8_000 });
  await expect(page.getByRole("region", { name: "History" })).toContainText(
    `Lena Live (${newcomer.customerId}) accepted.`,
  );
  await expect(page.locator("[aria-live=polite]")).toHaveText(`Request ${id} is now: Done.`);
  await expect(row).toContainText("Done", { timeout: 8_000 });
});

test("another account's e-mailed link says so, is not prefilled, and Switch account brings its code to the right account", async ({
  page,
  db,
  accountId,
  createAccount,
  createService,
}) => {
  const { newcomer, id } = await newcomerRequest({ page, db, accountId, createAccount, createService });
  const mail = await openNewestEmail(page, newcomer.email, askSubject(id));

  // Anna, signed in, opens the newcomer's link: her own answer form must not take their code.
  await page.goto(mail.link as string);
  await expect(page.getByText("was sent to another account of this request")).toBeVisible();
  await expect(page.getByRole("textbox", { name: "Validation code" })).toHaveValue("");
  const before = snapshot(db, id);
  await page.getByRole("button", { name: "Switch account" }).click();
  await expect(page).toHaveURL(/\/login\?callbackUrl=/);
  expect(snapshot(db, id)).toEqual(before);

  await page.getByLabel("Customer ID or e-mail").fill(newcomer.customerId);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: `Request ${id}` })).toBeVisible();
  await expect(page.getByRole("textbox", { name: "Validation code" })).toHaveValue(mail.code as string);
  await expect(page.getByText("was sent to another account of this request")).toHaveCount(0);
});
