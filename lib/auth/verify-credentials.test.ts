import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { accounts, throttleAttempts } from "@/db/schema";
import { openTestDb } from "@/db/testing";
import { hashPassword } from "@/lib/password";
import {
  SIGN_IN_PER_ACCOUNT,
  SIGN_IN_PER_ACCOUNT_AND_CLIENT,
  SIGN_IN_PER_CLIENT,
} from "@/lib/throttle/throttle-policy";
import { verifyCredentials } from "./verify-credentials";

const PASSWORD = "anna-secret-1";
const MINUTE = 60_000;
const T0 = new Date("2026-03-01T12:00:00.000Z");
const at = (ms: number) => new Date(T0.getTime() + ms);
/** Free failures per account from one address: the limit a single guesser meets. */
const FREE = SIGN_IN_PER_ACCOUNT_AND_CLIENT.freeAttempts;

let passwordHash: string;
let db: Db;
let annaId: number;

beforeAll(async () => {
  passwordHash = await hashPassword(PASSWORD);
});

beforeEach(async () => {
  db = await openTestDb();
  annaId = await db.transaction(async (tx) => {
    const [anna] = await tx
      .insert(accounts)
      .values({ customerId: "aa100001-ovh", name: "Anna Nowak", email: "anna@example.test", passwordHash })
      .returning({ id: accounts.id });
    await tx
      .insert(accounts)
      .values({ customerId: "bb200002-ovh", name: "Bartosz", email: "bartosz@example.test", passwordHash });
    if (!anna) throw new Error("no account for Anna");
    return anna.id;
  });
});
afterEach(async () => {
  await db.close();
});

function verify(identifier: string, password: string, now: Date, clientAddress = "192.0.2.1") {
  return verifyCredentials(db, { identifier, password, now, clientAddress });
}

/** `count` failed attempts with a wrong password, one a second from `start`. */
async function fail(identifier: string, count: number, start = T0, clientAddress = "192.0.2.1") {
  for (let i = 0; i < count; i++) {
    const result = await verify(identifier, "wrong", new Date(start.getTime() + i * 1000), clientAddress);
    expect(result).toEqual({ ok: false, reason: "invalid" });
  }
}

async function keysCounted() {
  const rows = await db.read.select({ key: throttleAttempts.key }).from(throttleAttempts);
  return rows.map((row) => row.key);
}

describe("signing in", () => {
  it.each(["aa100001-ovh", "AA100001-OVH", "Aa100001-Ovh", "  aa100001-ovh  ", "\taa100001-OVH\n"])(
    "succeeds by customer ID typed as %j",
    async (identifier) => {
      const result = await verify(identifier, PASSWORD, T0);
      expect(result.ok && result.account.id).toBe(annaId);
      expect(result.ok && result.account.customerId).toBe("aa100001-ovh");
    },
  );

  it.each(["anna@example.test", "Anna@Example.TEST", " anna@example.test "])(
    "succeeds by e-mail typed as %j",
    async (identifier) => {
      const result = await verify(identifier, PASSWORD, T0);
      expect(result.ok && result.account.id).toBe(annaId);
    },
  );

  it("the password is not trimmed or case-folded", async () => {
    for (const password of [` ${PASSWORD}`, PASSWORD.toUpperCase(), `${PASSWORD} `]) {
      expect(await verify("aa100001-ovh", password, T0)).toEqual({ ok: false, reason: "invalid" });
    }
  });

  it("a wrong password and an unknown identifier give the same answer", async () => {
    const wrongPassword = await verify("aa100001-ovh", "x", T0);
    expect(wrongPassword).toEqual({ ok: false, reason: "invalid" });
    expect(await verify("zz999999-ovh", PASSWORD, T0)).toEqual(wrongPassword);
    expect(await verify("nobody@example.test", PASSWORD, T0)).toEqual(wrongPassword);
    expect(await verify("   ", PASSWORD, T0)).toEqual(wrongPassword);
  });

  it("another account's password does not sign in", async () => {
    const bartoszHash = await hashPassword("bartosz-secret");
    await db.transaction(async (tx) => {
      await tx.update(accounts).set({ passwordHash: bartoszHash });
    });
    expect(await verify("aa100001-ovh", PASSWORD, T0)).toEqual({ ok: false, reason: "invalid" });
  });

  it("a failure counts against the account's customer ID whichever identifier was typed, and the client", async () => {
    await fail("ANNA@example.test", 1);
    await fail(" AA100001-ovh ", 1, at(5000));
    expect((await keysCounted()).sort()).toEqual([
      "account:aa100001-ovh",
      "account:aa100001-ovh",
      "account:aa100001-ovh|client:192.0.2.1",
      "account:aa100001-ovh|client:192.0.2.1",
      "client:192.0.2.1",
      "client:192.0.2.1",
    ]);
  });

  it("a right password leaves no attempt counted against the account", async () => {
    await verify("aa100001-ovh", PASSWORD, T0);
    expect(await keysCounted()).toEqual([]);
  });
});

describe("the backoff per account and address", () => {
  it(`${FREE - 1} failures do not slow the owner: the right password still signs in`, async () => {
    await fail("aa100001-ovh", FREE - 1);
    expect((await verify("aa100001-ovh", PASSWORD, at(10_000))).ok).toBe(true);
  });

  it(`after ${FREE} failures even the right password waits, counted from the latest failure`, async () => {
    await fail("aa100001-ovh", FREE); // T0 … T0 + 4 s
    const latest = at((FREE - 1) * 1000);
    const retryAt = new Date(latest.getTime() + SIGN_IN_PER_ACCOUNT_AND_CLIENT.baseDelayMs);
    expect(await verify("aa100001-ovh", PASSWORD, at(FREE * 1000))).toEqual({
      ok: false,
      reason: "throttled",
      retryAt,
    });
    expect((await verify("aa100001-ovh", PASSWORD, retryAt)).ok).toBe(true);
  });

  it("the wait doubles with every further failure, and attempts while waiting are not counted", async () => {
    await fail("aa100001-ovh", FREE);
    let now = at(FREE * 1000 + SIGN_IN_PER_ACCOUNT_AND_CLIENT.baseDelayMs);
    const waits: number[] = [];
    for (let i = 0; i < 3; i++) {
      expect(await verify("aa100001-ovh", "wrong", now)).toEqual({ ok: false, reason: "invalid" });
      const refused = await verify("aa100001-ovh", "wrong", new Date(now.getTime() + 1));
      if (refused.ok || refused.reason !== "throttled") throw new Error("expected a wait");
      waits.push(refused.retryAt.getTime() - now.getTime());
      now = refused.retryAt;
    }
    expect(waits).toEqual([2, 4, 8].map((k) => k * SIGN_IN_PER_ACCOUNT_AND_CLIENT.baseDelayMs));
  });

  it("a stranger who stops guessing frees the account within the cap", async () => {
    // Hundreds of failures inside the window, as a distributed guesser would leave.
    await db.transaction(async (tx) => {
      await tx.insert(throttleAttempts).values(
        Array.from({ length: 300 }, (_, i) => ({
          scope: "sign-in",
          key: "account:aa100001-ovh",
          at: at(i),
        })),
      );
    });
    const capEnd = at(299 + SIGN_IN_PER_ACCOUNT.maxDelayMs);
    expect(await verify("aa100001-ovh", PASSWORD, new Date(capEnd.getTime() - 1))).toMatchObject({
      reason: "throttled",
    });
    expect((await verify("aa100001-ovh", PASSWORD, capEnd)).ok).toBe(true);
  });

  it("failures typed by e-mail and by customer ID count for the same account", async () => {
    await fail("anna@example.test", 3);
    await fail("AA100001-OVH", FREE - 3, at(10_000));
    expect(await verify("aa100001-ovh", PASSWORD, at(10_000 + FREE * 1000))).toMatchObject({
      reason: "throttled",
    });
  });

  it("one account's failures do not slow another account", async () => {
    await fail("aa100001-ovh", FREE);
    expect((await verify("bb200002-ovh", PASSWORD, at(FREE * 1000))).ok).toBe(true);
  });

  it("failures that left the 15-minute window no longer count", async () => {
    await fail("aa100001-ovh", FREE);
    const later = at(SIGN_IN_PER_ACCOUNT_AND_CLIENT.windowMs + FREE * 1000);
    expect((await verify("aa100001-ovh", PASSWORD, later)).ok).toBe(true);
  });

  it("a stranger guessing from one address does not keep the owner, signing in from another, out", {
    timeout: 60_000,
  }, async () => {
    // One guess each time the stranger's wait ends, for a quarter of an hour.
    let now = T0;
    for (let guesses = 0; now.getTime() < T0.getTime() + 15 * MINUTE; guesses++) {
      const result = await verify("aa100001-ovh", "wrong", now, "203.0.113.66");
      if (!result.ok && result.reason === "throttled") now = result.retryAt;
      else now = new Date(now.getTime() + 1000);
      expect(guesses).toBeLessThan(100);
    }
    expect((await verify("aa100001-ovh", PASSWORD, now, "198.51.100.1")).ok).toBe(true);
  });

  it("a successful sign-in clears the account's failures but not another's", {
    timeout: 60_000,
  }, async () => {
    await fail("bb200002-ovh", 2);
    await fail("aa100001-ovh", FREE - 1, at(2000));
    expect((await verify("anna@example.test", PASSWORD, at(MINUTE))).ok).toBe(true);
    expect((await keysCounted()).filter((key) => /^account:[^|]+$/.test(key))).toEqual([
      "account:bb200002-ovh",
      "account:bb200002-ovh",
    ]);
    await fail("aa100001-ovh", FREE - 1, at(2 * MINUTE));
    expect((await verify("aa100001-ovh", PASSWORD, at(3 * MINUTE))).ok).toBe(true);
  });

  it("an unknown customer ID backs off the same way, whatever its case", async () => {
    await fail("zz999999-ovh", 2);
    await fail(" ZZ999999-OVH ", FREE - 2, at(5000));
    expect(await verify("Zz999999-ovh", "x", at(7000))).toMatchObject({ ok: false, reason: "throttled" });
  });

  it("of many parallel guesses only the free allowance is checked, and the right password among them waits", async () => {
    const guesses = Array.from({ length: 30 }, (_, i) => verify("aa100001-ovh", `wrong-${i}`, T0));
    const right = verify("aa100001-ovh", PASSWORD, T0);
    const results = await Promise.all([...guesses, right]);
    expect(results.filter((r) => !r.ok && r.reason === "invalid")).toHaveLength(FREE);
    expect(results.at(-1)).toMatchObject({ ok: false, reason: "throttled" });
    expect(
      (await keysCounted()).filter((key) => key === "account:aa100001-ovh|client:192.0.2.1"),
    ).toHaveLength(FREE);
  });
});

describe("the backoff per account, whatever the address", () => {
  it("guessing spread over many addresses is slowed after the account's allowance", {
    timeout: 60_000,
  }, async () => {
    const free = SIGN_IN_PER_ACCOUNT.freeAttempts;
    for (let i = 0; i < free; i++) {
      expect(await verify("aa100001-ovh", "wrong", at(i), `203.0.113.${i + 1}`)).toEqual({
        ok: false,
        reason: "invalid",
      });
    }
    expect(await verify("aa100001-ovh", PASSWORD, at(free), "198.51.100.1")).toMatchObject({
      reason: "throttled",
    });
    expect(
      (await verify("aa100001-ovh", PASSWORD, at(free + SIGN_IN_PER_ACCOUNT.baseDelayMs), "198.51.100.1")).ok,
    ).toBe(true);
  });
});

describe("the per-client backoff", () => {
  it("guessing spread over many accounts from one address is slowed after its allowance", {
    timeout: 60_000,
  }, async () => {
    const free = SIGN_IN_PER_CLIENT.freeAttempts;
    for (let i = 0; i < free; i++) {
      const result = await verify(`zz${String(100000 + i)}-ovh`, "x", at(i), "198.51.100.9");
      expect(result).toEqual({ ok: false, reason: "invalid" });
    }
    expect(await verify("aa100001-ovh", PASSWORD, at(free), "198.51.100.9")).toMatchObject({
      ok: false,
      reason: "throttled",
    });
    // The same account from another address is not slowed by that client.
    expect((await verify("aa100001-ovh", PASSWORD, at(free), "198.51.100.10")).ok).toBe(true);
  });
});
