import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Db, migrateDb, openDb } from "@/db/client";
import { accounts, signInFailures } from "@/db/schema";
import { hashPassword } from "@/lib/password";
import { MAX_SIGN_IN_FAILURES, SIGN_IN_WINDOW_MS, verifyCredentials } from "./verify-credentials";

const PASSWORD = "anna-secret-1";
const MINUTE = 60_000;
const T0 = new Date("2026-03-01T12:00:00.000Z");
const at = (ms: number) => new Date(T0.getTime() + ms);

let passwordHash: string;
let db: Db;
let annaId: number;

beforeAll(async () => {
  passwordHash = await hashPassword(PASSWORD);
});

beforeEach(() => {
  db = openDb(":memory:");
  migrateDb(db);
  annaId = db
    .insert(accounts)
    .values({ customerId: "aa100001-ovh", name: "Anna Nowak", email: "anna@example.test", passwordHash })
    .returning({ id: accounts.id })
    .get().id;
  db.insert(accounts)
    .values({ customerId: "bb200002-ovh", name: "Bartosz", email: "bartosz@example.test", passwordHash })
    .run();
});

/** `count` failed attempts with a wrong password, one a second from `start`. */
async function fail(identifier: string, count: number, start = T0) {
  for (let i = 0; i < count; i++) {
    const result = await verifyCredentials(db, {
      identifier,
      password: "wrong",
      now: new Date(start.getTime() + i * 1000),
    });
    expect(result).toEqual({ ok: false, reason: "invalid" });
  }
}

function failureRows() {
  return db
    .select({ identifier: signInFailures.identifier, at: signInFailures.at })
    .from(signInFailures)
    .all();
}

describe("signing in", () => {
  it("the limits are 10 failures within 15 minutes", () => {
    expect(MAX_SIGN_IN_FAILURES).toBe(10);
    expect(SIGN_IN_WINDOW_MS).toBe(15 * MINUTE);
  });

  it.each(["aa100001-ovh", "AA100001-OVH", "Aa100001-Ovh", "  aa100001-ovh  ", "\taa100001-OVH\n"])(
    "succeeds by customer ID typed as %j",
    async (identifier) => {
      const result = await verifyCredentials(db, { identifier, password: PASSWORD, now: T0 });
      expect(result.ok).toBe(true);
      expect(result.ok && result.account.id).toBe(annaId);
      expect(result.ok && result.account.customerId).toBe("aa100001-ovh");
    },
  );

  it.each(["anna@example.test", "Anna@Example.TEST", " anna@example.test "])(
    "succeeds by e-mail typed as %j",
    async (identifier) => {
      const result = await verifyCredentials(db, { identifier, password: PASSWORD, now: T0 });
      expect(result.ok && result.account.id).toBe(annaId);
    },
  );

  it("the password is not trimmed or case-folded", async () => {
    for (const password of [` ${PASSWORD}`, PASSWORD.toUpperCase(), `${PASSWORD} `]) {
      expect(await verifyCredentials(db, { identifier: "aa100001-ovh", password, now: T0 })).toEqual({
        ok: false,
        reason: "invalid",
      });
    }
  });

  it("a wrong password and an unknown identifier give the same answer", async () => {
    const wrongPassword = await verifyCredentials(db, { identifier: "aa100001-ovh", password: "x", now: T0 });
    const unknownId = await verifyCredentials(db, {
      identifier: "zz999999-ovh",
      password: PASSWORD,
      now: T0,
    });
    const unknownEmail = await verifyCredentials(db, {
      identifier: "nobody@example.test",
      password: PASSWORD,
      now: T0,
    });
    const empty = await verifyCredentials(db, { identifier: "   ", password: PASSWORD, now: T0 });
    expect(wrongPassword).toEqual({ ok: false, reason: "invalid" });
    expect(unknownId).toEqual(wrongPassword);
    expect(unknownEmail).toEqual(wrongPassword);
    expect(empty).toEqual(wrongPassword);
  });

  it("another account's password does not sign in", async () => {
    // Both demo accounts share a hash here; a different hash must not be accepted.
    db.update(accounts)
      .set({ passwordHash: await hashPassword("bartosz-secret") })
      .run();
    expect(await verifyCredentials(db, { identifier: "aa100001-ovh", password: PASSWORD, now: T0 })).toEqual({
      ok: false,
      reason: "invalid",
    });
  });

  it("a failure is recorded under the account's customer ID whichever identifier was typed", async () => {
    await fail("ANNA@example.test", 1);
    await fail(" AA100001-ovh ", 1, at(5000));
    expect(failureRows()).toEqual([
      { identifier: "aa100001-ovh", at: T0 },
      { identifier: "aa100001-ovh", at: at(5000) },
    ]);
  });
});

describe("the lock-out", () => {
  it("nine failures do not lock: the right password still signs in", async () => {
    await fail("aa100001-ovh", 9);
    const result = await verifyCredentials(db, {
      identifier: "aa100001-ovh",
      password: PASSWORD,
      now: at(MINUTE),
    });
    expect(result.ok).toBe(true);
  });

  it("ten failures within 15 minutes lock, even against the right password", async () => {
    await fail("aa100001-ovh", 10);
    const result = await verifyCredentials(db, {
      identifier: "aa100001-ovh",
      password: PASSWORD,
      now: at(MINUTE),
    });
    // The 10th most recent failure is the first one, at T0.
    expect(result).toEqual({ ok: false, reason: "locked", retryAt: at(15 * MINUTE) });
  });

  it("retryAt is the 10th most recent failure plus 15 minutes", async () => {
    // Twelve failures within the window, stored out of order: 0 s, 11 s, 1 s, 10 s, …
    const seconds = [0, 11, 1, 10, 2, 9, 3, 8, 4, 7, 5, 6];
    db.insert(signInFailures)
      .values(seconds.map((s) => ({ identifier: "aa100001-ovh", at: at(s * 1000) })))
      .run();
    const result = await verifyCredentials(db, {
      identifier: "aa100001-ovh",
      password: "x",
      now: at(MINUTE),
    });
    // Most recent first: 11 s, 10 s, …, 2 s is the 10th.
    expect(result).toEqual({ ok: false, reason: "locked", retryAt: at(2000 + 15 * MINUTE) });
  });

  it("the lock holds until retryAt and lifts exactly then", async () => {
    await fail("aa100001-ovh", 10);
    const retryAt = at(15 * MINUTE);
    const justBefore = await verifyCredentials(db, {
      identifier: "aa100001-ovh",
      password: PASSWORD,
      now: new Date(retryAt.getTime() - 1),
    });
    expect(justBefore).toEqual({ ok: false, reason: "locked", retryAt });
    const atRetry = await verifyCredentials(db, {
      identifier: "aa100001-ovh",
      password: PASSWORD,
      now: retryAt,
    });
    expect(atRetry.ok).toBe(true);
  });

  it("attempts while locked are not recorded, so they do not extend the lock", async () => {
    await fail("aa100001-ovh", 10);
    for (let i = 0; i < 5; i++) {
      await verifyCredentials(db, { identifier: "aa100001-ovh", password: "x", now: at(10 * MINUTE + i) });
    }
    expect(failureRows()).toHaveLength(10);
  });

  it("failures typed by e-mail and by customer ID count for the same account", async () => {
    await fail("anna@example.test", 5);
    await fail("AA100001-OVH", 5, at(10_000));
    const byEmail = await verifyCredentials(db, {
      identifier: "anna@example.test",
      password: PASSWORD,
      now: at(MINUTE),
    });
    const byId = await verifyCredentials(db, {
      identifier: "aa100001-ovh",
      password: PASSWORD,
      now: at(MINUTE),
    });
    expect(byEmail).toEqual({ ok: false, reason: "locked", retryAt: at(15 * MINUTE) });
    expect(byId).toEqual(byEmail);
  });

  it("one account's lock does not lock another account", async () => {
    await fail("aa100001-ovh", 10);
    const result = await verifyCredentials(db, {
      identifier: "bb200002-ovh",
      password: PASSWORD,
      now: at(MINUTE),
    });
    expect(result.ok && result.account.customerId).toBe("bb200002-ovh");
  });

  it("failures older than 15 minutes do not count", async () => {
    await fail("aa100001-ovh", 9); // T0 … T0+8 s
    await fail("aa100001-ovh", 1, at(15 * MINUTE)); // the first has just left the window
    const result = await verifyCredentials(db, {
      identifier: "aa100001-ovh",
      password: PASSWORD,
      now: at(15 * MINUTE + 1),
    });
    expect(result.ok).toBe(true);
  });

  it("a failure exactly 15 minutes old has left the window, one a millisecond younger has not", async () => {
    db.insert(signInFailures)
      .values(Array.from({ length: 10 }, (_, i) => ({ identifier: "aa100001-ovh", at: at(i) })))
      .run();
    const oldestOnEdge = at(15 * MINUTE);
    expect(
      (await verifyCredentials(db, { identifier: "aa100001-ovh", password: PASSWORD, now: oldestOnEdge })).ok,
    ).toBe(true);
    db.insert(signInFailures)
      .values(Array.from({ length: 10 }, (_, i) => ({ identifier: "aa100001-ovh", at: at(i) })))
      .run();
    expect(
      await verifyCredentials(db, {
        identifier: "aa100001-ovh",
        password: PASSWORD,
        now: new Date(oldestOnEdge.getTime() - 1),
      }),
    ).toEqual({ ok: false, reason: "locked", retryAt: oldestOnEdge });
  });

  it("a successful sign-in clears the account's failures", async () => {
    await fail("aa100001-ovh", 9);
    expect(
      (await verifyCredentials(db, { identifier: "aa100001-ovh", password: PASSWORD, now: at(MINUTE) })).ok,
    ).toBe(true);
    expect(failureRows()).toEqual([]);
    await fail("aa100001-ovh", 1, at(2 * MINUTE));
    // Without the clearing these would be 10 failures within the window.
    const result = await verifyCredentials(db, {
      identifier: "aa100001-ovh",
      password: PASSWORD,
      now: at(3 * MINUTE),
    });
    expect(result.ok).toBe(true);
  });

  it("a successful sign-in by e-mail clears failures recorded by customer ID", async () => {
    await fail("aa100001-ovh", 3);
    await verifyCredentials(db, { identifier: "anna@example.test", password: PASSWORD, now: at(MINUTE) });
    expect(failureRows()).toEqual([]);
  });

  it("a success does not clear another identifier's failures", async () => {
    await fail("bb200002-ovh", 3);
    await verifyCredentials(db, { identifier: "aa100001-ovh", password: PASSWORD, now: at(MINUTE) });
    expect(failureRows().map((row) => row.identifier)).toEqual([
      "bb200002-ovh",
      "bb200002-ovh",
      "bb200002-ovh",
    ]);
  });

  it("an unknown customer ID locks the same way, whatever its case", async () => {
    await fail("zz999999-ovh", 5);
    await fail(" ZZ999999-OVH ", 5, at(5000));
    expect(
      await verifyCredentials(db, { identifier: "Zz999999-ovh", password: "x", now: at(MINUTE) }),
    ).toEqual({
      ok: false,
      reason: "locked",
      retryAt: at(15 * MINUTE),
    });
  });

  it("an unknown e-mail locks the same way", async () => {
    await fail("Nobody@Example.test", 10);
    expect(
      await verifyCredentials(db, { identifier: "nobody@example.test", password: "x", now: at(MINUTE) }),
    ).toEqual({
      ok: false,
      reason: "locked",
      retryAt: at(15 * MINUTE),
    });
    expect(new Set(failureRows().map((row) => row.identifier))).toEqual(new Set(["nobody@example.test"]));
  });
});
