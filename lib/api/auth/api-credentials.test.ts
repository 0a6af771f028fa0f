import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Db } from "@/db/client";
import { apiConsumerKeys } from "@/db/schema";
import { openTestDb } from "@/db/testing";
import { hashToken } from "@/lib/tokens";
import { decideApiCredential } from "./decide-api-credential";
import { readCredentialForValidation } from "./read-credential-for-validation";
import { CREDENTIAL_VALIDATION_TTL_MS, requestApiCredential } from "./request-api-credential";
import { revokeApiApplication } from "./revoke-api-application";
import {
  at,
  createAccount,
  createApplication,
  requestKey,
  stubAuthSecret,
  T0,
} from "./testing/api-auth-fixtures";

let db: Db;

beforeEach(async () => {
  stubAuthSecret();
  db = await openTestDb();
});
afterEach(async () => {
  await db.close();
  vi.unstubAllEnvs();
});

const allKeys = () => db.read.select().from(apiConsumerKeys);
const RULES = [
  { method: "GET", path: "/me/task/contactChange*" },
  { method: "POST", path: "/domain/*/changeContact" },
] as const;

describe("requestApiCredential (POST /auth/credential)", () => {
  it("issues a pending 32-character consumer key and a separate validation token, storing only their hashes", async () => {
    const alice = await createAccount(db);
    const application = await createApplication(db, alice.id);
    const requested = await requestApiCredential(db, {
      applicationKey: application.applicationKey,
      accessRules: RULES,
      redirection: "https://tool.example/done",
      now: T0,
    });
    if (!requested.ok) throw new Error(requested.reason);
    expect(requested).toMatchObject({ state: "pendingValidation", validationExpiresAt: at(24 * 3600_000) });
    expect(requested.consumerKey).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(requested.credentialToken).not.toBe(requested.consumerKey);
    const [row] = await allKeys();
    expect(row).toMatchObject({
      applicationId: application.id,
      accountId: null,
      consumerKeyHash: hashToken(requested.consumerKey),
      credentialTokenHash: hashToken(requested.credentialToken),
      accessRules: RULES,
      redirection: "https://tool.example/done",
      state: "pendingValidation",
      createdAt: T0,
      validationExpiresAt: at(CREDENTIAL_VALIDATION_TTL_MS),
      decidedAt: null,
      lastUsedAt: null,
      revokedAt: null,
    });
    expect(JSON.stringify(row)).not.toContain(requested.consumerKey);
    expect(JSON.stringify(row)).not.toContain(requested.credentialToken);
  });

  it("keeps only the method and path of each rule, and no redirection when none is given", async () => {
    const alice = await createAccount(db);
    const application = await createApplication(db, alice.id);
    await requestApiCredential(db, {
      applicationKey: application.applicationKey,
      accessRules: [{ method: "GET", path: "/me", note: "extra" }],
      redirection: null,
    });
    expect(await allKeys()).toMatchObject([
      { accessRules: [{ method: "GET", path: "/me" }], redirection: null },
    ]);
  });

  it("refuses an unknown or revoked application before looking at the rules, storing nothing", async () => {
    const alice = await createAccount(db);
    const application = await createApplication(db, alice.id);
    expect(
      await requestApiCredential(db, { applicationKey: "AAAAAAAAAAAAAAAA", accessRules: RULES }),
    ).toEqual({
      ok: false,
      reason: "unknown_application",
    });
    expect(await requestApiCredential(db, { applicationKey: "", accessRules: [] })).toEqual({
      ok: false,
      reason: "unknown_application",
    });
    await revokeApiApplication(db, { accountId: alice.id, applicationId: application.id });
    expect(
      await requestApiCredential(db, { applicationKey: application.applicationKey, accessRules: RULES }),
    ).toEqual({ ok: false, reason: "unknown_application" });
    expect(await allKeys()).toEqual([]);
  });

  it.each([
    ["no rules", []],
    ["rules that are not a list", { method: "GET", path: "/*" }],
    ["a method outside GET, POST, PUT and DELETE", [{ method: "PATCH", path: "/*" }]],
    ["a path that does not start with /", [{ method: "GET", path: "me" }]],
    ["a path over 200 characters", [{ method: "GET", path: `/${"a".repeat(200)}` }]],
    ["101 rules", Array.from({ length: 101 }, () => ({ method: "GET", path: "/me" }))],
  ])("refuses %s as invalid_rules, storing nothing", async (_, accessRules) => {
    const alice = await createAccount(db);
    const application = await createApplication(db, alice.id);
    expect(
      await requestApiCredential(db, { applicationKey: application.applicationKey, accessRules }),
    ).toEqual({
      ok: false,
      reason: "invalid_rules",
    });
    expect(await allKeys()).toEqual([]);
  });

  it.each([
    ["a relative address", "/done"],
    ["another scheme", "javascript:alert(1)"],
    ["an address over 2,000 characters", `https://tool.example/${"a".repeat(2000)}`],
    ["something that is not text", 12],
  ])("refuses %s as redirection, storing nothing", async (_, redirection) => {
    const alice = await createAccount(db);
    const application = await createApplication(db, alice.id);
    expect(
      await requestApiCredential(db, {
        applicationKey: application.applicationKey,
        accessRules: RULES,
        redirection,
      }),
    ).toEqual({ ok: false, reason: "invalid_redirection" });
    expect(await allKeys()).toEqual([]);
  });
});

describe("readCredentialForValidation (opening the validation URL)", () => {
  it("shows the application and the rules, and changes nothing however often it is opened", async () => {
    const alice = await createAccount(db);
    const application = await createApplication(db, alice.id, "Batch tool");
    const { credentialToken } = await requestKey(db, application.applicationKey, [...RULES]);
    const before = await allKeys();
    for (let i = 0; i < 3; i += 1) {
      expect(await readCredentialForValidation(db, { credentialToken, now: at(1000) })).toEqual({
        applicationName: "Batch tool",
        applicationDescription: "Moves contacts",
        applicationOwner: alice.customerId,
        accessRules: RULES,
        state: "pendingValidation",
        validationExpiresAt: at(CREDENTIAL_VALIDATION_TTL_MS),
        redirection: null,
        undecidableReason: null,
      });
    }
    expect(await allKeys()).toEqual(before);
  });

  it("is null for a token that names no key, and says why a found key can no longer be decided", async () => {
    const alice = await createAccount(db);
    const application = await createApplication(db, alice.id);
    const { credentialToken } = await requestKey(db, application.applicationKey);
    expect(await readCredentialForValidation(db, { credentialToken: "nope" })).toBeNull();
    expect(await readCredentialForValidation(db, { credentialToken: "" })).toBeNull();
    const read = (now: Date) => readCredentialForValidation(db, { credentialToken, now });
    expect((await read(at(CREDENTIAL_VALIDATION_TTL_MS)))?.undecidableReason).toBe("expired");
    await decideApiCredential(db, { credentialToken, accountId: alice.id, approve: false, now: at(1) });
    expect(await read(at(2))).toMatchObject({ state: "refused", undecidableReason: "already_decided" });
  });
});

describe("decideApiCredential (the validation page's buttons)", () => {
  it("approving makes the key validated, acting for the approving account", async () => {
    const owner = await createAccount(db, "Owner");
    const alice = await createAccount(db);
    const application = await createApplication(db, owner.id);
    const requested = await requestApiCredential(db, {
      applicationKey: application.applicationKey,
      accessRules: RULES,
      redirection: "https://tool.example/done",
      now: T0,
    });
    if (!requested.ok) throw new Error(requested.reason);
    expect(
      await decideApiCredential(db, {
        credentialToken: requested.credentialToken,
        accountId: alice.id,
        approve: true,
        now: at(60_000),
      }),
    ).toEqual({ ok: true, state: "validated", redirection: "https://tool.example/done" });
    expect(await allKeys()).toMatchObject([
      { state: "validated", accountId: alice.id, decidedAt: at(60_000) },
    ]);
  });

  it("refusing makes the key refused for good", async () => {
    const alice = await createAccount(db);
    const application = await createApplication(db, alice.id);
    const { credentialToken } = await requestKey(db, application.applicationKey);
    expect(
      await decideApiCredential(db, { credentialToken, accountId: alice.id, approve: false, now: at(5) }),
    ).toEqual({ ok: true, state: "refused", redirection: null });
    expect(await allKeys()).toMatchObject([{ state: "refused", accountId: alice.id, decidedAt: at(5) }]);
    expect(
      await decideApiCredential(db, { credentialToken, accountId: alice.id, approve: true, now: at(6) }),
    ).toEqual({ ok: false, reason: "already_decided" });
  });

  it("approving twice is already_decided, and the first approval stands", async () => {
    const alice = await createAccount(db);
    const bob = await createAccount(db, "Bob");
    const application = await createApplication(db, alice.id);
    const { credentialToken } = await requestKey(db, application.applicationKey);
    await decideApiCredential(db, { credentialToken, accountId: alice.id, approve: true, now: at(1) });
    expect(
      await decideApiCredential(db, { credentialToken, accountId: bob.id, approve: true, now: at(2) }),
    ).toEqual({
      ok: false,
      reason: "already_decided",
    });
    expect(await allKeys()).toMatchObject([{ state: "validated", accountId: alice.id, decidedAt: at(1) }]);
  });

  it("of two decisions at once only one wins", async () => {
    const alice = await createAccount(db);
    const bob = await createAccount(db, "Bob");
    const application = await createApplication(db, alice.id);
    const { credentialToken } = await requestKey(db, application.applicationKey);
    const results = await Promise.all([
      decideApiCredential(db, { credentialToken, accountId: alice.id, approve: true, now: at(1) }),
      decideApiCredential(db, { credentialToken, accountId: bob.id, approve: false, now: at(1) }),
    ]);
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(results.filter((result) => !result.ok)).toEqual([{ ok: false, reason: "already_decided" }]);
    const [row] = await allKeys();
    expect(row?.accountId).toBe(row?.state === "validated" ? alice.id : bob.id);
  });

  it("is expired 24 hours after the request, and changes nothing", async () => {
    const alice = await createAccount(db);
    const application = await createApplication(db, alice.id);
    const { credentialToken } = await requestKey(db, application.applicationKey);
    const decide = (now: Date) =>
      decideApiCredential(db, { credentialToken, accountId: alice.id, approve: true, now });
    expect(await decide(at(CREDENTIAL_VALIDATION_TTL_MS))).toEqual({ ok: false, reason: "expired" });
    expect(await allKeys()).toMatchObject([{ state: "pendingValidation", accountId: null, decidedAt: null }]);
    expect(await decide(at(CREDENTIAL_VALIDATION_TTL_MS - 1))).toMatchObject({ ok: true });
  });

  it("is not_found for a token that names no key", async () => {
    const alice = await createAccount(db);
    expect(
      await decideApiCredential(db, { credentialToken: "nope", accountId: alice.id, approve: true, now: T0 }),
    ).toEqual({ ok: false, reason: "not_found" });
  });

  it("is application_revoked once the application is revoked", async () => {
    const alice = await createAccount(db);
    const application = await createApplication(db, alice.id);
    const { credentialToken } = await requestKey(db, application.applicationKey);
    await revokeApiApplication(db, { accountId: alice.id, applicationId: application.id, now: at(1) });
    expect(
      await decideApiCredential(db, { credentialToken, accountId: alice.id, approve: true, now: at(2) }),
    ).toEqual({ ok: false, reason: "application_revoked" });
    expect(await allKeys()).toMatchObject([{ state: "pendingValidation", accountId: null }]);
  });
});
