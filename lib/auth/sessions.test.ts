import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { type Db, migrateDb, openDb } from "@/db/client";
import { accounts, sessions } from "@/db/schema";
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

beforeEach(() => {
  db = openDb(":memory:");
  migrateDb(db);
  const insert = (customerId: string, email: string) =>
    db
      .insert(accounts)
      .values({ customerId, name: customerId, email, passwordHash: "scrypt$hash-of-anna" })
      .returning({ id: accounts.id })
      .get().id;
  annaId = insert("aa100001-ovh", "anna@example.test");
  bartoszId = insert("bb200002-ovh", "bartosz@example.test");
});

const find = (sessionId: string, accountId = annaId, now = NOW) =>
  findSessionAccount(db, { sessionId, accountId, now });

describe("server-side sessions", () => {
  it("a session started at sign-in finds its account", () => {
    const sid = startSession(db, { accountId: annaId, now: NOW });
    expect(find(sid)?.customerId).toBe("aa100001-ovh");
  });

  it("only the session id's hash is stored", () => {
    const sid = startSession(db, { accountId: annaId, now: NOW });
    const stored = db.select().from(sessions).all();
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored)).not.toContain(sid);
  });

  it("a signed-out session is dead at once, and the account's other sessions live on", () => {
    const here = startSession(db, { accountId: annaId, now: NOW });
    const elsewhere = startSession(db, { accountId: annaId, now: NOW });
    endSession(db, here);
    expect(find(here)).toBeNull();
    expect(find(elsewhere)?.id).toBe(annaId);
  });

  it("a session id is no key to another account", () => {
    const sid = startSession(db, { accountId: annaId, now: NOW });
    expect(find(sid, bartoszId)).toBeNull();
  });

  it("an unknown or forged session id finds nothing", () => {
    startSession(db, { accountId: annaId, now: NOW });
    expect(find("forged")).toBeNull();
    expect(find("")).toBeNull();
  });

  it("a new e-mail address ends every session of the account", () => {
    const first = startSession(db, { accountId: annaId, now: NOW });
    const second = startSession(db, { accountId: annaId, now: NOW });
    const bartosz = startSession(db, { accountId: bartoszId, now: NOW });
    db.update(accounts).set({ email: "anna.new@example.test" }).where(eq(accounts.id, annaId)).run();
    expect(find(first)).toBeNull();
    expect(find(second)).toBeNull();
    expect(find(bartosz, bartoszId)?.id).toBe(bartoszId);
    // A session started after the change works.
    expect(find(startSession(db, { accountId: annaId, now: NOW }))?.id).toBe(annaId);
  });

  it("a new password ends every session of the account", () => {
    const sid = startSession(db, { accountId: annaId, now: NOW });
    db.update(accounts).set({ passwordHash: "scrypt$another-hash" }).where(eq(accounts.id, annaId)).run();
    expect(find(sid)).toBeNull();
  });

  it("a session ends after its maximum age, and the sweep deletes it", () => {
    const sid = startSession(db, { accountId: annaId, now: NOW });
    const end = new Date(NOW.getTime() + SESSION_MAX_AGE_S * 1000);
    expect(find(sid, annaId, new Date(end.getTime() - 1))?.id).toBe(annaId);
    expect(find(sid, annaId, end)).toBeNull();
    expect(pruneExpiredSessions(db, new Date(end.getTime() - 1))).toBe(0);
    expect(pruneExpiredSessions(db, end)).toBe(1);
  });
});
