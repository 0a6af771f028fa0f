import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { accounts, emailChanges, outbox } from "@/db/schema";
import { openTestDb } from "@/db/testing";
import { EMAIL_CHANGE_TTL_MS } from "./email-change-rules";
import { getPendingEmailChange } from "./get-pending-email-change";
import { requestEmailChange } from "./request-email-change";
import { saveProfile } from "./save-profile";
import { at, createAccount, newestEmailTo, T0 } from "./testing/profile-fixtures";

let db: Db;

beforeEach(async () => {
  db = await openTestDb();
});
afterEach(() => db.close());

const load = async (id: number) => {
  const [account] = await db.read.select().from(accounts).where(eq(accounts.id, id));
  return account;
};
const changeRowsOf = (accountId: number) =>
  db.read.select().from(emailChanges).where(eq(emailChanges.accountId, accountId));
const outboxCount = async () => (await db.read.select().from(outbox)).length;

describe("saveProfile", () => {
  it("stores the trimmed name and the language; the current address (any case) changes nothing", async () => {
    const paula = await createAccount(db, { name: "Paula", language: "en" });
    const email = ` ${paula.email.toUpperCase()} `;
    expect(
      await saveProfile(db, {
        accountId: paula.id,
        name: "  Paulina Nowak ",
        email,
        language: "pl",
        now: T0,
      }),
    ).toEqual({ ok: true, name: "Paulina Nowak", language: "pl", emailChange: null });
    expect(await load(paula.id)).toMatchObject({ name: "Paulina Nowak", language: "pl", email: paula.email });
    expect(await changeRowsOf(paula.id)).toEqual([]);
    expect(await outboxCount()).toBe(0);
  });

  it("stores the name in NFC without the invisible characters around it", async () => {
    const paula = await createAccount(db, { name: "Paula" });
    const save = (name: string) =>
      saveProfile(db, { accountId: paula.id, name, email: paula.email, language: "en", now: T0 });
    expect(await save("\u200b Celina Zielin\u0301ska\u00a0")).toMatchObject({
      ok: true,
      name: "Celina Zieli\u0144ska",
    });
    expect((await load(paula.id))?.name).toBe("Celina Zieli\u0144ska");
  });

  it("saves name and language and starts the e-mail change together, the link in the new language", async () => {
    const paula = await createAccount(db, { name: "Paula", language: "en" });
    const result = await saveProfile(db, {
      accountId: paula.id,
      name: "Paulina",
      email: "Paulina@Example.TEST",
      language: "pl",
      now: T0,
    });
    expect(result).toEqual({
      ok: true,
      name: "Paulina",
      language: "pl",
      emailChange: { newEmail: "paulina@example.test", expiresAt: at(EMAIL_CHANGE_TTL_MS) },
    });
    expect(await load(paula.id)).toMatchObject({ name: "Paulina", language: "pl", email: paula.email });
    expect((await getPendingEmailChange(db, paula.id, at(1000)))?.newEmail).toBe("paulina@example.test");
    expect(await newestEmailTo(db, "paulina@example.test")).toMatchObject({
      language: "pl",
      subject: "Potwierdź nowy adres e-mail",
      props: expect.objectContaining({ recipientName: "Paulina" }),
    });
  });

  it("answers an address another account uses exactly like a free one, and sends nothing to it", async () => {
    const paula = await createAccount(db, { name: "Paula" });
    const olga = await createAccount(db, { email: "olga@example.test" });
    const save = (email: string) =>
      saveProfile(db, { accountId: paula.id, name: "Paula", email, language: "en", now: T0 });
    const free = await save("free@example.test");
    expect(await save("OLGA@example.test")).toEqual({
      ok: true,
      name: "Paula",
      language: "en",
      emailChange: { newEmail: "olga@example.test", expiresAt: at(EMAIL_CHANGE_TTL_MS) },
    });
    expect(free).toMatchObject({ ok: true, emailChange: { expiresAt: at(EMAIL_CHANGE_TTL_MS) } });
    expect((await getPendingEmailChange(db, paula.id, at(1000)))?.newEmail).toBe("olga@example.test");
    expect(await newestEmailTo(db, olga.email)).toBeUndefined();
    expect(await outboxCount()).toBe(1);
    expect((await load(paula.id))?.email).toBe(paula.email);
    expect((await load(olga.id))?.email).toBe(olga.email);
  });

  it.each([
    ["an empty name", { name: "   " }, "invalid_name"],
    ["a name of a zero-width space only", { name: "\u200b" }, "invalid_name"],
    ["a name of a NUL only", { name: "\u0000" }, "invalid_name"],
    ["a name with a line break inside", { name: "Paulina\nNowak" }, "invalid_name"],
    ["an overlong name", { name: "x".repeat(101) }, "name_too_long"],
    ["a language the app does not speak", { language: "de" }, "invalid_language"],
    ["a changed address that is not one", { email: "paula-at-example.test" }, "invalid_email"],
    ["an emptied address", { email: "  " }, "invalid_email"],
    ["an address with a zero-width space", { email: "new\u200b@example.test" }, "invalid_email"],
    ["an address with a soft hyphen", { email: "new@exam\u00adple.test" }, "invalid_email"],
    ["an address with a control character", { email: "new@example.test\u0000" }, "invalid_email"],
  ])("refuses %s and saves nothing, not even the other fields", async (_label, change, reason) => {
    const paula = await createAccount(db, { name: "Paula", language: "en" });
    await requestEmailChange(db, { accountId: paula.id, newEmail: "earlier@example.test", now: T0 });
    const before = {
      account: await load(paula.id),
      changes: await changeRowsOf(paula.id),
      outbox: await outboxCount(),
    };
    const input = {
      accountId: paula.id,
      name: "Paulina",
      email: "new@example.test",
      language: "pl",
      now: at(1),
    };
    expect(await saveProfile(db, { ...input, ...change })).toEqual({ ok: false, reason });
    expect({
      account: await load(paula.id),
      changes: await changeRowsOf(paula.id),
      outbox: await outboxCount(),
    }).toEqual(before);
  });

  it("answers not_found for an account that does not exist", async () => {
    expect(
      await saveProfile(db, {
        accountId: 999,
        name: "Nobody",
        email: "x@example.test",
        language: "en",
        now: T0,
      }),
    ).toEqual({ ok: false, reason: "not_found" });
    expect(await outboxCount()).toBe(0);
  });

  it("saves and requests racing on one account leave one pending change, and only its link goes out", async () => {
    const paula = await createAccount(db);
    const addresses = Array.from({ length: 6 }, (_, i) => `paula.${i}@example.test`);
    const results = await Promise.all(
      addresses.map((email, i) =>
        i % 2 === 0
          ? saveProfile(db, { accountId: paula.id, name: "Paula", email, language: "en", now: T0 })
          : requestEmailChange(db, { accountId: paula.id, newEmail: email, now: T0 }),
      ),
    );
    expect(results.every((result) => result.ok)).toBe(true);
    const unused = (await changeRowsOf(paula.id)).filter((row) => row.usedAt === null);
    expect(unused).toHaveLength(1);
    // Every replaced change's link was withdrawn: only the pending one's e-mail may still go.
    const unsent = (await db.read.select().from(outbox)).filter((row) => row.status === "pending");
    expect(unsent.map((row) => row.toAddress)).toEqual(unused.map((row) => row.newEmail));
  });
});
