import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Db } from "@/db/client";
import { apiSeenSignatures } from "@/db/schema";
import { openTestDb } from "@/db/testing";
import {
  type AuthenticateApiRequestInput,
  apiPathOf,
  authenticateApiRequest,
  LAST_USE_PRECISION_MS,
  purgeSeenSignatures,
  SEEN_SIGNATURE_RETENTION_MS,
} from "./authenticate-api-request";
import { decideApiCredential } from "./decide-api-credential";
import { API_AUTH_ERRORS, type ApiAuthErrorCode } from "./reason-codes";
import { revokeApiApplication } from "./revoke-api-application";
import { revokeConsumerKey } from "./revoke-consumer-key";
import {
  at,
  authenticationTraces,
  callWithOfficialClient,
  createAccount,
  createApplication,
  keyRow,
  officialClient,
  requestKey,
  signedByOfficialClient,
  stubAuthSecret,
  T0,
  T0_S,
  validatedKey,
} from "./testing/api-auth-fixtures";
import type { ApiAccessRule } from "./vocabulary";

let db: Db;

beforeEach(async () => {
  stubAuthSecret();
  db = await openTestDb();
});
afterEach(async () => {
  await db.close();
  vi.unstubAllEnvs();
});

const RULES: ApiAccessRule[] = [
  { method: "GET", path: "/me" },
  { method: "GET", path: "/me/task/contactChange*" },
  { method: "POST", path: "/domain/*/changeContact" },
];

/** Alice's validated key with RULES, and a GET /me signed with it at T0 by the official client. */
async function aliceSetUp() {
  const alice = await createAccount(db);
  const { application, consumerKey } = await validatedKey(db, alice.id, RULES);
  const sign = (overrides: Partial<Parameters<typeof signedByOfficialClient>[0]> = {}) =>
    signedByOfficialClient({
      applicationKey: application.applicationKey,
      applicationSecret: application.applicationSecret,
      consumerKey,
      method: "GET",
      path: "/me",
      ...overrides,
    });
  return { alice, application, consumerKey, sign };
}

const authenticate = (request: Omit<AuthenticateApiRequestInput, "now">, now = T0) =>
  authenticateApiRequest(db, { ...request, now });

function refused(errorCode: ApiAuthErrorCode) {
  return { ok: false, errorCode, ...API_AUTH_ERRORS[errorCode] };
}

/** Checks `request` is refused with `errorCode` and leaves no trace. */
async function expectRefused(
  request: Omit<AuthenticateApiRequestInput, "now">,
  errorCode: ApiAuthErrorCode,
  now = T0,
) {
  const before = await authenticationTraces(db);
  expect(await authenticate(request, now)).toEqual(refused(errorCode));
  expect(await authenticationTraces(db)).toEqual(before);
}

describe("a request signed by OVH's official client", () => {
  it("authenticates as the account that validated the key, and records its use", async () => {
    const { alice, application, consumerKey } = await aliceSetUp();
    const client = officialClient({
      appKey: application.applicationKey,
      appSecret: application.applicationSecret,
      consumerKey,
    });
    const post = await callWithOfficialClient(client, {
      method: "POST",
      path: "/domain/example.pl/changeContact",
      params: { contactAdmin: "żółw-ovh", contactTech: undefined },
      serverTime: T0_S,
    });
    expect(post.body).toBe('{"contactAdmin":"\\u017c\\u00f3\\u0142w-ovh"}');
    expect(await authenticationTraces(db)).toEqual({ seen: 0, lastUsed: [] });
    const result = await authenticate(post);
    expect(result).toEqual({
      ok: true,
      accountId: alice.id,
      applicationId: application.id,
      consumerKeyId: expect.any(Number),
    });
    if (!result.ok) return;
    expect((await keyRow(db, result.consumerKeyId))?.lastUsedAt).toEqual(T0);
    expect(await db.read.select().from(apiSeenSignatures)).toMatchObject([
      { consumerKeyId: result.consumerKeyId, signature: post.headers.signature, seenAt: T0 },
    ]);

    const get = await callWithOfficialClient(client, {
      method: "GET",
      path: "/me/task/contactChange",
      params: { state: "validatingByCustomers" },
      serverTime: T0_S,
    });
    expect(get.url).toMatch(/\/api\/1\.0\/me\/task\/contactChange\?state=validatingByCustomers$/);
    expect(await authenticate(get)).toMatchObject({ ok: true, accountId: alice.id });
  });

  it("is accepted up to 180 seconds from the server's clock, either way", async () => {
    const { sign } = await aliceSetUp();
    expect(await authenticate(sign({ timestamp: T0_S - 180 }))).toMatchObject({ ok: true });
    expect(await authenticate(sign({ timestamp: T0_S + 180 }))).toMatchObject({ ok: true });
  });
});

describe("authentication refuses, with OVH's code, and writes nothing", () => {
  it("a request without an application key, or with an unknown one: INVALID_KEY", async () => {
    const { sign } = await aliceSetUp();
    const request = sign();
    await expectRefused(
      { ...request, headers: { ...request.headers, application: undefined } },
      "INVALID_KEY",
    );
    await expectRefused({ ...request, headers: { ...request.headers, application: "" } }, "INVALID_KEY");
    await expectRefused(
      { ...request, headers: { ...request.headers, application: "AAAAAAAAAAAAAAAA" } },
      "INVALID_KEY",
    );
  });

  it("a revoked application's request, whichever of its keys signs it: INVALID_KEY", async () => {
    const { alice, application, sign } = await aliceSetUp();
    expect(await authenticate(sign({ timestamp: T0_S - 1 }))).toMatchObject({ ok: true });
    await revokeApiApplication(db, { accountId: alice.id, applicationId: application.id, now: T0 });
    await expectRefused(sign(), "INVALID_KEY");
  });

  it("a request without a consumer key, or with an unknown one: INVALID_CREDENTIAL", async () => {
    const { sign } = await aliceSetUp();
    const request = sign();
    await expectRefused(
      { ...request, headers: { ...request.headers, consumer: undefined } },
      "INVALID_CREDENTIAL",
    );
    await expectRefused(sign({ consumerKey: "x".repeat(32) }), "INVALID_CREDENTIAL");
  });

  it("a key still pending, or refused: INVALID_CREDENTIAL", async () => {
    const alice = await createAccount(db);
    const application = await createApplication(db, alice.id);
    const pending = await requestKey(db, application.applicationKey);
    const refusedKey = await requestKey(db, application.applicationKey);
    await decideApiCredential(db, {
      credentialToken: refusedKey.credentialToken,
      accountId: alice.id,
      approve: false,
      now: T0,
    });
    for (const { consumerKey } of [pending, refusedKey]) {
      await expectRefused(
        signedByOfficialClient({
          applicationKey: application.applicationKey,
          applicationSecret: application.applicationSecret,
          consumerKey,
          method: "GET",
          path: "/me",
        }),
        "INVALID_CREDENTIAL",
      );
    }
  });

  it("another application's key: INVALID_CREDENTIAL", async () => {
    const { alice, consumerKey } = await aliceSetUp();
    const other = await createApplication(db, alice.id, "Other tool");
    await expectRefused(
      signedByOfficialClient({
        applicationKey: other.applicationKey,
        applicationSecret: other.applicationSecret,
        consumerKey,
        method: "GET",
        path: "/me",
      }),
      "INVALID_CREDENTIAL",
    );
  });

  it("a revoked key: INVALID_CREDENTIAL", async () => {
    const { alice, sign } = await aliceSetUp();
    const first = await authenticate(sign({ timestamp: T0_S - 1 }));
    if (!first.ok) throw new Error(first.errorCode);
    await revokeConsumerKey(db, { accountId: alice.id, consumerKeyId: first.consumerKeyId, now: T0 });
    await expectRefused(sign(), "INVALID_CREDENTIAL");
  });

  it("a missing, malformed or stale timestamp (over 180 s off): INVALID_TIMESTAMP", async () => {
    const { sign } = await aliceSetUp();
    const request = sign();
    await expectRefused(
      { ...request, headers: { ...request.headers, timestamp: undefined } },
      "INVALID_TIMESTAMP",
    );
    await expectRefused(
      { ...request, headers: { ...request.headers, timestamp: "soon" } },
      "INVALID_TIMESTAMP",
    );
    await expectRefused(
      { ...request, headers: { ...request.headers, timestamp: "-1" } },
      "INVALID_TIMESTAMP",
    );
    await expectRefused(sign({ timestamp: T0_S - 181 }), "INVALID_TIMESTAMP");
    await expectRefused(sign({ timestamp: T0_S + 181 }), "INVALID_TIMESTAMP");
  });

  it("a wrong or missing signature: INVALID_SIGNATURE", async () => {
    const { application, consumerKey, sign } = await aliceSetUp();
    const request = sign();
    await expectRefused(
      { ...request, headers: { ...request.headers, signature: undefined } },
      "INVALID_SIGNATURE",
    );
    await expectRefused(
      { ...request, headers: { ...request.headers, signature: "$1$0" } },
      "INVALID_SIGNATURE",
    );
    await expectRefused(sign({ applicationSecret: "y".repeat(32) }), "INVALID_SIGNATURE");
    // Signed for something else than what arrives.
    await expectRefused({ ...request, method: "POST" }, "INVALID_SIGNATURE");
    await expectRefused({ ...request, url: `${request.url}?x=1` }, "INVALID_SIGNATURE");
    await expectRefused({ ...request, body: "{}" }, "INVALID_SIGNATURE");
    await expectRefused(
      { ...request, headers: { ...request.headers, timestamp: String(T0_S + 1) } },
      "INVALID_SIGNATURE",
    );
    expect(application.applicationKey).toBe(request.headers.application);
    expect(consumerKey).toBe(request.headers.consumer);
  });

  it("a call no access rule covers: NOT_GRANTED_CALL", async () => {
    const { sign } = await aliceSetUp();
    await expectRefused(sign({ method: "POST", path: "/me" }), "NOT_GRANTED_CALL");
    await expectRefused(sign({ method: "DELETE", path: "/me" }), "NOT_GRANTED_CALL");
    await expectRefused(sign({ path: "/me/" }), "NOT_GRANTED_CALL");
    await expectRefused(sign({ path: "/domain/example.pl/serviceInfos" }), "NOT_GRANTED_CALL");
    await expectRefused(
      sign({ method: "POST", path: "/me/task/contactChange/1/accept" }),
      "NOT_GRANTED_CALL",
    );
    // `*` matches inside the path, but `..` cannot walk out of the rule's prefix.
    await expectRefused(sign({ method: "POST", path: "/domain/../me/changeContact" }), "NOT_GRANTED_CALL");
    await expectRefused(sign({ method: "POST", path: "/domain/%2e%2e/x/changeContact" }), "NOT_GRANTED_CALL");
  });

  it("grants by the path without its query", async () => {
    const { sign } = await aliceSetUp();
    expect(await authenticate(sign({ path: "/me?fields=name" }))).toMatchObject({ ok: true });
    expect(await authenticate(sign({ path: "/me/task/contactChange?state=done" }))).toMatchObject({
      ok: true,
    });
    expect(
      await authenticate(sign({ method: "POST", path: "/domain/example.pl/changeContact" })),
    ).toMatchObject({
      ok: true,
    });
  });
});

/** A call that changes something, which a replay could repeat. */
const CHANGE = { method: "POST", path: "/domain/example.pl/changeContact" } as const;

describe("replays", () => {
  it("a request accepted once is refused the second time: REPLAYED_REQUEST", async () => {
    const { sign } = await aliceSetUp();
    const request = sign(CHANGE);
    expect(await authenticate(request)).toMatchObject({ ok: true });
    await expectRefused(request, "REPLAYED_REQUEST", at(1000));
    await expectRefused(request, "REPLAYED_REQUEST", at(179_000));
    // The same call a second later is another request (another timestamp, another signature).
    expect(await authenticate(sign({ ...CHANGE, timestamp: T0_S + 1 }))).toMatchObject({ ok: true });
  });

  it("a GET repeated within the second is heard again: it changes nothing, and scripts poll", async () => {
    const { sign } = await aliceSetUp();
    const request = sign();
    expect(await authenticate(request)).toMatchObject({ ok: true });
    expect(await authenticate(request, at(500))).toMatchObject({ ok: true });
  });

  it("GETs within a minute of the key's last recorded use write nothing; later ones record it again", async () => {
    const { sign } = await aliceSetUp();
    const first = await authenticate(sign());
    if (!first.ok) throw new Error(first.errorCode);
    const secondS = T0_S + (LAST_USE_PRECISION_MS - 1000) / 1000;
    expect(await authenticate(sign({ timestamp: secondS }), at(LAST_USE_PRECISION_MS - 1000))).toMatchObject({
      ok: true,
    });
    expect((await keyRow(db, first.consumerKeyId))?.lastUsedAt).toEqual(T0);
    const laterS = T0_S + LAST_USE_PRECISION_MS / 1000;
    expect(await authenticate(sign({ timestamp: laterS }), at(LAST_USE_PRECISION_MS))).toMatchObject({
      ok: true,
    });
    expect((await keyRow(db, first.consumerKeyId))?.lastUsedAt).toEqual(at(LAST_USE_PRECISION_MS));
  });

  it("of the same request sent twice at once only one is accepted", async () => {
    const { sign } = await aliceSetUp();
    const request = sign(CHANGE);
    const results = await Promise.all([authenticate(request), authenticate(request), authenticate(request)]);
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(results.filter((result) => !result.ok)).toEqual([
      refused("REPLAYED_REQUEST"),
      refused("REPLAYED_REQUEST"),
    ]);
    expect((await authenticationTraces(db)).seen).toBe(1);
  });

  it("purgeSeenSignatures forgets only signatures older than twice the allowed skew", async () => {
    const { sign } = await aliceSetUp();
    expect(await authenticate(sign({ ...CHANGE, timestamp: T0_S }), T0)).toMatchObject({ ok: true });
    expect(await authenticate(sign({ ...CHANGE, timestamp: T0_S + 60 }), at(60_000))).toMatchObject({
      ok: true,
    });
    expect(SEEN_SIGNATURE_RETENTION_MS).toBe(360_000);
    expect(await purgeSeenSignatures(db, at(SEEN_SIGNATURE_RETENTION_MS))).toBe(0);
    expect(await purgeSeenSignatures(db, at(SEEN_SIGNATURE_RETENTION_MS + 1))).toBe(1);
    expect(await db.read.select({ seenAt: apiSeenSignatures.seenAt }).from(apiSeenSignatures)).toEqual([
      { seenAt: at(60_000) },
    ]);
    // By then the forgotten request's timestamp is refused by itself.
    await expectRefused(
      sign({ ...CHANGE, timestamp: T0_S }),
      "INVALID_TIMESTAMP",
      at(SEEN_SIGNATURE_RETENTION_MS + 1),
    );
  });

  it("every 256th accepted request also forgets the signatures nobody needs any more", async () => {
    const { sign } = await aliceSetUp();
    const first = await authenticate(sign({ ...CHANGE, timestamp: T0_S - 3599 }), at(-3_599_000));
    if (!first.ok) throw new Error(first.errorCode);
    await db.transaction((tx) =>
      tx.insert(apiSeenSignatures).values(
        Array.from({ length: 254 }, (_, i) => ({
          consumerKeyId: first.consumerKeyId,
          signature: `$1$old-${i}`,
          seenAt: at(-3_600_000),
        })),
      ),
    );
    expect((await authenticationTraces(db)).seen).toBe(255);
    expect(await authenticate(sign(CHANGE), T0)).toMatchObject({ ok: true });
    expect(await db.read.select({ seenAt: apiSeenSignatures.seenAt }).from(apiSeenSignatures)).toEqual([
      { seenAt: T0 },
    ]);
  });
});

describe("apiPathOf", () => {
  it("is the path under /api/1.0 without the query", () => {
    expect(apiPathOf("https://h.example/api/1.0/me/task/contactChange?state=done")).toBe(
      "/me/task/contactChange",
    );
    expect(apiPathOf("https://h.example/api/1.0/domain/example.pl/serviceInfos")).toBe(
      "/domain/example.pl/serviceInfos",
    );
  });

  it("is null outside /api/1.0, or when a URL parser would read another path", () => {
    expect(apiPathOf("https://h.example/api/1.0")).toBeNull();
    expect(apiPathOf("https://h.example/api/2.0/me")).toBeNull();
    expect(apiPathOf("https://h.example/api/1.0/../admin")).toBeNull();
    expect(apiPathOf("https://h.example/api/1.0/me/%2E%2E/x")).toBeNull();
    expect(apiPathOf("https://h.example/api/1.0/me\\x")).toBeNull();
    expect(apiPathOf("/api/1.0/me")).toBeNull();
  });
});
