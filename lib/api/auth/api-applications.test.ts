import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Db } from "@/db/client";
import { apiApplications, apiConsumerKeys } from "@/db/schema";
import { openTestDb } from "@/db/testing";
import { decryptApplicationSecret } from "./application-secret-cipher";
import { createApiApplication, MAX_APPLICATIONS_PER_ACCOUNT } from "./create-api-application";
import { decideApiCredential } from "./decide-api-credential";
import { listApiAccess } from "./list-api-access";
import { revokeApiApplication } from "./revoke-api-application";
import { revokeConsumerKey } from "./revoke-consumer-key";
import {
  at,
  createAccount,
  createApplication,
  requestKey,
  stubAuthSecret,
  T0,
  validatedKey,
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

const allApplications = () => db.read.select().from(apiApplications);
const allKeys = () => db.read.select().from(apiConsumerKeys);

describe("createApiApplication", () => {
  it("issues a 16-character key and a 32-character secret, and keeps the secret only encrypted", async () => {
    const alice = await createAccount(db);
    const created = await createApiApplication(db, {
      accountId: alice.id,
      name: "  Batch tool  ",
      description: "Moves contacts\nin bulk",
      now: T0,
    });
    if (!created.ok) throw new Error(created.reason);
    expect(created.applicationKey).toMatch(/^[A-Za-z0-9]{16}$/);
    expect(created.applicationSecret).toMatch(/^[A-Za-z0-9]{32}$/);
    const [row] = await allApplications();
    expect(row).toMatchObject({
      id: created.id,
      accountId: alice.id,
      applicationKey: created.applicationKey,
      name: "Batch tool",
      description: "Moves contacts\nin bulk",
      createdAt: T0,
      revokedAt: null,
    });
    expect(JSON.stringify(row)).not.toContain(created.applicationSecret);
    expect(decryptApplicationSecret(row?.applicationSecretEncrypted ?? "", created.applicationKey)).toBe(
      created.applicationSecret,
    );
  });

  it("gives every application its own key and secret", async () => {
    const alice = await createAccount(db);
    const first = await createApplication(db, alice.id);
    const second = await createApplication(db, alice.id);
    expect(second.applicationKey).not.toBe(first.applicationKey);
    expect(second.applicationSecret).not.toBe(first.applicationSecret);
  });

  it("accepts a name of 100 characters and no description", async () => {
    const alice = await createAccount(db);
    const created = await createApiApplication(db, { accountId: alice.id, name: "ż".repeat(100) });
    expect(created.ok).toBe(true);
    expect((await allApplications())[0]?.description).toBe("");
  });

  it.each([
    ["an empty name", { name: "" }, "invalid_name"],
    ["a name of spaces", { name: "   " }, "invalid_name"],
    ["a name over 100 characters", { name: "a".repeat(101) }, "invalid_name"],
    ["a name with a control character", { name: "Batch\u202Etool" }, "invalid_name"],
    ["a name that is not text", { name: 12 }, "invalid_name"],
    [
      "a description over 500 characters",
      { name: "Tool", description: "a".repeat(501) },
      "invalid_description",
    ],
    [
      "a description with a control character",
      { name: "Tool", description: "a\u0007b" },
      "invalid_description",
    ],
  ])("refuses %s and stores nothing", async (_, fields, reason) => {
    const alice = await createAccount(db);
    expect(await createApiApplication(db, { accountId: alice.id, ...fields })).toEqual({ ok: false, reason });
    expect(await allApplications()).toEqual([]);
  });

  it("refuses a 21st live application; a revoked one frees its place", async () => {
    const alice = await createAccount(db);
    const made = [];
    for (let i = 0; i < MAX_APPLICATIONS_PER_ACCOUNT; i++) {
      const created = await createApiApplication(db, { accountId: alice.id, name: `Tool ${i}` });
      if (!created.ok) throw new Error(created.reason);
      made.push(created);
    }
    expect(await createApiApplication(db, { accountId: alice.id, name: "One more" })).toEqual({
      ok: false,
      reason: "too_many_applications",
    });
    expect(await allApplications()).toHaveLength(MAX_APPLICATIONS_PER_ACCOUNT);
    await revokeApiApplication(db, { accountId: alice.id, applicationId: (made[0] as { id: number }).id });
    expect(await createApiApplication(db, { accountId: alice.id, name: "One more" })).toMatchObject({
      ok: true,
    });
  });

  it("refuses an account that does not exist", async () => {
    expect(await createApiApplication(db, { accountId: 999_999, name: "Tool" })).toEqual({
      ok: false,
      reason: "not_found",
    });
    expect(await allApplications()).toEqual([]);
  });
});

describe("listApiAccess", () => {
  it("lists the account's applications without their secrets, newest first", async () => {
    const alice = await createAccount(db);
    const bob = await createAccount(db, "Bob");
    const first = await createApplication(db, alice.id, "First");
    const second = await createApplication(db, alice.id, "Second");
    await createApplication(db, bob.id, "Bob's");
    const { applications } = await listApiAccess(db, alice.id);
    expect(applications).toEqual([
      {
        id: second.id,
        applicationKey: second.applicationKey,
        name: "Second",
        description: "Moves contacts",
        createdAt: T0,
        revokedAt: null,
      },
      {
        id: first.id,
        applicationKey: first.applicationKey,
        name: "First",
        description: "Moves contacts",
        createdAt: T0,
        revokedAt: null,
      },
    ]);
    expect(JSON.stringify(applications)).not.toContain(first.applicationSecret);
  });

  it("lists the consumer keys the account validated, another account's application's included, and no other", async () => {
    const alice = await createAccount(db);
    const bob = await createAccount(db, "Bob");
    const bobsApp = await createApplication(db, bob.id, "Bob's tool");
    const forAlice = await requestKey(db, bobsApp.applicationKey, [{ method: "GET", path: "/me" }]);
    await decideApiCredential(db, {
      credentialToken: forAlice.credentialToken,
      accountId: alice.id,
      approve: true,
      now: at(1000),
    });
    // Pending, refused, and validated by Bob: none acts for Alice.
    await requestKey(db, bobsApp.applicationKey);
    const refused = await requestKey(db, bobsApp.applicationKey);
    await decideApiCredential(db, {
      credentialToken: refused.credentialToken,
      accountId: alice.id,
      approve: false,
      now: T0,
    });
    await validatedKey(db, bob.id);

    const { applications, consumerKeys } = await listApiAccess(db, alice.id);
    expect(applications).toEqual([]);
    const decidedByAlice = await db.read
      .select({ id: apiConsumerKeys.id, state: apiConsumerKeys.state })
      .from(apiConsumerKeys)
      .where(eq(apiConsumerKeys.accountId, alice.id));
    expect(decidedByAlice.map((key) => key.state).sort()).toEqual(["refused", "validated"]);
    expect(consumerKeys).toEqual([
      {
        id: decidedByAlice.find((key) => key.state === "validated")?.id,
        applicationId: bobsApp.id,
        applicationName: "Bob's tool",
        accessRules: [{ method: "GET", path: "/me" }],
        state: "validated",
        createdAt: T0,
        validatedAt: at(1000),
        lastUsedAt: null,
        revokedAt: null,
      },
    ]);
  });

  it("is empty for an account with nothing", async () => {
    const alice = await createAccount(db);
    expect(await listApiAccess(db, alice.id)).toEqual({ applications: [], consumerKeys: [] });
  });
});

describe("revokeApiApplication", () => {
  it("revokes the owner's application and every key it was given, pending ones included", async () => {
    const alice = await createAccount(db);
    const bob = await createAccount(db, "Bob");
    const { application } = await validatedKey(db, alice.id);
    const forBob = await requestKey(db, application.applicationKey);
    await decideApiCredential(db, {
      credentialToken: forBob.credentialToken,
      accountId: bob.id,
      approve: true,
      now: T0,
    });
    const pending = await requestKey(db, application.applicationKey);

    expect(
      await revokeApiApplication(db, { accountId: alice.id, applicationId: application.id, now: at(5000) }),
    ).toEqual({ ok: true });
    expect((await allApplications())[0]?.revokedAt).toEqual(at(5000));
    expect((await allKeys()).map((key) => key.revokedAt)).toEqual([at(5000), at(5000), at(5000)]);
    expect(
      await decideApiCredential(db, {
        credentialToken: pending.credentialToken,
        accountId: bob.id,
        approve: true,
        now: T0,
      }),
    ).toEqual({
      ok: false,
      reason: "application_revoked",
    });
    expect((await listApiAccess(db, bob.id)).consumerKeys[0]?.revokedAt).toEqual(at(5000));
  });

  it("is not_found for another account, which changes nothing", async () => {
    const alice = await createAccount(db);
    const mallory = await createAccount(db, "Mallory");
    const { application } = await validatedKey(db, alice.id);
    expect(await revokeApiApplication(db, { accountId: mallory.id, applicationId: application.id })).toEqual({
      ok: false,
      reason: "not_found",
    });
    expect(await revokeApiApplication(db, { accountId: alice.id, applicationId: 2 ** 40 })).toEqual({
      ok: false,
      reason: "not_found",
    });
    expect((await allApplications())[0]?.revokedAt).toBeNull();
    expect((await allKeys())[0]?.revokedAt).toBeNull();
  });

  it("revokes once: a second revocation is already_revoked and keeps the first date", async () => {
    const alice = await createAccount(db);
    const application = await createApplication(db, alice.id);
    await revokeApiApplication(db, { accountId: alice.id, applicationId: application.id, now: at(1) });
    expect(
      await revokeApiApplication(db, { accountId: alice.id, applicationId: application.id, now: at(2) }),
    ).toEqual({ ok: false, reason: "already_revoked" });
    expect((await allApplications())[0]?.revokedAt).toEqual(at(1));
  });
});

describe("revokeConsumerKey", () => {
  it("revokes a key acting for the account", async () => {
    const alice = await createAccount(db);
    await validatedKey(db, alice.id);
    const [key] = await allKeys();
    expect(
      await revokeConsumerKey(db, { accountId: alice.id, consumerKeyId: key?.id ?? 0, now: at(9) }),
    ).toEqual({
      ok: true,
    });
    expect((await allKeys())[0]?.revokedAt).toEqual(at(9));
    expect(await revokeConsumerKey(db, { accountId: alice.id, consumerKeyId: key?.id ?? 0 })).toEqual({
      ok: false,
      reason: "already_revoked",
    });
  });

  it("is not_found for any other account, the application's owner included, which changes nothing", async () => {
    const owner = await createAccount(db, "Owner");
    const alice = await createAccount(db);
    const application = await createApplication(db, owner.id);
    const forAlice = await requestKey(db, application.applicationKey);
    await decideApiCredential(db, {
      credentialToken: forAlice.credentialToken,
      accountId: alice.id,
      approve: true,
      now: T0,
    });
    const [key] = await allKeys();
    expect(await revokeConsumerKey(db, { accountId: owner.id, consumerKeyId: key?.id ?? 0 })).toEqual({
      ok: false,
      reason: "not_found",
    });
    expect(await revokeConsumerKey(db, { accountId: alice.id, consumerKeyId: -1 })).toEqual({
      ok: false,
      reason: "not_found",
    });
    expect((await allKeys())[0]?.revokedAt).toBeNull();
  });

  it("is not_found for a key still pending, which acts for no one", async () => {
    const alice = await createAccount(db);
    const application = await createApplication(db, alice.id);
    await requestKey(db, application.applicationKey);
    const [key] = await allKeys();
    expect(await revokeConsumerKey(db, { accountId: alice.id, consumerKeyId: key?.id ?? 0 })).toEqual({
      ok: false,
      reason: "not_found",
    });
  });
});
