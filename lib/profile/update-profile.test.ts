import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Db, migrateDb, openDb } from "@/db/client";
import { accounts } from "@/db/schema";
import { createAccount } from "./testing/profile-fixtures";
import { updateProfile } from "./update-profile";

let db: Db;

beforeEach(() => {
  db = openDb(":memory:");
  migrateDb(db);
});
afterEach(() => db.$client.close());

const load = (id: number) => db.select().from(accounts).where(eq(accounts.id, id)).get();

describe("updateProfile", () => {
  it("stores the trimmed name and the language, and leaves the e-mail address alone", () => {
    const paula = createAccount(db, { name: "Paula", language: "en" });
    expect(updateProfile(db, { accountId: paula.id, name: "  Paulina Nowak ", language: "pl" })).toEqual({
      ok: true,
      name: "Paulina Nowak",
      language: "pl",
    });
    expect(load(paula.id)).toMatchObject({ name: "Paulina Nowak", language: "pl", email: paula.email });
  });

  it("refuses an empty or overlong name, and changes nothing", () => {
    const paula = createAccount(db, { name: "Paula" });
    expect(updateProfile(db, { accountId: paula.id, name: "   ", language: "pl" })).toEqual({
      ok: false,
      reason: "invalid_name",
    });
    expect(updateProfile(db, { accountId: paula.id, name: "x".repeat(101), language: "pl" })).toEqual({
      ok: false,
      reason: "invalid_name",
    });
    expect(load(paula.id)).toMatchObject({ name: "Paula", language: "en" });
  });

  it("refuses a language the app does not speak", () => {
    const paula = createAccount(db);
    expect(updateProfile(db, { accountId: paula.id, name: "Paula", language: "de" })).toEqual({
      ok: false,
      reason: "invalid_language",
    });
    expect(load(paula.id)?.language).toBe("en");
  });

  it("answers not_found for an account that does not exist", () => {
    expect(updateProfile(db, { accountId: 999, name: "Nobody", language: "en" })).toEqual({
      ok: false,
      reason: "not_found",
    });
  });
});
