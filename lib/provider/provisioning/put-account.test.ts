import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Db, openDb } from "@/db/client";
import { accounts, sessions } from "@/db/schema";
import { findSessionAccount, startSession } from "@/lib/auth/sessions";
import { verifyCredentials } from "@/lib/auth/verify-credentials";
import { hashPassword, UNUSABLE_PASSWORD_HASH } from "@/lib/password";
import {
  ANNA,
  accountIdOf,
  BARTOSZ,
  openTestDb,
  snapshot,
  T0,
} from "@/lib/requests/testing/confirming-fixtures";
import { type AccountInput, accountBodySchema } from "./provisioning-schemas";
import { getAccount, putAccount } from "./put-account";
import { accountRow } from "./testing/provisioning-fixtures";

let db: Db;
beforeEach(async () => {
  db = await openTestDb();
});
afterEach(async () => {
  await db.close();
});

const NEW = "gg700007-ovh";
const input = (overrides: Partial<AccountInput> = {}): AccountInput => ({
  customerId: NEW,
  name: "Grzegorz Nowy",
  email: "grzegorz@example.test",
  language: "pl",
  paymentStanding: "upToDate",
  ...overrides,
});

describe("putAccount", () => {
  it("creates an account, as getAccount then shows it", async () => {
    const result = await putAccount(db, input(), T0);
    const account = {
      customerId: NEW,
      name: "Grzegorz Nowy",
      email: "grzegorz@example.test",
      language: "pl",
      paymentStanding: "upToDate",
      emailUndeliverable: null,
    };
    expect(result).toEqual({ ok: true, created: true, account });
    expect(await getAccount(db, NEW)).toEqual(account);
    expect(await getAccount(db, " GG700007-OVH ")).toEqual(account);
  });

  it("a new account without a password hash cannot sign in, and is checked as long as any", async () => {
    await putAccount(db, input(), T0);
    expect((await accountRow(db, NEW)).passwordHash).toBe(UNUSABLE_PASSWORD_HASH);
    for (const password of ["", "demo-password", "A".repeat(43)]) {
      expect(
        await verifyCredentials(db, { identifier: NEW, password, clientAddress: "203.0.113.7", now: T0 }),
      ).toEqual({ ok: false, reason: "invalid" });
    }
  });

  it("a password hash given is the one the account signs in with", async () => {
    const passwordHash = await hashPassword("s3cret-enough");
    await putAccount(db, input({ passwordHash }), T0);
    const result = await verifyCredentials(db, {
      identifier: "grzegorz@example.test",
      password: "s3cret-enough",
      clientAddress: "203.0.113.7",
      now: T0,
    });
    expect(result).toMatchObject({ ok: true, account: { customerId: NEW } });
  });

  it("an overdue payment standing puts the account behind with payments, and back", async () => {
    await putAccount(db, input({ paymentStanding: "overdue" }), T0);
    expect((await accountRow(db, NEW)).behindWithPayments).toBe(true);
    expect(await getAccount(db, NEW)).toMatchObject({ paymentStanding: "overdue" });
    const result = await putAccount(db, input({ paymentStanding: "upToDate" }), T0);
    expect(result).toMatchObject({ ok: true, created: false, account: { paymentStanding: "upToDate" } });
    expect((await accountRow(db, NEW)).behindWithPayments).toBe(false);
  });

  it("the same input twice changes nothing the second time", async () => {
    await putAccount(db, input({ paymentStanding: "overdue" }), T0);
    const before = await snapshot(db);
    const result = await putAccount(db, input({ paymentStanding: "overdue" }), T0);
    expect(result).toMatchObject({ ok: true, created: false });
    expect(await snapshot(db)).toEqual(before);
  });

  it("updates an existing account's name, e-mail and language", async () => {
    const result = await putAccount(
      db,
      input({ customerId: ANNA, name: "Anna Nowak-Kowalska", email: "anna.k@example.test", language: "pl" }),
      T0,
    );
    expect(result).toMatchObject({
      ok: true,
      created: false,
      account: {
        customerId: ANNA,
        name: "Anna Nowak-Kowalska",
        email: "anna.k@example.test",
        language: "pl",
      },
    });
    expect(await accountIdOf(db, ANNA)).toBe((await accountRow(db, ANNA)).id);
  });

  it("refuses an e-mail address another account holds, and changes nothing", async () => {
    const before = await snapshot(db);
    expect(await putAccount(db, input({ email: "bartosz@example.test" }), T0)).toEqual({
      ok: false,
      reason: "email_taken",
      message: "email: bartosz@example.test is the e-mail address of another account",
    });
    expect(
      await putAccount(db, input({ customerId: ANNA, email: "bartosz@example.test" }), T0),
    ).toMatchObject({
      ok: false,
      reason: "email_taken",
    });
    expect(await snapshot(db)).toEqual(before);
  });

  it("of two accounts claiming one address at once, one gets it and the other is told it is taken", async () => {
    const other = db.dialect === "postgres" ? openDb(db.location) : db;
    try {
      const results = await Promise.all([
        putAccount(db, input({ customerId: "gg700007-ovh", email: "same@example.test" }), T0),
        putAccount(other, input({ customerId: "hh800008-ovh", email: "same@example.test" }), T0),
      ]);
      expect(results.map((result) => result.ok).sort()).toEqual([false, true]);
      expect(results.find((result) => !result.ok)).toMatchObject({ reason: "email_taken" });
    } finally {
      if (other !== db) await other.close();
    }
  });

  it("two PUTs of one new account at once create it once", async () => {
    const other = db.dialect === "postgres" ? openDb(db.location) : db;
    try {
      const results = await Promise.all([putAccount(db, input(), T0), putAccount(other, input(), T0)]);
      expect(results.map((result) => result.ok && result.created).sort()).toEqual([false, true]);
    } finally {
      if (other !== db) await other.close();
    }
  });

  describe("a new e-mail address", () => {
    async function markBounced(customerId: string) {
      await db.transaction(async (tx) => {
        await tx
          .update(accounts)
          .set({ emailUndeliverable: "bounced", emailUndeliverableAt: T0 })
          .where(eq(accounts.customerId, customerId));
      });
    }

    it("clears the mark that e-mails bounced; the same address keeps it", async () => {
      await markBounced(ANNA);
      await putAccount(db, input({ customerId: ANNA, email: "anna@example.test", name: "Anna N." }), T0);
      expect(await getAccount(db, ANNA)).toMatchObject({ emailUndeliverable: "bounced" });
      await putAccount(db, input({ customerId: ANNA, email: "anna.new@example.test" }), T0);
      expect(await accountRow(db, ANNA)).toMatchObject({
        emailUndeliverable: null,
        emailUndeliverableAt: null,
      });
    });

    it("ends every session of the account, as a confirmed change in the profile does; a new name does not", async () => {
      const annaId = await accountIdOf(db, ANNA);
      const bartoszId = await accountIdOf(db, BARTOSZ);
      const session = await startSession(db, { accountId: annaId, now: T0 });
      const bartoszSession = await startSession(db, { accountId: bartoszId, now: T0 });
      const find = (sessionId: string, accountId: number) =>
        findSessionAccount(db, { sessionId, accountId, now: T0 });

      await putAccount(db, input({ customerId: ANNA, email: "anna@example.test", name: "Anna N." }), T0);
      expect(await find(session, annaId)).toMatchObject({ name: "Anna N." });

      await putAccount(db, input({ customerId: ANNA, email: "anna.new@example.test", name: "Anna N." }), T0);
      expect(await find(session, annaId)).toBeNull();
      expect(await db.read.select().from(sessions).where(eq(sessions.accountId, annaId))).toEqual([]);
      expect(await find(bartoszSession, bartoszId)).not.toBeNull();
    });

    it("a new password hash ends the sessions too", async () => {
      const annaId = await accountIdOf(db, ANNA);
      const session = await startSession(db, { accountId: annaId, now: T0 });
      const passwordHash = await hashPassword("another-password");
      await putAccount(db, input({ customerId: ANNA, email: "anna@example.test", passwordHash }), T0);
      expect(await findSessionAccount(db, { sessionId: session, accountId: annaId, now: T0 })).toBeNull();
    });
  });
});

describe("getAccount", () => {
  it("is null for an unknown or malformed customer ID", async () => {
    expect(await getAccount(db, "zz999999-ovh")).toBeNull();
    expect(await getAccount(db, "not an id")).toBeNull();
  });
});

describe("the account body", () => {
  it("takes a password hash only in this app's format and cost, so sign-in never runs a cost it was handed", async () => {
    const body = { name: "X", email: "x@example.test" };
    const refused = [
      "plain-text-password",
      `scrypt$1048576$8$1$AAAAAAAAAAAAAAAAAAAAAA$${"A".repeat(43)}`,
      `scrypt$32768$8$64$AAAAAAAAAAAAAAAAAAAAAA$${"A".repeat(43)}`,
      "scrypt$32768$8$1$AAAA$AAAA",
    ];
    for (const passwordHash of refused) {
      const parsed = accountBodySchema.safeParse({ ...body, passwordHash });
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues[0]).toMatchObject({
        path: ["passwordHash"],
        message: expect.stringContaining("is not a password hash of this app"),
      });
    }
    expect(accountBodySchema.safeParse({ ...body, passwordHash: await hashPassword("pw") }).success).toBe(
      true,
    );
  });
});
