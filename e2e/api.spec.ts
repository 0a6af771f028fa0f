import { createHash } from "node:crypto";
import https from "node:https";
import { createRequire } from "node:module";
import type { Page } from "@playwright/test";
import { startTlsFront, type TlsFront } from "../scripts/tls-front";
import { E2E_BASE_URL } from "./env";
import { expect, openNewestEmail, signIn, type TestAccount, test } from "./fixtures";

// OVHcloud's official client, unchanged (a CommonJS module without types).
const require = createRequire(import.meta.url);
type OvhClient = {
  requestPromised: (method: string, path: string, params?: Record<string, unknown>) => Promise<unknown>;
};
const ovh = require("@ovhcloud/node-ovh") as (options: Record<string, unknown>) => OvhClient;

type Application = { appKey: string; appSecret: string };
type OvhError = { error: number; message: string };

let front: TlsFront;

test.beforeAll(async () => {
  front = await startTlsFront(E2E_BASE_URL);
  // The client uses Node's https module: trust the front's certificate in this process only.
  https.globalAgent.options.ca = front.certificate;
});

test.afterAll(async () => {
  await front?.close();
});

/** A client for the app behind the TLS front, as a script would configure it (SPEC.md). */
function client(application: Application, options: Record<string, unknown> = {}): OvhClient {
  return ovh({ ...application, host: "localhost", port: front.port, basePath: "/api/1.0", ...options });
}

/** The error a client call fails with (OVH's client rejects with `{error: status, message}`). */
async function failure(call: Promise<unknown>): Promise<OvhError> {
  try {
    await call;
  } catch (error) {
    return error as OvhError;
  }
  throw new Error("the call succeeded");
}

/** Creates an application in Profile › API access, as a person does; the secret is shown once. */
async function createApplication(page: Page, name: string): Promise<Application> {
  await page.goto("/profile");
  const section = page.getByRole("region", { name: "API access" });
  await section.getByLabel("Application title").fill(name);
  await section.getByRole("button", { name: "Create application" }).click();
  const created = section.getByRole("status");
  await expect(created).toContainText(`Application ${name} created`);
  const [appKey, appSecret] = await created.locator("code").allInnerTexts();
  // Shown once: after a reload the key is listed, the secret nowhere.
  await page.reload();
  await expect(section.getByRole("row", { name: new RegExp(name) })).toContainText(appKey as string);
  await expect(page.getByText(appSecret as string)).toHaveCount(0);
  return { appKey: appKey as string, appSecret: appSecret as string };
}

/**
 * Asks for a consumer key with `rules`, then `account` opens the validation URL in the browser,
 * sees the application and the rules, and authorizes it. Returns a client acting for `account`.
 */
async function authorizedClient(
  page: Page,
  application: Application,
  account: TestAccount,
  rules = [
    { method: "GET", path: "/*" },
    { method: "POST", path: "/*" },
  ],
): Promise<OvhClient> {
  const credential = (await client(application).requestPromised("POST", "/auth/credential", {
    accessRules: rules,
  })) as { consumerKey: string; validationUrl: string; state: string };
  expect(credential.state).toBe("pendingValidation");
  await signIn(page, account.customerId);
  await page.goto(credential.validationUrl);
  await expect(page.getByRole("heading", { name: "Authorize an application" })).toBeVisible();
  // Who made the application is shown: anyone can name one "Support".
  await expect(page.getByText("created by the customer")).toBeVisible();
  for (const rule of rules) await expect(page.getByText(`${rule.method} ${rule.path}`)).toBeVisible();
  await page.getByRole("button", { name: "Authorize" }).click();
  await expect(page.getByRole("status")).toContainText("Authorized");
  return client(application, { consumerKey: credential.consumerKey });
}

test("OVHcloud's client asks for a technical contact change, both confirmers accept by API, the service changes", async ({
  page,
  createAccount,
  createService,
}) => {
  const admin = createAccount();
  const oldTech = createAccount();
  const newTech = createAccount();
  const service = createService({ adminId: admin.id, techId: oldTech.id, billingId: admin.id });

  await signIn(page, admin.customerId);
  const application = await createApplication(page, "Batch tool");
  const asAdmin = await authorizedClient(page, application, admin);

  const me = (await asAdmin.requestPromised("GET", "/me")) as { nichandle: string };
  expect(me.nichandle).toBe(admin.customerId);
  const ids = (await asAdmin.requestPromised("POST", `/domain/${service.name}/changeContact`, {
    contactTech: newTech.customerId,
  })) as number[];
  expect(ids).toHaveLength(1);
  const id = ids[0] as number;

  expect(await asAdmin.requestPromised("GET", `/me/task/contactChange/${id}`)).toMatchObject({
    id,
    askingAccount: admin.customerId,
    contactTypes: ["contactTech"],
    fromAccount: oldTech.customerId,
    toAccount: newTech.customerId,
    serviceDomain: service.name,
    state: "validatingByCustomers",
    dateDone: null,
  });
  expect(
    await asAdmin.requestPromised("GET", "/me/task/contactChange", { state: "validatingByCustomers" }),
  ).toContain(id);

  // The new contact authorizes the same application for their own account, and both accept with
  // the codes the e-mails carried.
  const asNewTech = await authorizedClient(page, application, newTech);
  const adminCode = (await openNewestEmail(page, admin.email, new RegExp(`\\(request ${id}\\)$`))).code;
  const newTechCode = (await openNewestEmail(page, newTech.email, new RegExp(`\\(request ${id}\\)$`))).code;
  expect(adminCode).toBeTruthy();
  expect(newTechCode).toBeTruthy();

  // A wrong code is refused and changes nothing.
  expect(
    await failure(asAdmin.requestPromised("POST", `/me/task/contactChange/${id}/accept`, { token: "wrong" })),
  ).toMatchObject({ error: 400 });
  expect(
    await asAdmin.requestPromised("POST", `/me/task/contactChange/${id}/accept`, { token: adminCode }),
  ).toBeNull();
  expect(
    await asNewTech.requestPromised("POST", `/me/task/contactChange/${id}/accept`, { token: newTechCode }),
  ).toBeNull();

  expect(await asAdmin.requestPromised("GET", `/me/task/contactChange/${id}`)).toMatchObject({
    state: "done",
  });
  expect(await asAdmin.requestPromised("GET", `/domain/${service.name}/serviceInfos`)).toMatchObject({
    contactAdmin: admin.customerId,
    contactTech: newTech.customerId,
    contactBilling: admin.customerId,
  });

  // Revoked in Profile › API access, the key stops working at once.
  await signIn(page, admin.customerId);
  await page.goto("/profile");
  await page.getByRole("button", { name: /^Revoke consumer key / }).click();
  await expect(page.getByRole("button", { name: /^Revoke consumer key / })).toHaveCount(0);
  expect(await failure(asAdmin.requestPromised("GET", "/me"))).toEqual({
    error: 403,
    message: "This credential is not valid",
  });
});

test("by API: a refusal, a resend, and every way a call is refused", async ({
  page,
  createAccount,
  createService,
}) => {
  const admin = createAccount();
  const oldTech = createAccount();
  const newTech = createAccount();
  const stranger = createAccount();
  const service = createService({ adminId: admin.id, techId: oldTech.id, billingId: admin.id });

  await signIn(page, admin.customerId);
  const application = await createApplication(page, "Refusals");
  const asAdmin = await authorizedClient(page, application, admin);
  const [id] = (await asAdmin.requestPromised("POST", `/domain/${service.name}/changeContact`, {
    contactTech: newTech.customerId,
  })) as number[];

  // A second request for the same contact waits for the first: 409.
  expect(
    await failure(
      asAdmin.requestPromised("POST", `/domain/${service.name}/changeContact`, {
        contactTech: stranger.customerId,
      }),
    ),
  ).toMatchObject({ error: 409 });

  // Resend: a new code; the first one no longer works.
  const firstCode = (await openNewestEmail(page, admin.email, new RegExp(`\\(request ${id}\\)$`))).code;
  expect(await asAdmin.requestPromised("POST", `/me/task/contactChange/${id}/resendEmail`)).toBeNull();
  // The same call within the same second would be the same signed request, refused as a replay.
  await new Promise((resolve) => setTimeout(resolve, 1100));
  expect(
    await failure(asAdmin.requestPromised("POST", `/me/task/contactChange/${id}/resendEmail`)),
  ).toMatchObject({ error: 429 });

  // Someone unrelated sees neither the task nor the service.
  const asStranger = await authorizedClient(page, application, stranger);
  expect(await failure(asStranger.requestPromised("GET", `/me/task/contactChange/${id}`))).toMatchObject({
    error: 404,
  });
  expect(
    await failure(asStranger.requestPromised("GET", `/domain/${service.name}/serviceInfos`)),
  ).toMatchObject({ error: 404 });
  expect(await asStranger.requestPromised("GET", "/me/task/contactChange")).toEqual([]);
  for (const action of ["accept", "refuse"]) {
    expect(
      await failure(
        asStranger.requestPromised("POST", `/me/task/contactChange/${id}/${action}`, { token: "x" }),
      ),
    ).toMatchObject({ error: 404 });
  }
  for (const action of ["resendEmail", "cancel"]) {
    expect(
      await failure(asStranger.requestPromised("POST", `/me/task/contactChange/${id}/${action}`)),
    ).toMatchObject({ error: 404 });
  }

  // The new contact refuses with their code: the request ends refused, nothing changes.
  const asNewTech = await authorizedClient(page, application, newTech);
  const newTechCode = (await openNewestEmail(page, newTech.email, new RegExp(`\\(request ${id}\\)$`))).code;
  expect(
    await failure(
      asAdmin.requestPromised("POST", `/me/task/contactChange/${id}/accept`, { token: firstCode }),
    ),
  ).toMatchObject({ error: 400 });
  expect(
    await asNewTech.requestPromised("POST", `/me/task/contactChange/${id}/refuse`, { token: newTechCode }),
  ).toBeNull();
  expect(await asAdmin.requestPromised("GET", `/me/task/contactChange/${id}`)).toMatchObject({
    state: "refused",
  });
  expect(await asAdmin.requestPromised("GET", `/domain/${service.name}/serviceInfos`)).toMatchObject({
    contactTech: oldTech.customerId,
  });

  // A wrong secret makes a wrong signature; a clock far off, an expired timestamp.
  const consumerKey = (asAdmin as unknown as { consumerKey: string }).consumerKey;
  const forged = client({ ...application, appSecret: "not-the-secret" }, { consumerKey });
  expect(await failure(forged.requestPromised("GET", "/me"))).toEqual({
    error: 403,
    message: "Invalid signature",
  });
  const late = client(application, { consumerKey, apiTimeDiff: -3600 });
  expect(await failure(late.requestPromised("GET", "/me"))).toMatchObject({
    error: 400,
    message: expect.stringContaining("Invalid timestamp"),
  });

  // A key granted only GET /me may read nothing else and ask for no change.
  const readOnly = await authorizedClient(page, application, admin, [{ method: "GET", path: "/me" }]);
  expect(await readOnly.requestPromised("GET", "/me")).toMatchObject({ nichandle: admin.customerId });
  const notGranted = { error: 403, message: "This call has not been granted" };
  expect(await failure(readOnly.requestPromised("GET", "/me/task/contactChange"))).toEqual(notGranted);
  expect(
    await failure(
      readOnly.requestPromised("POST", `/domain/${service.name}/changeContact`, {
        contactTech: stranger.customerId,
      }),
    ),
  ).toEqual(notGranted);
});

/** One call signed by hand, as OVH's clients sign it, sent through the TLS front as curl would. */
function signedCall(
  application: Application,
  consumerKey: string,
  method: string,
  path: string,
  body = "",
): Promise<{ status: number; retryAfter: string | undefined; json: unknown }> {
  const timestamp = String(Math.round(Date.now() / 1000));
  const url = `https://localhost/api/1.0${path}`;
  const signature = `$1$${createHash("sha1")
    .update([application.appSecret, consumerKey, method, url, body, timestamp].join("+"))
    .digest("hex")}`;
  return new Promise((resolve, reject) => {
    const request = https.request(
      {
        host: "localhost",
        port: front.port,
        method,
        path: `/api/1.0${path}`,
        headers: {
          "content-type": "application/json",
          "x-ovh-application": application.appKey,
          "x-ovh-consumer": consumerKey,
          "x-ovh-timestamp": timestamp,
          "x-ovh-signature": signature,
        },
      },
      (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk) => {
          text += chunk;
        });
        response.on("end", () => {
          const retryAfter = response.headers["retry-after"];
          resolve({
            status: response.statusCode ?? 0,
            retryAfter: typeof retryAfter === "string" ? retryAfter : undefined,
            json: text ? JSON.parse(text) : undefined,
          });
        });
      },
    );
    request.on("error", reject);
    request.end(body);
  });
}

const signedGet = (application: Application, consumerKey: string, path: string) =>
  signedCall(application, consumerKey, "GET", path);

test("every endpoint refuses bad input over plain HTTPS with OVH's error shape, and changes nothing", async ({
  page,
  db,
  createAccount,
  createService,
}) => {
  const admin = createAccount();
  const oldTech = createAccount();
  const service = createService({ adminId: admin.id, techId: oldTech.id, billingId: admin.id });
  await signIn(page, admin.customerId);
  const application = await createApplication(page, "Curl");
  const asAdmin = await authorizedClient(page, application, admin, [
    { method: "GET", path: "/*" },
    { method: "POST", path: "/*" },
    { method: "DELETE", path: "/*" },
  ]);
  const consumerKey = (asAdmin as unknown as { consumerKey: string }).consumerKey;
  const requestsBefore = db
    .prepare("SELECT count(*) FROM change_requests WHERE service_id = ?")
    .pluck()
    .get(service.id);

  const cases: [string, string, string, number, string][] = [
    ["GET", "/me/task/contactChange?state=nonsense", "", 400, "BAD_REQUEST"],
    ["GET", "/me/task/contactChange?askingAccount=not-an-id", "", 400, "BAD_REQUEST"],
    ["GET", "/me/task/contactChange/abc", "", 400, "BAD_REQUEST"],
    ["GET", "/me/task/contactChange/999999999", "", 404, "NOT_FOUND"],
    ["POST", "/me/task/contactChange/999999999/accept", '{"token":"x"}', 404, "NOT_FOUND"],
    ["POST", "/me/task/contactChange/1/accept", "{}", 400, "BAD_REQUEST"],
    ["POST", "/me/task/contactChange/1/refuse", "[1]", 400, "BAD_REQUEST"],
    ["POST", "/me/task/contactChange/999999999/resendEmail", "", 404, "NOT_FOUND"],
    ["POST", "/me/task/contactChange/999999999/cancel", "", 404, "NOT_FOUND"],
    ["GET", "/nosuchtype/x.example/serviceInfos", "", 400, "UNKNOWN_SERVICE_TYPE"],
    ["GET", "/domain/nobody-has-this.example/serviceInfos", "", 404, "NOT_FOUND"],
    ["POST", `/domain/${service.name}/changeContact`, '{"contactTech":"not-an-id"}', 400, "BAD_REQUEST"],
    ["POST", `/domain/${service.name}/changeContact`, '{"contactTech":"zz999999-ovh"}', 400, "BAD_REQUEST"],
    ["POST", `/domain/${service.name}/changeContact`, '{"contactTech":', 400, "INVALID_JSON"],
    [
      "POST",
      `/domain/${service.name}/changeContact`,
      `{"contactAdmin":"${admin.customerId}"}`,
      400,
      "NOTHING_TO_CHANGE",
    ],
    ["DELETE", "/me", "", 405, "METHOD_NOT_ALLOWED"],
  ];
  for (const [method, path, body, status, errorCode] of cases) {
    const answer = await signedCall(application, consumerKey, method, path, body);
    expect(answer, `${method} ${path} ${body}`).toMatchObject({
      status,
      json: { errorCode, message: expect.any(String) },
    });
  }
  expect(
    db.prepare("SELECT count(*) FROM change_requests WHERE service_id = ?").pluck().get(service.id),
  ).toBe(requestsBefore);
});

test("a script calling faster than its budget is told to wait: 429 with Retry-After, then heard again", async ({
  page,
  createAccount,
}) => {
  const account = createAccount();
  await signIn(page, account.customerId);
  const application = await createApplication(page, "Impatient");
  const asAccount = await authorizedClient(page, application, account, [{ method: "GET", path: "/me" }]);
  const consumerKey = (asAccount as unknown as { consumerKey: string }).consumerKey;

  // 200 calls at once: the burst (50) and a few seconds' refill (25 a second) are heard.
  const answers = await Promise.all(
    Array.from({ length: 200 }, () => signedGet(application, consumerKey, "/me")),
  );
  const heard = answers.filter((answer) => answer.status === 200);
  const refused = answers.filter((answer) => answer.status === 429);
  expect(heard.length + refused.length).toBe(200);
  expect(heard.length).toBeGreaterThanOrEqual(50);
  expect(refused.length).toBeGreaterThan(0);
  for (const answer of refused) expect(Number(answer.retryAfter)).toBeGreaterThanOrEqual(1);

  await new Promise((resolve) => setTimeout(resolve, 1000 * Number(refused[0]?.retryAfter ?? 1)));
  expect((await signedGet(application, consumerKey, "/me")).status).toBe(200);
});

test("each endpoint's errors, plain HTTP", async ({ request }) => {
  // Unsigned calls to signed endpoints, bad bodies and unknown keys: OVH's error shape.
  const me = await request.get("/api/1.0/me");
  expect(me.status()).toBe(403);
  expect(await me.json()).toMatchObject({ errorCode: expect.any(String), message: expect.any(String) });

  const time = await request.get("/api/1.0/auth/time");
  expect(time.status()).toBe(200);
  expect(Math.abs((await time.json()) - Date.now() / 1000)).toBeLessThan(60);

  const unknownApp = await request.post("/api/1.0/auth/credential", {
    headers: { "x-ovh-application": "nosuchapplication" },
    data: { accessRules: [{ method: "GET", path: "/*" }] },
  });
  expect(unknownApp.status()).toBe(403);
  expect(await unknownApp.json()).toMatchObject({ errorCode: "INVALID_KEY" });

  const notJson = await request.post("/api/1.0/auth/credential", {
    headers: { "x-ovh-application": "nosuchapplication", "content-type": "application/json" },
    data: "{not json",
  });
  expect(notJson.status()).toBe(400);

  const noRules = await request.post("/api/1.0/auth/credential", {
    headers: { "x-ovh-application": "nosuchapplication" },
    data: { accessRules: "everything" },
  });
  expect(noRules.status()).toBe(400);

  const openapi = await request.get("/api/1.0/openapi.json");
  expect(openapi.status()).toBe(200);
  expect(await openapi.json()).toMatchObject({ openapi: expect.stringMatching(/^3\.1/) });
});
