import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Db } from "@/db/client";
import { CLIENT_ADDRESS_HEADER } from "@/lib/client-address";
import { MAX_BODY_BYTES } from "@/lib/config";
import { createProviderToken, revokeProviderToken } from "@/lib/provider/auth";
import type { ProviderScope } from "@/lib/provider/vocabulary";
import { PROVIDER_SCOPES } from "@/lib/provider/vocabulary";
import {
  ANNA,
  askOne,
  BARTOSZ,
  CELINA,
  contactsOf,
  DAWID,
  openTestDb,
  requestRow,
  snapshot,
  T0,
} from "@/lib/requests/testing/confirming-fixtures";
import { handleProviderRequest } from "./handle-provider-request";

let db: Db;
/** A token with every scope, and its id. */
let token: string;
let tokenId: number;

async function tokenWith(scopes: readonly ProviderScope[]) {
  const created = await createProviderToken(db, { name: "billing", scopes, now: T0 });
  if (!created.ok) throw new Error(created.message);
  return created;
}

beforeEach(async () => {
  db = await openTestDb();
  const created = await tokenWith(PROVIDER_SCOPES);
  token = created.token;
  tokenId = created.view.id;
});

afterEach(async () => {
  await db.close();
});

type Options = {
  body?: unknown;
  /** Sent as is (a string) instead of as JSON. */
  raw?: BodyInit;
  contentType?: string | null;
  headers?: Record<string, string>;
  bearer?: string | null;
};

/** One call as the provider's systems make it, through the whole door but Next. */
async function call(method: string, path: string, options: Options = {}) {
  const headers: Record<string, string> = { [CLIENT_ADDRESS_HEADER]: "203.0.113.7", ...options.headers };
  const bearer = options.bearer === undefined ? token : options.bearer;
  if (bearer !== null) headers.authorization = `Bearer ${bearer}`;
  const body = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const contentType = options.contentType === undefined ? "application/json" : options.contentType;
  if (body !== undefined && contentType !== null) headers["content-type"] = contentType;
  const response = await handleProviderRequest(
    db,
    new Request(`http://localhost/api/provider/v1${path}`, { method, headers, body }),
    T0,
  );
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
}

const DAWID_AS_PROVIDER = {
  name: "Dawid Kowalczyk",
  email: "dawid@example.test",
  language: "pl",
  paymentStanding: "upToDate",
};

describe("accounts", () => {
  it("PUT creates (201), the same PUT again updates nothing (200), and GET shows the account", async () => {
    const created = await call("PUT", "/accounts/GG700007-OVH", {
      body: { name: "Gabriela", email: "Gabi@Example.test", paymentStanding: "overdue" },
    });
    expect(created).toMatchObject({
      status: 201,
      body: {
        customerId: "gg700007-ovh",
        name: "Gabriela",
        email: "gabi@example.test",
        language: "en",
        paymentStanding: "overdue",
        emailUndeliverable: null,
      },
    });
    expect(created.headers.get("cache-control")).toBe("no-store");
    const again = await call("PUT", "/accounts/gg700007-ovh", {
      body: { name: "Gabriela", email: "gabi@example.test", paymentStanding: "overdue" },
    });
    expect(again).toEqual({ ...created, status: 200, headers: again.headers });
    expect((await call("GET", "/accounts/gg700007-ovh")).body).toEqual(created.body);
    expect(await call("GET", "/accounts/zz999999-ovh")).toMatchObject({
      status: 404,
      body: { errorCode: "NOT_FOUND", message: "No account has this customer ID." },
    });
  });

  it("refuses an e-mail address another account holds with 409, changing nothing", async () => {
    const before = await snapshot(db);
    expect(
      await call("PUT", `/accounts/${DAWID}`, { body: { ...DAWID_AS_PROVIDER, email: "anna@example.test" } }),
    ).toMatchObject({ status: 409, body: { errorCode: "EMAIL_TAKEN" } });
    expect(await snapshot(db)).toEqual(before);
  });

  it.each([
    [
      "an invalid customer ID",
      "/accounts/not-a-handle",
      { body: DAWID_AS_PROVIDER },
      400,
      'Invalid path parameter "customerId"',
    ],
    [
      "a missing field",
      `/accounts/${DAWID}`,
      { body: { email: "d@example.test" } },
      400,
      'Missing body field "name"',
    ],
    [
      "an unknown field",
      `/accounts/${DAWID}`,
      { body: { ...DAWID_AS_PROVIDER, role: "admin" } },
      400,
      'Unknown body field "role"',
    ],
    [
      "a bad e-mail",
      `/accounts/${DAWID}`,
      { body: { ...DAWID_AS_PROVIDER, email: "nope" } },
      400,
      'Invalid body field "email"',
    ],
    [
      "an unknown language",
      `/accounts/${DAWID}`,
      { body: { ...DAWID_AS_PROVIDER, language: "de" } },
      400,
      'Invalid body field "language": must be one of en, pl',
    ],
    [
      "a name with NUL",
      `/accounts/${DAWID}`,
      { body: { ...DAWID_AS_PROVIDER, name: "a\u0000b" } },
      400,
      'Invalid body field "name"',
    ],
    [
      "a wrong type",
      `/accounts/${DAWID}`,
      { body: { ...DAWID_AS_PROVIDER, name: 42 } },
      400,
      'Invalid body field "name"',
    ],
    [
      "a JSON array",
      `/accounts/${DAWID}`,
      { body: [DAWID_AS_PROVIDER] },
      400,
      "The request body must be a JSON object",
    ],
    ["broken JSON", `/accounts/${DAWID}`, { raw: '{"name":' }, 400, "The request body is not valid JSON."],
    [
      "a form body",
      `/accounts/${DAWID}`,
      { raw: "name=x", contentType: "application/x-www-form-urlencoded" },
      415,
      "Send the body as application/json.",
    ],
    [
      "no content type",
      `/accounts/${DAWID}`,
      { raw: "{}", contentType: null },
      415,
      "Send the body as application/json.",
    ],
    [
      "a body over the limit",
      `/accounts/${DAWID}`,
      { body: { ...DAWID_AS_PROVIDER, name: "x".repeat(MAX_BODY_BYTES) } },
      413,
      "The request body is larger than",
    ],
    [
      "a query parameter",
      `/accounts/${DAWID}?force=1`,
      { body: DAWID_AS_PROVIDER },
      400,
      'Unknown query parameter "force"',
    ],
    [
      "malformed URL encoding",
      "/accounts/%E0%A4%A",
      { body: DAWID_AS_PROVIDER },
      400,
      'Invalid path parameter "customerId": malformed URL encoding',
    ],
  ] as const)(
    "PUT with %s is refused, naming it, and changes nothing",
    async (_case, path, options, status, message) => {
      const before = await snapshot(db);
      const answer = await call("PUT", path, options as Options);
      expect(answer.status).toBe(status);
      expect(answer.body.message).toContain(message);
      expect(await snapshot(db)).toEqual(before);
    },
  );
});

describe("who may call", () => {
  it.each([
    ["no token", { bearer: null }, 401, "Missing provisioning token"],
    [
      "a session cookie alone",
      { bearer: null, headers: { cookie: "authjs.session-token=x.y.z" } },
      401,
      "Missing provisioning token",
    ],
    [
      "a customer's OVH-signed headers",
      { headers: { "x-ovh-consumer": "a".repeat(32), "x-ovh-application": "k" } },
      401,
      "never a customer's credentials",
    ],
    ["a made-up token", { bearer: `sc_prov_${"B".repeat(43)}` }, 401, "unknown or revoked"],
  ] as const)("refuses %s, changing nothing", async (_case, options, status, message) => {
    const before = await snapshot(db);
    const answer = await call("PUT", `/accounts/${DAWID}`, { body: DAWID_AS_PROVIDER, ...options });
    expect(answer).toMatchObject({ status, body: { errorCode: "INVALID_TOKEN" } });
    expect(answer.body.message).toContain(message);
    expect(answer.headers.get("www-authenticate")).toBe('Bearer realm="provisioning"');
    expect(await snapshot(db)).toEqual(before);
  });

  it("refuses a revoked token, and a token without the call's scope with 403", async () => {
    const reader = await tokenWith(["accounts:read"]);
    expect((await call("GET", `/accounts/${DAWID}`, { bearer: reader.token })).status).toBe(200);
    const before = await snapshot(db);
    expect(
      await call("PUT", `/accounts/${DAWID}`, { body: DAWID_AS_PROVIDER, bearer: reader.token }),
    ).toMatchObject({
      status: 403,
      body: {
        errorCode: "MISSING_SCOPE",
        message: 'This token lacks the scope "accounts:write" this call needs.',
      },
    });
    expect(await call("GET", "/services/domain/example.pl", { bearer: reader.token })).toMatchObject({
      status: 403,
    });
    await revokeProviderToken(db, tokenId, T0);
    expect(await call("PUT", `/accounts/${DAWID}`, { body: DAWID_AS_PROVIDER })).toMatchObject({
      status: 401,
    });
    expect(await snapshot(db)).toEqual(before);
  });
});

describe("routing", () => {
  it("answers 404 for a path that names no call and 405 with Allow for a wrong method", async () => {
    for (const path of [
      "/nothing",
      "/accounts",
      `/accounts/${DAWID}/`,
      "/accounts/a/b",
      `/${"x".repeat(2000)}`,
    ]) {
      expect(await call("GET", path), path).toMatchObject({ status: 404, body: { errorCode: "NOT_FOUND" } });
    }
    const wrong = await call("POST", `/accounts/${DAWID}`, { body: DAWID_AS_PROVIDER });
    expect(wrong).toMatchObject({ status: 405, body: { message: "This path answers GET, PUT only." } });
    expect(wrong.headers.get("allow")).toBe("GET, PUT");
    expect(await call("PATCH", "/import")).toMatchObject({ status: 405 });
  });

  it("refuses a body on a call that takes none, changing nothing", async () => {
    const before = await snapshot(db);
    expect(await call("DELETE", "/services/domain/example.pl", { body: { force: true } })).toMatchObject({
      status: 400,
      body: { message: "This call takes no body" },
    });
    expect(await snapshot(db)).toEqual(before);
  });
});

describe("a failure inside", () => {
  it("answers a bare 500 that tells the caller nothing of it", async () => {
    const broken = await openTestDb();
    await broken.close();
    const response = await handleProviderRequest(
      broken,
      new Request(`http://localhost/api/provider/v1/accounts/${DAWID}`, {
        headers: { authorization: `Bearer ${token}` },
      }),
      T0,
    );
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ message: "Internal server error.", errorCode: "INTERNAL_ERROR" });
  });
});

describe("services", () => {
  it("PUT creates and updates a service's contacts, GET shows them, DELETE removes it", async () => {
    const created = await call("PUT", "/services/vps/vps-7.example.net", {
      body: { contactAdmin: ANNA, contactTech: "BB200002-OVH", contactBilling: CELINA },
    });
    expect(created).toMatchObject({
      status: 201,
      body: {
        type: "vps",
        name: "vps-7.example.net",
        contactAdmin: ANNA,
        contactTech: BARTOSZ,
        contactBilling: CELINA,
        cancelledRequestIds: [],
      },
    });
    expect(await call("GET", "/services/vps/vps-7.example.net")).toMatchObject({
      status: 200,
      body: { name: "vps-7.example.net", contactTech: BARTOSZ },
    });
    expect(await call("GET", "/services/domain/vps-7.example.net")).toMatchObject({ status: 404 });
    expect(await call("DELETE", "/services/vps/vps-7.example.net")).toMatchObject({
      status: 200,
      body: { cancelledRequestIds: [] },
    });
    expect(await call("GET", "/services/vps/vps-7.example.net")).toMatchObject({ status: 404 });
    expect(await call("DELETE", "/services/vps/vps-7.example.net")).toMatchObject({ status: 404 });
  });

  it("a change of contacts cancels the pending request it makes stale and says which", async () => {
    const requestId = await askOne(db, ANNA, "example.pl", { tech: DAWID });
    const changed = await call("PUT", "/services/domain/example.pl", {
      body: { contactAdmin: ANNA, contactTech: CELINA, contactBilling: CELINA },
    });
    expect(changed).toMatchObject({
      status: 200,
      body: { contactTech: CELINA, cancelledRequestIds: [requestId] },
    });
    expect((await requestRow(db, requestId)).state).toBe("cancelled");
    expect((await contactsOf(db, "example.pl")).tech).toBe(CELINA);
  });

  it.each([
    [
      "an unknown type",
      "/services/castle/example.pl",
      'Invalid path parameter "type": must be one of domain',
    ],
    ["a contact that is no customer ID", "/services/domain/example.pl", 'Invalid body field "contactTech"'],
    ["a contact that names no account", "/services/domain/example.pl", 'Invalid body field "contactBilling"'],
  ])("PUT with %s is refused with 400 naming it, changing nothing", async (which, path, message) => {
    const body = {
      contactAdmin: ANNA,
      contactTech: which.includes("no customer ID") ? "bob" : BARTOSZ,
      contactBilling: which.includes("no account") ? "zz999999-ovh" : CELINA,
    };
    const before = await snapshot(db);
    const answer = await call("PUT", path, { body });
    expect(answer.status).toBe(400);
    expect(answer.body.message).toContain(message);
    expect(await snapshot(db)).toEqual(before);
  });
});

describe("the import", () => {
  const ndjson = (lines: unknown[]) =>
    lines.map((line) => (typeof line === "string" ? line : JSON.stringify(line))).join("\n");

  it("streams NDJSON lines into the core and answers its report, errors by line", async () => {
    const answer = await call("POST", "/import?source=crm.ndjson", {
      contentType: "application/x-ndjson; charset=utf-8",
      raw: ndjson([
        { kind: "account", customerId: "hh800008-ovh", name: "Hanna", email: "hanna@example.test" },
        "{not json",
        {
          kind: "service",
          type: "domain",
          name: "hanna.pl",
          contactAdmin: "hh800008-ovh",
          contactTech: "hh800008-ovh",
          contactBilling: "hh800008-ovh",
        },
      ]),
    });
    expect(answer).toMatchObject({
      status: 200,
      body: { fromLine: 1, linesRead: 3, accounts: 1, services: 1 },
    });
    expect(answer.body.errors).toEqual([{ line: 2, message: expect.any(String) }]);
    expect(await call("GET", "/services/domain/hanna.pl")).toMatchObject({ status: 200 });
  });

  it.each([
    ["application/json", "/import?source=a", 415, "Send the import as application/x-ndjson."],
    ["application/x-ndjson", "/import", 400, 'Missing query parameter "source"'],
    [
      "application/x-ndjson",
      "/import?source=a&resume=yes",
      400,
      'Invalid query parameter "resume": must be true or false',
    ],
    [
      "application/x-ndjson",
      "/import?source=a&source=b",
      400,
      'Query parameter "source" is given more than once',
    ],
  ])("with %s at %s is refused before a line is read", async (contentType, path, status, message) => {
    const before = await snapshot(db);
    const answer = await call("POST", path, {
      contentType,
      raw: JSON.stringify({
        kind: "account",
        customerId: "hh800008-ovh",
        name: "H",
        email: "h@example.test",
      }),
    });
    expect(answer).toMatchObject({ status, body: { message } });
    expect(await snapshot(db)).toEqual(before);
  });
});

describe("webhook endpoints", () => {
  // Endpoint secrets are sealed under a key derived from AUTH_SECRET, which `npm start` provides.
  beforeEach(() => {
    vi.stubEnv("AUTH_SECRET", "a-test-secret-that-is-long-enough-0123456789");
  });

  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it.each([
    [
      "POST",
      "/webhook-endpoints",
      { url: "https://x.example", eventTypes: ["request.eaten"] },
      'Invalid body field "eventTypes.0"',
    ],
    [
      "POST",
      "/webhook-endpoints",
      { url: "https://x.example", eventTypes: [] },
      'Invalid body field "eventTypes"',
    ],
    ["POST", "/webhook-endpoints", {}, 'Missing body field "url"'],
    [
      "DELETE",
      "/webhook-endpoints/abc",
      undefined,
      'Invalid path parameter "id": must be a positive integer',
    ],
    ["GET", "/webhook-endpoints/1/deliveries?limit=0", undefined, 'Invalid query parameter "limit"'],
    ["GET", "/webhook-endpoints/1/deliveries?limit=1000", undefined, 'Invalid query parameter "limit"'],
  ])("%s %s with bad input is refused with 400", async (method, path, body, message) => {
    const answer = await call(method, path, { body });
    expect(answer.status).toBe(400);
    expect(answer.body.message).toContain(message);
  });

  it("refuses a URL events cannot be sent to, naming the field, and registers nothing", async () => {
    const answer = await call("POST", "/webhook-endpoints", {
      body: { url: "ftp://provider.example/hooks" },
    });
    expect(answer).toMatchObject({ status: 400, body: { errorCode: "INVALID_URL" } });
    expect(answer.body.message).toContain('Invalid body field "url"');
    expect((await call("GET", "/webhook-endpoints")).body).toEqual([]);
  });

  it("an id too large to be a row names no endpoint", async () => {
    expect(await call("DELETE", "/webhook-endpoints/99999999999")).toMatchObject({ status: 404 });
  });

  it("registers an endpoint (the secret shown once), lists it, disables it", async () => {
    const created = await call("POST", "/webhook-endpoints", {
      body: { url: "https://provider.example/hooks", eventTypes: ["service.removed"] },
    });
    expect(created).toMatchObject({
      status: 201,
      body: { url: "https://provider.example/hooks", eventTypes: ["service.removed"], disabledAt: null },
    });
    expect(created.body.secret).toMatch(/^whsec_/);
    const listed = await call("GET", "/webhook-endpoints");
    expect(listed.body).toEqual([expect.objectContaining({ id: created.body.id })]);
    expect(JSON.stringify(listed.body)).not.toContain(created.body.secret);
    expect(await call("GET", `/webhook-endpoints/${created.body.id}/deliveries`)).toMatchObject({
      status: 200,
      body: [],
    });
    const disabled = await handleProviderRequest(
      db,
      new Request(`http://localhost/api/provider/v1/webhook-endpoints/${created.body.id}`, {
        method: "DELETE",
        headers: { authorization: `Bearer ${token}` },
      }),
      T0,
    );
    expect(disabled.status).toBe(204);
    expect(await call("GET", "/webhook-endpoints/999/deliveries")).toMatchObject({ status: 404 });
  });
});
