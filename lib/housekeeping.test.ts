import { describe, expect, it } from "vitest";
import { migrateDb, openDb } from "@/db/client";
import { accounts, sessions, throttleAttempts } from "@/db/schema";
import { startSession } from "@/lib/auth/sessions";
import { runHousekeeping } from "./housekeeping";

const NOW = new Date("2026-11-25T10:00:00.000Z");
const DAY = 24 * 60 * 60_000;

describe("housekeeping", () => {
  it("deletes expired sessions and day-old attempts, and keeps the rest", () => {
    const db = openDb(":memory:");
    migrateDb(db);
    const accountId = db
      .insert(accounts)
      .values({ customerId: "aa100001-ovh", name: "Anna", email: "anna@example.test", passwordHash: "x" })
      .returning({ id: accounts.id })
      .get().id;
    startSession(db, { accountId, now: new Date(NOW.getTime() - 31 * DAY) });
    startSession(db, { accountId, now: NOW });
    db.insert(throttleAttempts)
      .values([
        { scope: "sign-in", key: "client:192.0.2.1", at: new Date(NOW.getTime() - DAY - 1) },
        { scope: "sign-in", key: "client:192.0.2.1", at: new Date(NOW.getTime() - 60_000) },
      ])
      .run();
    expect(runHousekeeping(db, NOW)).toEqual({ sessions: 1, throttleAttempts: 1 });
    expect(db.select().from(sessions).all()).toHaveLength(1);
    expect(db.select().from(throttleAttempts).all()).toHaveLength(1);
  });
});
