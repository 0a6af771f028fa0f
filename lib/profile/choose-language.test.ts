import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { accounts } from "@/db/schema";
import { openTestDb } from "@/db/testing";
import { chooseLanguage, followBrowserLanguage } from "./choose-language";
import { saveProfile } from "./save-profile";
import { createAccount, T0 } from "./testing/profile-fixtures";

let db: Db;

beforeEach(async () => {
  db = await openTestDb();
});
afterEach(() => db.close());

const languageOf = async (id: number) => {
  const [account] = await db.read
    .select({ language: accounts.language, isLanguageChosen: accounts.isLanguageChosen })
    .from(accounts)
    .where(eq(accounts.id, id));
  return account;
};

describe("an account's language", () => {
  it("follows the browser until its holder picks one", async () => {
    const paula = await createAccount(db, { language: "en" });
    expect(await languageOf(paula.id)).toEqual({ language: "en", isLanguageChosen: false });
    await followBrowserLanguage(db, { accountId: paula.id, language: "pl" });
    expect(await languageOf(paula.id)).toEqual({ language: "pl", isLanguageChosen: false });
  });

  it("picked in the header, no longer follows the browser", async () => {
    const paula = await createAccount(db, { language: "en" });
    expect(await chooseLanguage(db, { accountId: paula.id, language: "pl" })).toEqual({
      ok: true,
      language: "pl",
    });
    expect(await languageOf(paula.id)).toEqual({ language: "pl", isLanguageChosen: true });
    await followBrowserLanguage(db, { accountId: paula.id, language: "en" });
    expect(await languageOf(paula.id)).toEqual({ language: "pl", isLanguageChosen: true });
  });

  it.each(["de", "", "PL", 1, null, { language: "pl" }])(
    "refuses %j and changes nothing",
    async (language) => {
      const paula = await createAccount(db, { language: "en" });
      expect(await chooseLanguage(db, { accountId: paula.id, language })).toEqual({
        ok: false,
        reason: "invalid_language",
      });
      expect(await languageOf(paula.id)).toEqual({ language: "en", isLanguageChosen: false });
    },
  );

  it("answers an account that is gone with not_found", async () => {
    expect(await chooseLanguage(db, { accountId: 999_999, language: "pl" })).toEqual({
      ok: false,
      reason: "not_found",
    });
  });

  it("changed in the profile, becomes the holder's choice", async () => {
    const paula = await createAccount(db, { language: "en" });
    const save = (language: string) =>
      saveProfile(db, { accountId: paula.id, name: "Paula", email: paula.email, language, now: T0 });
    // Saving the language the panel shows (followed from the browser) is no choice yet.
    await save("en");
    expect(await languageOf(paula.id)).toEqual({ language: "en", isLanguageChosen: false });
    await save("pl");
    expect(await languageOf(paula.id)).toEqual({ language: "pl", isLanguageChosen: true });
    await followBrowserLanguage(db, { accountId: paula.id, language: "en" });
    expect(await languageOf(paula.id)).toEqual({ language: "pl", isLanguageChosen: true });
  });
});
