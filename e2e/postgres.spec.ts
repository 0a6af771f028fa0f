import { randomBytes } from "node:crypto";
import type { APIRequestContext, Browser, Page } from "@playwright/test";
import pg from "pg";
import { type PostgresCluster, startPostgresCluster } from "../scripts/postgres-cluster";
import { type AppServer, startAppServer } from "./app-server";
import { E2E_PORT } from "./env";
import { ANNA, DAWID, DEMO_PASSWORD, expect, openNewestEmail, test } from "./fixtures";
import { actionIdsOf, formCall } from "./server-actions";

// Two instances of the app on one PostgreSQL database, as behind a load balancer: `npm start`
// with DATABASE_URL and one AUTH_SECRET, each on its own port. `npm test` passes its cluster in
// TEST_POSTGRES_URL; run alone, this file starts one of its own.
test.describe.configure({ mode: "serial" });

const port = (offset: number) => E2E_PORT + 70 + offset;

let cluster: PostgresCluster;
let databaseUrl: string;
let one: AppServer;
let two: AppServer;

async function query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

test.beforeAll(async () => {
  test.setTimeout(240_000);
  cluster = await startPostgresCluster();
  const name = `e2e_${E2E_PORT}_${randomBytes(3).toString("hex")}`;
  const admin = new pg.Client({ connectionString: cluster.url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(cluster.url);
  url.pathname = `/${name}`;
  databaseUrl = url.toString();
  const env = { DATABASE_URL: databaseUrl, AUTH_SECRET: randomBytes(32).toString("base64url") };
  // Started together: the two migrate and seed one after the other, not twice.
  [one, two] = await Promise.all([
    startAppServer({ port: port(1), env }),
    startAppServer({ port: port(2), env }),
  ]);
});

test.afterAll(async () => {
  await Promise.all([one?.stop(), two?.stop()]);
  cluster?.stop();
});

async function browse(browser: Browser, server: AppServer): Promise<Page> {
  const context = await browser.newContext({ baseURL: server.baseURL });
  return context.newPage();
}

async function signIn(page: Page, customerId: string): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Customer ID or e-mail").fill(customerId);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
}

test("both instances migrated and seeded one database once, and each says it is healthy", async () => {
  const seeded = await query<{ n: number }>(
    "select count(*)::int as n from accounts where customer_id = $1",
    [ANNA],
  );
  expect(seeded[0]?.n).toBe(1);
  for (const server of [one, two]) {
    const health = await fetch(`${server.baseURL}/api/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: "ok", database: "ok", migrations: "current" });
  }
});

test("Anna asks on one instance, Dawid accepts on the other, Anna's acceptance applies the change", async ({
  browser,
}) => {
  const anna = await browse(browser, one);
  await signIn(anna, ANNA);
  await anna.goto("/contacts?q=example.pl");
  await anna.getByRole("link", { name: "Edit contacts of example.pl" }).click();
  await anna.getByLabel("Technical contact").fill(DAWID);
  await anna.getByRole("button", { name: "Confirm" }).click();
  await expect(anna.getByRole("status")).toContainText("request has been registered");
  const [request] = await query<{ id: number }>(
    "select r.id from change_requests r join services s on s.id = r.service_id where s.name = 'example.pl' and r.state = 'pending'",
  );
  const id = request?.id as number;

  // Dawid reads his e-mail and answers on the second instance: the same database behind both.
  const dawid = await browse(browser, two);
  const dawidMail = await openNewestEmail(dawid, "dawid@example.test", new RegExp(`\\(request ${id}\\)`));
  await signIn(dawid, DAWID);
  await dawid.goto(`/requests/${id}`);
  await dawid.getByRole("textbox", { name: "Validation code" }).fill(dawidMail.code as string);
  await dawid.getByRole("button", { name: "Accept" }).click();
  await expect(dawid.getByRole("status")).toContainText(
    `Still awaiting confirmation by Anna Nowak (${ANNA})`,
  );

  // Anna sees Dawid's answer on her instance and gives hers there.
  const annaMail = await openNewestEmail(anna, "anna@example.test", new RegExp(`\\(request ${id}\\)`));
  await anna.goto(`/requests/${id}`);
  await expect(anna.getByText("Awaiting your confirmation", { exact: true })).toBeVisible();
  await expect(anna.getByRole("region", { name: "History" })).toContainText(
    `Dawid Kowalczyk (${DAWID}) accepted.`,
  );
  await anna.getByRole("textbox", { name: "Validation code" }).fill(annaMail.code as string);
  await anna.getByRole("button", { name: "Accept" }).click();
  await expect(anna.getByText("Done", { exact: true })).toBeVisible();

  await dawid.goto("/contacts?q=example.pl");
  // Dawid is now example.pl's technical contact (his own row marks him "you").
  await expect(
    dawid
      .getByRole("row", { name: /^example\.pl / })
      .getByRole("cell")
      .nth(2),
  ).toContainText(DAWID);
  // Bartosz, who lost the role, is told once, whichever instance's sender took the e-mail.
  const told = await query<{ n: number }>(
    "select count(*)::int as n from outbox where to_address = 'bartosz@example.test' and subject like $1",
    [`%request ${id} %done%`],
  );
  expect(told[0]?.n).toBe(1);
});

async function answerVia(
  client: APIRequestContext,
  server: AppServer,
  action: string,
  fields: Record<string, string>,
): Promise<string> {
  const response = await client.post(`${server.baseURL}/requests/${fields.requestId}`, {
    headers: { "Next-Action": action, Origin: server.baseURL, Accept: "text/x-component" },
    multipart: formCall(fields),
  });
  return response.text();
}

test("of 50 uses of one code at the same moment, split between the two instances, exactly one is taken", async ({
  browser,
  playwright,
}) => {
  test.setTimeout(120_000);
  // Anna hands shop.example.pl's technical contact to Dawid; Dawid's code is then used 50 times.
  const anna = await browse(browser, one);
  await signIn(anna, ANNA);
  await anna.goto("/contacts?q=shop.example.pl");
  await anna.getByRole("link", { name: "Edit contacts of shop.example.pl" }).click();
  await anna.getByLabel("Technical contact").fill(DAWID);
  await anna.getByRole("button", { name: "Confirm" }).click();
  await expect(anna.getByRole("status")).toContainText("request has been registered");
  const [request] = await query<{ id: number }>(
    "select r.id from change_requests r join services s on s.id = r.service_id where s.name = 'shop.example.pl' and r.state = 'pending'",
  );
  const id = request?.id as number;
  const dawid = await browse(browser, two);
  const mail = await openNewestEmail(dawid, "dawid@example.test", new RegExp(`\\(request ${id}\\)`));
  await signIn(dawid, DAWID);
  const cookies = await dawid.context().cookies();

  const clients = await Promise.all(
    [one, two].map((server) =>
      playwright.request.newContext({ baseURL: server.baseURL, storageState: { cookies, origins: [] } }),
    ),
  );
  const [actionOne] = await actionIdsOf(clients[0] as APIRequestContext, `/requests/${id}`);
  const [actionTwo] = await actionIdsOf(clients[1] as APIRequestContext, `/requests/${id}`);
  const fields = { requestId: String(id), token: mail.code as string, decision: "accepted" };
  const bodies = await Promise.all(
    Array.from({ length: 50 }, (_, i) =>
      i % 2 === 0
        ? answerVia(clients[0] as APIRequestContext, one, actionOne as string, fields)
        : answerVia(clients[1] as APIRequestContext, two, actionTwo as string, fields),
    ),
  );
  const taken = bodies.filter((body) => body.includes('"outcome":"waiting"'));
  expect(taken).toHaveLength(1);
  // The others were told it was already answered, or to wait (the code throttle), never an error.
  for (const body of bodies.filter((b) => !b.includes('"outcome":"waiting"'))) {
    expect(body).toMatch(/"reason":"already_answered"|"status":"throttled"/);
  }
  const accepted = await query<{ n: number }>(
    "select count(*)::int as n from request_events where request_id = $1 and kind = 'accepted'",
    [id],
  );
  expect(accepted[0]?.n).toBe(1);
  for (const client of clients) await client.dispose();
});
