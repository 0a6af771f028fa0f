import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { accounts, sessions } from "@/db/schema";
import { openTestDb } from "@/db/testing";
import {
  endSession,
  findSessionAccount,
  pruneExpiredSessions,
  SESSION_MAX_AGE_S,
  startSession,
} from "./sessions";

const NOW = new Date("2026-11-25T10:00:00.000Z");
let db: Db;
let annaId: number;
let bartoszId: number;

beforeEach(async () => {
  db = await openTestDb();
  const insert = async (customerId: string, email: string) => {
    const [account] = await db.transaction((tx) =>
      tx
        .insert(accounts)
        .values({ customerId, name: customerId, email, passwordHash: "scrypt$hash-of-anna" })
        .returning({ id: accounts.id }),
    );
    if (!account) throw new Error(`no account ${customerId}`);
    return account.id;
  };
  annaId = await insert("aa100001-ovh", "anna@example.test");
  bartoszId = await insert("bb200002-ovh", "bartosz@example.test");
});
afterEach(async () => {
  await db.close();
});

const find = (sessionId: string, accountId = annaId, now = NOW) =>
  findSessionAccount(db, { sessionId, accountId, now });

describe("server-side sessions", () => {
  it("a session started at sign-in finds its account", async () => {
    const sid = await startSession(db, { accountId: annaId, now: NOW });
    expect((await find(sid))?.customerId).toBe("aa100001-ovh");
  });

  it("only the session id's hash is stored", async () => {
    const sid = await startSession(db, { accountId: annaId, now: NOW });
    const stored = await db.read.select().from(sessions);
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored)).not.toContain(sid);
  });

  it("a signed-out session is dead at once, and the account's other sessions live on", async () => {
    const here = await startSession(db, { accountId: annaId, now: NOW });
    const elsewhere = await startSession(db, { accountId: annaId, now: NOW });
    await endSession(db, here);
    expect(await find(here)).toBeNull();
    expect((await find(elsewhere))?.id).toBe(annaId);
  });

  it("a session id is no key to another account", async () => {
    const sid = await startSession(db, { accountId: annaId, now: NOW });
    expect(await find(sid, bartoszId)).toBeNull();
  });

  it("an unknown or forged session id finds nothing", async () => {
    await startSession(db, { accountId: annaId, now: NOW });
    expect(await find("forged")).toBeNull();
    expect(await find("")).toBeNull();
  });

  it("a new e-mail address ends every session of the account", async () => {
    const first = await startSession(db, { accountId: annaId, now: NOW });
    const second = await startSession(db, { accountId: annaId, now: NOW });
    const bartosz = await startSession(db, { accountId: bartoszId, now: NOW });
    await db.transaction(async (tx) => {
      await tx.update(accounts).set({ email: "anna.new@example.test" }).where(eq(accounts.id, annaId));
    });
    expect(await find(first)).toBeNull();
    expect(await find(second)).toBeNull();
    expect((await find(bartosz, bartoszId))?.id).toBe(bartoszId);
    // A session started after the change works.
    expect((await find(await startSession(db, { accountId: annaId, now: NOW })))?.id).toBe(annaId);
  });

  it("a new password ends every session of the account", async () => {
    const sid = await startSession(db, { accountId: annaId, now: NOW });
    await db.transaction(async (tx) => {
      await tx.update(accounts).set({ passwordHash: "scrypt$another-hash" }).where(eq(accounts.id, annaId));
    });
    expect(await find(sid)).toBeNull();
  });

  it("a session ends after its maximum age, and the sweep deletes it", async () => {
    const sid = await startSession(db, { accountId: annaId, now: NOW });
    const end = new Date(NOW.getTime() + SESSION_MAX_AGE_S * 1000);
    expect((await find(sid, annaId, new Date(end.getTime() - 1)))?.id).toBe(annaId);
    expect(await find(sid, annaId, end)).toBeNull();
    expect(await pruneExpiredSessions(db, new Date(end.getTime() - 1))).toBe(0);
    expect(await pruneExpiredSessions(db, end)).toBe(1);
  });
});
