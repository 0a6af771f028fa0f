import http from "node:http";
import type { Page } from "@playwright/test";
import type Database from "better-sqlite3";
import { newestRequest, serviceIdOf } from "./db-helpers";
import { E2E_BASE_URL } from "./env";
import { ANNA, expect, openNewestEmail, signIn, type TestAccount, type TestService, test } from "./fixtures";
import { actionIdsOf, callAction, formCall } from "./server-actions";

/**
 * Everything the calls below could change about the accounts, service and request they aim at
 * (other tests run beside this one, so the rest of the database moves).
 */
function stateOf(
  db: Database.Database,
  { accountIds, serviceId }: { accountIds: number[]; serviceId: number },
) {
  const ids = accountIds.join(",");
  const requests = `SELECT id FROM change_requests WHERE service_id = ${serviceId}`;
  const queries = [
    `SELECT * FROM accounts WHERE id IN (${ids})`,
    `SELECT * FROM services WHERE id = ${serviceId}`,
    `SELECT * FROM change_requests WHERE service_id = ${serviceId}`,
    `SELECT * FROM confirmations WHERE request_id IN (${requests}) ORDER BY id`,
    `SELECT * FROM request_events WHERE request_id IN (${requests}) ORDER BY id`,
    `SELECT * FROM email_changes WHERE account_id IN (${ids}) ORDER BY id`,
    `SELECT id, status, props FROM outbox WHERE secret_ref IN (SELECT 'request:' || id FROM change_requests WHERE service_id = ${serviceId}) ORDER BY id`,
  ];
  return JSON.stringify(queries.map((query) => db.prepare(query).all()));
}

type ServiceFixtures = Pick<
  Parameters<Parameters<typeof test>[2]>[0],
  "accountId" | "createAccount" | "createService"
>;

/** A fresh service of Anna's (administrator and billing) with a fresh technical contact. */
function annasService({ accountId, createAccount, createService }: ServiceFixtures): TestService {
  return createService({ adminId: accountId(ANNA), techId: createAccount().id, billingId: accountId(ANNA) });
}

/** Anna asks for `newcomer` as technical contact of `service`; returns the request's id. */
async function annaAsksFor(page: Page, db: Database.Database, service: TestService, newcomer: TestAccount) {
  await signIn(page, ANNA);
  await page.goto(`/contacts/${service.id}`);
  await page.getByRole("textbox", { name: "Technical contact" }).fill(newcomer.customerId);
  await page.getByRole("button", { name: "Confirm" }).click();
  await expect(page.getByRole("status")).toContainText("request has been registered");
  return newestRequest(db, service.id)?.id as number;
}

test.describe("headers", () => {
  test("every page has a nonce-based policy that forbids framing, and every script carries the nonce", async ({
    page,
    db,
  }) => {
    const violations: string[] = [];
    page.on("console", (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    const checkHeaders = async (path: string) => {
      const response = await page.goto(path);
      const headers = response?.headers() ?? {};
      const csp = headers["content-security-policy"] ?? "";
      const nonce = /script-src 'self' 'nonce-([A-Za-z0-9+/=]+)' 'strict-dynamic'/.exec(csp)?.[1];
      expect(nonce, `${path}: ${csp}`).toBeTruthy();
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp, path).toContain("object-src 'none'");
      expect(csp, path).toContain("base-uri 'none'");
      expect(headers["x-content-type-options"], path).toBe("nosniff");
      expect(headers["x-frame-options"], path).toBe("DENY");
      expect(headers["referrer-policy"], path).toBe("same-origin");
      const nonces = await page
        .locator("script")
        .evaluateAll((scripts) => scripts.map((script) => (script as HTMLScriptElement).nonce));
      expect(nonces.length, path).toBeGreaterThan(0);
      for (const scriptNonce of nonces) expect(scriptNonce, path).toBe(nonce);
    };

    await checkHeaders("/login");
    await signIn(page, ANNA);
    for (const path of [
      "/contacts",
      `/contacts/${serviceIdOf(db, "example.pl")}`,
      "/requests",
      "/profile",
      "/dev/mailbox",
      "/no-such-page",
    ]) {
      await checkHeaders(path);
    }
    // The pages' scripts ran under the policy: the sign-in above and these forms work.
    expect(violations).toEqual([]);
  });

  test("static files are not sniffed either", async ({ request }) => {
    const html = await (await request.get("/login")).text();
    const script = /src="(\/_next\/static\/[^"]+\.js)"/.exec(html)?.[1] as string;
    const response = await request.get(script);
    expect(response.headers()["x-content-type-options"]).toBe("nosniff");
  });
});

/** A GET with a Host header of our choosing, as a page on a rebinding DNS name would send it. */
function getWithHost(path: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, E2E_BASE_URL);
    http
      .get({ hostname: "127.0.0.1", port: url.port, path: url.pathname, headers: { host } }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      })
      .on("error", reject);
  });
}

test.describe("demo mode", () => {
  test("answers only to this machine's names, so a rebinding DNS name cannot read the mailbox", async () => {
    const port = new URL(E2E_BASE_URL).port;
    expect(await getWithHost("/dev/mailbox", `rebind.example:${port}`)).toBe(421);
    expect(await getWithHost("/login", "rebind.example")).toBe(421);
    expect(await getWithHost("/dev/mailbox", `localhost:${port}`)).toBe(200);
    expect(await getWithHost("/dev/mailbox", `127.0.0.1:${port}`)).toBe(200);
  });

  test("every page says so, with a link to the mailbox", async ({ page }) => {
    await page.goto("/login");
    const banner = page.getByRole("complementary", { name: "Demo mode" });
    await expect(banner).toContainText("Demo mode");
    await signIn(page, ANNA);
    await expect(banner).toContainText("Demo mode");
    await banner.getByRole("link", { name: "Mailbox" }).click();
    await expect(page.getByRole("heading", { name: "Mailbox" })).toBeVisible();
    await expect(banner).toBeVisible();
  });
});

test.describe("codes never travel in a URL", () => {
  test("an e-mailed link's code leaves the address at the first request and is never sent as a Referer", async ({
    page,
    db,
    accountId,
    createAccount,
    createService,
  }) => {
    const newcomer = createAccount();
    const service = annasService({ accountId, createAccount, createService });
    const id = await annaAsksFor(page, db, service, newcomer);
    const mail = await openNewestEmail(page, newcomer.email, new RegExp(`\\(request ${id}\\)$`));
    const code = mail.code as string;

    await signIn(page, newcomer.customerId);
    const seen: { url: string; referer: string }[] = [];
    page.on("request", (request) =>
      seen.push({ url: request.url(), referer: request.headers().referer ?? "" }),
    );
    await page.goto(mail.link as string);
    await expect(page).toHaveURL(new RegExp(`/requests/${id}$`));
    await expect(page.getByRole("textbox", { name: "Validation code" })).toHaveValue(code);
    // Browsing on from the page sends no code along.
    await page.getByRole("link", { name: "My requests" }).first().click();
    await expect(page.getByRole("heading", { name: "My requests" })).toBeVisible();
    const afterFirst = seen.slice(1);
    expect(afterFirst.length).toBeGreaterThan(0);
    for (const request of afterFirst) {
      expect(request.url).not.toContain(code);
      expect(request.referer).not.toContain(code);
    }
    expect(
      await page.evaluate(() => performance.getEntriesByType("navigation")[0]?.name ?? ""),
    ).not.toContain(code);
  });

  test("the code waits in a cookie bound to its own page: another request's page does not see it", async ({
    page,
    db,
    accountId,
    createAccount,
    createService,
  }) => {
    const newcomer = createAccount();
    const first = annasService({ accountId, createAccount, createService });
    const second = annasService({ accountId, createAccount, createService });
    const firstId = await annaAsksFor(page, db, first, newcomer);
    const secondId = await annaAsksFor(page, db, second, newcomer);
    const mail = await openNewestEmail(page, newcomer.email, new RegExp(`\\(request ${firstId}\\)$`));

    await signIn(page, newcomer.customerId);
    await page.goto(mail.link as string);
    await expect(page.getByRole("textbox", { name: "Validation code" })).toHaveValue(mail.code as string);
    const cookie = (await page.context().cookies()).find((c) => c.name === "sc_code");
    expect(cookie?.httpOnly).toBe(true);
    await page.goto(`/requests/${secondId}`);
    await expect(page.getByRole("textbox", { name: "Validation code" })).toHaveValue("");
  });
});

test.describe("input that is not what a page sends", () => {
  test("odd addresses answer a page or a 404, never an error", async ({ page }) => {
    await signIn(page, ANNA);
    for (const path of [
      "/contacts?q=%00%01%02x",
      "/contacts?q=%22%22%22%22",
      "/contacts?q=NEAR(a%20b)",
      "/contacts?after=%FF",
      "/contacts?before=zzz&beforeId=99999999999999999999",
      `/contacts?q=${"a".repeat(3000)}`,
      "/contacts?type=__proto__&role=constructor",
      "/requests?status=__proto__&page=-1",
      "/requests/99999999999999999999999",
      "/requests/1.5",
      "/contacts/1e3",
      "/profile/confirm-email?token=%FF",
      "/dev/mailbox?to=%FF",
      "/dev/mailbox/99999999999999999999",
    ]) {
      const response = await page.request.get(path);
      expect(response.status(), path).toBeLessThan(500);
    }
  });

  test("an over-long code is a wrong code, counted as one", async ({
    page,
    db,
    accountId,
    createAccount,
    createService,
  }) => {
    const newcomer = createAccount();
    const service = annasService({ accountId, createAccount, createService });
    const id = await annaAsksFor(page, db, service, newcomer);
    await signIn(page, newcomer.customerId);
    await page.goto(`/requests/${id}`);
    await page.getByRole("textbox", { name: "Validation code" }).fill("x".repeat(5000));
    await page.getByRole("button", { name: "Accept" }).click();
    await expect(
      page.getByRole("alert").filter({ hasText: "This validation code is not right." }),
    ).toBeVisible();
    const attempts = db
      .prepare("SELECT failed_attempts FROM confirmations WHERE request_id = ? AND account_id = ?")
      .pluck()
      .get(id, newcomer.id);
    expect(attempts).toBe(1);
  });

  test("malformed, forged, oversized and cross-origin action calls answer 4xx or a form error, and change nothing", async ({
    page,
    request,
    db,
    accountId,
    createAccount,
    createService,
  }) => {
    test.setTimeout(120_000);
    const newcomer = createAccount();
    const service = annasService({ accountId, createAccount, createService });
    const requestId = await annaAsksFor(page, db, service, newcomer);
    // Signed in as Anna from here on; page.request carries her session.
    const signedIn = page.request;
    const pages = ["/profile", `/contacts/${service.id}`, `/requests/${requestId}`, "/requests"];
    const idsByPage = new Map<string, string[]>();
    for (const path of pages) idsByPage.set(path, await actionIdsOf(signedIn, path));
    const loginIds = await actionIdsOf(request, "/login");
    expect(loginIds.length).toBeGreaterThan(0);
    // The header's sign-out is on every page; a well-formed call of it would (rightly) sign out.
    // (The language switch is a plain form to /api/language, no server action.)
    const everywhere = (idsByPage.get("/profile") ?? []).filter((id) =>
      (idsByPage.get("/requests") ?? []).includes(id),
    );
    expect(everywhere).toHaveLength(1);

    const malformedBodies: { body: string; contentType?: string }[] = [
      { body: "0=[]" },
      { body: "0=[]", contentType: "application/x-www-form-urlencoded" },
      { body: '{"name":"Mallory"}', contentType: "application/json" },
      { body: '{"name":"Mallory"}' },
      { body: "[{" },
      { body: "" },
      { body: '["$Q1"]' },
      { body: '["$@9"]' },
      { body: `${"[".repeat(4000)}${"]".repeat(4000)}` },
      { body: "--x\r\nbroken", contentType: "multipart/form-data; boundary=x" },
      { body: "whatever", contentType: "multipart/form-data" },
    ];
    const forgedArguments = [
      "[]",
      '[{"status":"idle"}]',
      '[{"status":"idle"},{"name":"Mallory","email":"m@example.test","language":"en"}]',
      '[{"status":"idle"},"text"]',
      "[null,5]",
      '[{"status":"idle"},["$K1"]]',
    ];
    const forgedFields: Record<string, string>[] = [
      { requestId: "-1", decision: "accepted", token: "x" },
      { requestId: "99999999999999999999999", decision: "accepted", token: "x" },
      { requestId: String(requestId), decision: "maybe", token: "x" },
      { requestId: String(requestId), action: "explode" },
      // Well-formed, but without the confirmation step's marker: these only ask.
      { requestId: String(requestId), action: "cancel" },
      { serviceId: String(service.id), admin: newcomer.customerId },
      { serviceId: "abc", tech: "x" },
      { serviceId: String(service.id), admin: "x".repeat(5000) },
      { serviceId: String(service.id), takeBack: "admin" },
      { name: "\u200b", email: "anna@example.test", language: "en" },
      { name: "\u0000", email: "anna@example.test", language: "en" },
      { name: "Mallory", email: "anna@example.test", language: "xx" },
      { identifier: "", password: "" },
    ];

    const scope = { accountIds: [accountId(ANNA), newcomer.id], serviceId: service.id };
    const before = stateOf(db, scope);
    const statuses: string[] = [];
    const check = async (label: string, call: Parameters<typeof callAction>[2], client = signedIn) => {
      const response = await callAction(client, E2E_BASE_URL, call);
      statuses.push(`${response.status()} ${label}`);
      expect(response.status(), `${label} → ${await response.text()}`).toBeLessThan(500);
      return response;
    };
    for (const [path, ids] of [...idsByPage, ["/login", loginIds] as [string, string[]]]) {
      const client = path === "/login" ? request : signedIn;
      for (const id of ids) {
        for (const { body, contentType } of malformedBodies) {
          const response = await check(
            `${path} ${id.slice(0, 6)} ${body.slice(0, 20)}`,
            { path, id, body, contentType },
            client,
          );
          expect(response.status()).toBeGreaterThanOrEqual(400);
        }
        if (everywhere.includes(id)) continue;
        for (const body of forgedArguments)
          await check(`${path} ${id.slice(0, 6)} ${body}`, { path, id, body }, client);
        for (const fields of forgedFields) {
          await check(
            `${path} ${id.slice(0, 6)} ${JSON.stringify(fields).slice(0, 60)}`,
            { path, id, multipart: formCall(fields) },
            client,
          );
        }
      }
    }
    expect(stateOf(db, scope)).toBe(before);

    // A well-formed call from another site, or from an opaque origin, is refused before it runs.
    const [profileAction] = (idsByPage.get("/profile") ?? []).filter((id) => !everywhere.includes(id));
    const rename = formCall({ name: "Renamed From Elsewhere", email: "anna@example.test", language: "en" });
    for (const origin of ["https://evil.example", "null"]) {
      const response = await callAction(signedIn, E2E_BASE_URL, {
        path: "/profile",
        id: profileAction as string,
        multipart: rename,
        origin,
      });
      expect(response.status(), origin).toBe(403);
    }
    // Another site's plain HTML form, which cannot add Next's header, is refused the same way.
    const crossSiteForm = new FormData();
    crossSiteForm.append(`$ACTION_ID_${profileAction}`, "");
    crossSiteForm.append("name", "Renamed From Elsewhere");
    crossSiteForm.append("email", "anna@example.test");
    crossSiteForm.append("language", "en");
    for (const origin of ["https://evil.example", "null", "not a url"]) {
      const posted = await signedIn.post("/profile", {
        headers: { Origin: origin },
        multipart: crossSiteForm,
        maxRedirects: 0,
      });
      expect(posted.status(), origin).toBe(403);
    }
    // Over 1 MiB is refused whole.
    const huge = formCall({ name: "x".repeat(2 * 1024 * 1024), email: "anna@example.test", language: "en" });
    const response = await callAction(signedIn, E2E_BASE_URL, {
      path: "/profile",
      id: profileAction as string,
      multipart: huge,
    });
    expect(response.status()).toBe(413);
    expect(stateOf(db, scope)).toBe(before);
  });
});
