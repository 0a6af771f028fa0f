import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { providerTokens, throttleAttempts } from "@/db/schema";
import { openTestDb } from "@/db/testing";
import { CLIENT_ADDRESS_HEADER } from "@/lib/client-address";
import { hashToken } from "@/lib/tokens";
import { authenticateProviderRequest } from "./authenticate-provider-request";
import { createProviderToken, listProviderTokens, revokeProviderToken } from "./provider-tokens";

let db: Db;

beforeEach(async () => {
  db = await openTestDb();
});

afterEach(async () => {
  await db.close();
});

const T0 = new Date("2026-12-01T10:00:00Z");
const MINUTE = 60_000;

async function newToken(scopes: string[] = ["accounts:read"], name = "billing") {
  const created = await createProviderToken(db, { name, scopes, now: T0 });
  if (!created.ok) throw new Error(created.message);
  return created;
}

function request(headers: Record<string, string>, address = "203.0.113.7") {
  return new Request("http://localhost/api/provider/v1/accounts/aa100001-ovh", {
    headers: { [CLIENT_ADDRESS_HEADER]: address, ...headers },
  });
}

const bearer = (token: string, extra: Record<string, string> = {}) =>
  request({ authorization: `Bearer ${token}`, ...extra });

describe("provisioning tokens", () => {
  it("are handed out once, with a recognisable prefix, and only their SHA-256 hash is stored", async () => {
    const { token, view } = await newToken(["services:write", "accounts:read", "accounts:read"]);
    expect(token).toMatch(/^sc_prov_[A-Za-z0-9_-]{43}$/);
    const rows = await db.read.select().from(providerTokens);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.tokenHash).toBe(hashToken(token));
    expect(JSON.stringify(rows)).not.toContain(token.slice(8));
    // Each scope once, in the vocabulary's order.
    expect(view.scopes).toEqual(["accounts:read", "services:write"]);
    expect((await newToken()).token).not.toBe(token);
  });

  it("need a name and known scopes; a refused one stores nothing", async () => {
    for (const [name, scopes, reason] of [
      ["", ["import"], "invalid_name"],
      ["x".repeat(101), ["import"], "invalid_name"],
      ["ok", [], "invalid_scopes"],
      ["ok", ["import", "admin"], "invalid_scopes"],
    ] as const) {
      const result = await createProviderToken(db, { name, scopes });
      expect(result).toMatchObject({ ok: false, reason });
    }
    const refused = await createProviderToken(db, { name: "ok", scopes: ["admin"] });
    expect(refused.ok || refused.message).toContain('Unknown scope "admin"');
    expect(await db.read.select().from(providerTokens)).toEqual([]);
  });

  it("are listed newest first without their secret, and revoked once", async () => {
    const first = await newToken(["import"], "first");
    const second = await newToken(["import"], "second");
    expect((await listProviderTokens(db)).map((view) => view.name)).toEqual(["second", "first"]);
    expect(JSON.stringify(await listProviderTokens(db))).not.toContain(first.token);
    expect(await revokeProviderToken(db, first.view.id, T0)).toBe(true);
    expect(await revokeProviderToken(db, first.view.id, T0)).toBe(false);
    expect(await revokeProviderToken(db, 999, T0)).toBe(false);
    expect(await revokeProviderToken(db, -1, T0)).toBe(false);
    const listed = await listProviderTokens(db);
    expect(listed.find((view) => view.id === first.view.id)?.revokedAt).toEqual(T0);
    expect(listed.find((view) => view.id === second.view.id)?.revokedAt).toBeNull();
  });
});

describe("authenticating a provisioning call", () => {
  it("accepts a token with the scope, and notes its use at most once a minute", async () => {
    const { token, view } = await newToken(["accounts:read"]);
    const auth = await authenticateProviderRequest(db, bearer(token), "accounts:read", T0);
    expect(auth).toEqual({ ok: true, token: { id: view.id, name: "billing", scopes: ["accounts:read"] } });
    const lastUsed = async () => (await listProviderTokens(db))[0]?.lastUsedAt;
    expect(await lastUsed()).toEqual(T0);
    await authenticateProviderRequest(db, bearer(token), "accounts:read", new Date(T0.getTime() + 30_000));
    expect(await lastUsed()).toEqual(T0);
    const later = new Date(T0.getTime() + 2 * MINUTE);
    await authenticateProviderRequest(db, bearer(token), "accounts:read", later);
    expect(await lastUsed()).toEqual(later);
  });

  it("refuses a token without the call's scope with 403", async () => {
    const { token } = await newToken(["accounts:read"]);
    expect(await authenticateProviderRequest(db, bearer(token), "accounts:write", T0)).toMatchObject({
      ok: false,
      status: 403,
      errorCode: "MISSING_SCOPE",
      message: 'This token lacks the scope "accounts:write" this call needs.',
    });
  });

  it.each([
    ["no Authorization header", {}, "Missing provisioning token"],
    [
      "a session cookie alone",
      { cookie: "authjs.session-token=eyJhbGciOi.x.y" },
      "Missing provisioning token",
    ],
    ["Basic credentials", { authorization: "Basic YWE6YmI=" }, "Missing provisioning token"],
    ["an empty bearer", { authorization: "Bearer " }, "Missing provisioning token"],
    [
      "a consumer key as bearer",
      { authorization: `Bearer ${"a".repeat(32)}` },
      "This is not a provisioning token",
    ],
    [
      "OVH-signed headers",
      {
        "x-ovh-application": "app",
        "x-ovh-consumer": "a".repeat(32),
        "x-ovh-timestamp": "1",
        "x-ovh-signature": "$1$abc",
      },
      "never a customer's credentials",
    ],
  ])("refuses %s with 401", async (_case, headers, message) => {
    await newToken(["accounts:read"]);
    const auth = await authenticateProviderRequest(db, request(headers), "accounts:read", T0);
    expect(auth).toMatchObject({ ok: false, status: 401, errorCode: "INVALID_TOKEN" });
    expect(auth.ok || auth.message).toContain(message);
    expect(auth.ok || auth.headers["www-authenticate"]).toBe('Bearer realm="provisioning"');
  });

  it("refuses a valid token sent beside a customer's OVH headers", async () => {
    const { token } = await newToken(["accounts:read"]);
    const auth = await authenticateProviderRequest(
      db,
      bearer(token, { "x-ovh-consumer": "a".repeat(32) }),
      "accounts:read",
      T0,
    );
    expect(auth).toMatchObject({ ok: false, status: 401 });
  });

  it("refuses an unknown and a revoked token with 401", async () => {
    const { token, view } = await newToken(["accounts:read"]);
    const unknown = `sc_prov_${"A".repeat(43)}`;
    expect(await authenticateProviderRequest(db, bearer(unknown), "accounts:read", T0)).toMatchObject({
      status: 401,
      message: "This provisioning token is unknown or revoked.",
    });
    await revokeProviderToken(db, view.id, T0);
    expect(await authenticateProviderRequest(db, bearer(token), "accounts:read", T0)).toMatchObject({
      status: 401,
      message: "This provisioning token is unknown or revoked.",
    });
  });

  it("slows down an address that keeps sending bad tokens, and only that address", async () => {
    const { token } = await newToken(["accounts:read"]);
    const guess = (i: number) => `sc_prov_${String(i).padStart(43, "A")}`;
    for (let i = 0; i < 20; i++) {
      const auth = await authenticateProviderRequest(db, bearer(guess(i)), "accounts:read", T0);
      expect(auth).toMatchObject({ status: 401 });
    }
    const refused = await authenticateProviderRequest(db, bearer(guess(20)), "accounts:read", T0);
    expect(refused).toMatchObject({ ok: false, status: 429, errorCode: "TOO_MANY_REQUESTS" });
    expect(refused.ok || Number(refused.headers["retry-after"])).toBeGreaterThanOrEqual(1);
    // Refused before the lookup: even the right token waits, and the refusal is not counted again.
    const counted = (await db.read.select().from(throttleAttempts)).length;
    expect(await authenticateProviderRequest(db, bearer(token), "accounts:read", T0)).toMatchObject({
      status: 429,
    });
    expect((await db.read.select().from(throttleAttempts)).length).toBe(counted);
    // Another address is heard, and the first one again once the backoff has passed.
    const elsewhere = request({ authorization: `Bearer ${token}` }, "198.51.100.9");
    expect(await authenticateProviderRequest(db, elsewhere, "accounts:read", T0)).toMatchObject({ ok: true });
    const later = new Date(T0.getTime() + 6 * MINUTE);
    expect(await authenticateProviderRequest(db, bearer(token), "accounts:read", later)).toMatchObject({
      ok: true,
    });
  });
});
