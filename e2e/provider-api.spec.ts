import { createHash, randomBytes, randomInt } from "node:crypto";
import http from "node:http";
import type { APIRequestContext } from "@playwright/test";
import type Database from "better-sqlite3";
import { newestRequest } from "./db-helpers";
import { E2E_PORT } from "./env";
import { ANNA, CELINA, DAWID, expect, signIn, test } from "./fixtures";

const API = "/api/provider/v1";

/** A provisioning token written as `npm run provider-token -- create` writes it: only its hash is stored. */
function createToken(db: Database.Database, scopes: string[]): string {
  const token = `sc_prov_${randomBytes(32).toString("base64url")}`;
  db.prepare("INSERT INTO provider_tokens (name, token_hash, scopes) VALUES (?, ?, ?)").run(
    "e2e",
    createHash("sha256").update(token).digest("hex"),
    JSON.stringify(scopes),
  );
  return token;
}

const ALL_SCOPES = ["accounts:read", "accounts:write", "services:read", "services:write", "import"];

const newCustomerId = () => `pp${randomInt(10_000_000, 99_999_999)}-ovh`;
const newServiceName = () => `prov-${randomInt(10_000_000, 99_999_999)}.example.org`;

function api(request: APIRequestContext, token: string) {
  const headers = { authorization: `Bearer ${token}` };
  return {
    get: (path: string) => request.get(`${API}${path}`, { headers }),
    put: (path: string, data: unknown) => request.put(`${API}${path}`, { headers, data }),
    delete: (path: string) => request.delete(`${API}${path}`, { headers }),
    importLines: (path: string, body: string) =>
      request.post(`${API}${path}`, {
        headers: { ...headers, "content-type": "application/x-ndjson" },
        data: Buffer.from(body),
      }),
  };
}

test("the provider puts an account and a service, takes the service's contacts over a pending request, and removes it", async ({
  page,
  request,
  db,
  createAccount,
}) => {
  const provider = api(request, createToken(db, ALL_SCOPES));
  const admin = createAccount();
  const customerId = newCustomerId();
  const account = { name: "Paula Provisioned", email: `${customerId}@example.test`, language: "pl" };
  const created = await provider.put(`/accounts/${customerId}`, account);
  expect(created.status()).toBe(201);
  expect((await provider.put(`/accounts/${customerId}`, account)).status()).toBe(200);
  expect(await (await provider.get(`/accounts/${customerId}`)).json()).toMatchObject({
    customerId,
    ...account,
    paymentStanding: "upToDate",
  });

  const name = newServiceName();
  const contacts = { contactAdmin: admin.customerId, contactTech: customerId, contactBilling: CELINA };
  expect((await provider.put(`/services/domain/${name}`, contacts)).status()).toBe(201);
  expect(await (await provider.get(`/services/domain/${name}`)).json()).toEqual({
    type: "domain",
    name,
    ...contacts,
  });

  // The administrator asks for a new technical contact; the provider then sets another one.
  await signIn(page, admin.customerId);
  await page.goto(`/contacts?q=${name}`);
  await page.getByRole("link", { name: `Edit contacts of ${name}` }).click();
  await page.getByLabel("Technical contact").fill(DAWID);
  await page.getByRole("button", { name: "Confirm" }).click();
  await expect(page.getByRole("status")).toContainText("request has been registered");
  const serviceId = (db.prepare("SELECT id FROM services WHERE name = ?").get(name) as { id: number }).id;
  const pending = newestRequest(db, serviceId);
  expect(pending?.state).toBe("pending");

  const changed = await provider.put(`/services/domain/${name}`, { ...contacts, contactTech: ANNA });
  expect(changed.status()).toBe(200);
  expect(await changed.json()).toMatchObject({ contactTech: ANNA, cancelledRequestIds: [pending?.id] });
  expect(newestRequest(db, serviceId)?.state).toBe("cancelled");

  expect((await provider.delete(`/services/domain/${name}`)).status()).toBe(200);
  expect((await provider.get(`/services/domain/${name}`)).status()).toBe(404);
  await page.goto(`/contacts?q=${name}`);
  await expect(page.getByRole("heading", { name: "My contacts" })).toBeVisible();
  await expect(page.getByRole("link", { name: `Edit contacts of ${name}` })).toHaveCount(0);
});

test("an import over 1 MiB is streamed in, its bad line reported and the rest applied", async ({
  request,
  db,
}) => {
  const provider = api(request, createToken(db, ["import", "services:read"]));
  const owner = newCustomerId();
  const names = Array.from({ length: 300 }, newServiceName);
  const lines = [
    JSON.stringify({ kind: "account", customerId: owner, name: "Importer", email: `${owner}@example.test` }),
    // Trailing blanks are valid JSON and carry the body past the server's usual 1 MiB limit.
    ...names.map(
      (name) =>
        JSON.stringify({
          kind: "service",
          type: "domain",
          name,
          contactAdmin: owner,
          contactTech: owner,
          contactBilling: owner,
        }) + " ".repeat(4000),
    ),
    '{"kind":"service","type":"castle"}',
  ];
  const body = lines.join("\n");
  expect(Buffer.byteLength(body)).toBeGreaterThan(1024 * 1024);

  const answer = await provider.importLines(`/import?source=e2e-${owner}`, body);
  expect(answer.status()).toBe(200);
  const report = await answer.json();
  expect(report).toMatchObject({ fromLine: 1, linesRead: 302, accounts: 1, services: 300, moreErrors: 0 });
  expect(report.errors).toEqual([{ line: 302, message: expect.any(String) }]);
  expect((await provider.get(`/services/domain/${names[150]}`)).status()).toBe(200);

  // Elsewhere the limit holds, token or not.
  const big = await request.put(`${API}/accounts/${owner}`, {
    headers: { authorization: `Bearer sc_prov_${"x".repeat(43)}`, "content-type": "application/json" },
    data: Buffer.from(body),
  });
  expect(big.status()).toBe(413);
});

/** A POST whose body goes out in chunks (Transfer-Encoding: chunked, no Content-Length), as a pipe sends it. */
function postChunked(
  path: string,
  headers: Record<string, string>,
  chunks: string[],
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: "localhost", port: E2E_PORT, method: "POST", path, headers },
      (response) => {
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => {
          body += chunk;
        });
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
      },
    );
    request.on("error", reject);
    for (const chunk of chunks) request.write(chunk);
    request.end();
  });
}

test("a chunked import is read as it comes; chunked bodies stay refused elsewhere", async ({ db }) => {
  const token = createToken(db, ["import", "accounts:write"]);
  const customerId = newCustomerId();
  const line = JSON.stringify({
    kind: "account",
    customerId,
    name: "Chunked",
    email: `${customerId}@example.test`,
  });
  const headers = { authorization: `Bearer ${token}`, "content-type": "application/x-ndjson" };
  const imported = await postChunked(`${API}/import?source=chunked-${customerId}`, headers, [
    line.slice(0, 20),
    `${line.slice(20)}\n`,
  ]);
  expect(imported.status).toBe(200);
  expect(JSON.parse(imported.body)).toMatchObject({ linesRead: 1, accounts: 1, errors: [] });
  const elsewhere = await postChunked(
    `${API}/webhook-endpoints`,
    { ...headers, "content-type": "application/json" },
    ["{}"],
  );
  expect(elsewhere.status).toBe(411);
});

test("a customer's session never opens the provisioning API", async ({ page, request, db }) => {
  await signIn(page, ANNA);
  const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
  const before = db.prepare("SELECT * FROM accounts WHERE customer_id = ?").get(ANNA);
  const answer = await request.put(`${API}/accounts/${ANNA}`, {
    headers: { cookie, "content-type": "application/json" },
    data: { name: "Hijacked", email: "anna@example.test" },
  });
  expect(answer.status()).toBe(401);
  expect(await answer.json()).toMatchObject({ errorCode: "INVALID_TOKEN" });
  expect((await request.get(`${API}/accounts/${ANNA}`, { headers: { cookie } })).status()).toBe(401);
  expect(db.prepare("SELECT * FROM accounts WHERE customer_id = ?").get(ANNA)).toEqual(before);
});
