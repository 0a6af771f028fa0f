import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { emailChanges, outbox } from "@/db/schema";
import { openTestDb } from "@/db/testing";
import { renderEmail } from "@/lib/email/render-email";
import { hashToken } from "@/lib/tokens";
import { confirmEmailChange } from "./confirm-email-change";
import { EMAIL_CHANGE_TTL_MS } from "./email-change-rules";
import { getPendingEmailChange } from "./get-pending-email-change";
import { requestEmailChange } from "./request-email-change";
import { at, createAccount, emailOf, newestEmailTo, T0 } from "./testing/profile-fixtures";

let db: Db;

beforeEach(async () => {
  db = await openTestDb();
});
afterEach(() => db.close());

const rowsOf = (accountId: number) =>
  db.read.select().from(emailChanges).where(eq(emailChanges.accountId, accountId));
const outboxCount = async () => (await db.read.select().from(outbox)).length;

describe("requestEmailChange", () => {
  it("stores only the SHA-256 hash of a 32-byte token valid 24 hours, and keeps the old address", async () => {
    const paula = await createAccount(db, { name: "Paula Profile" });
    const result = await requestEmailChange(db, {
      accountId: paula.id,
      newEmail: "paula.new@example.test",
      now: T0,
    });
    expect(result).toEqual({
      ok: true,
      newEmail: "paula.new@example.test",
      expiresAt: at(EMAIL_CHANGE_TTL_MS),
    });

    const mail = await newestEmailTo(db, "paula.new@example.test");
    expect(mail?.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const [row] = await rowsOf(paula.id);
    expect(row).toMatchObject({
      newEmail: "paula.new@example.test",
      tokenHash: hashToken(mail?.token ?? ""),
      attempts: 0,
      usedAt: null,
      expiresAt: at(24 * 60 * 60 * 1000),
    });
    expect(JSON.stringify(await rowsOf(paula.id))).not.toContain(mail?.token);
    expect(await emailOf(db, paula.id)).toBe(paula.email);
  });

  it("sends the link to the new address, not the old one, in the account's language", async () => {
    const paula = await createAccount(db, { name: "Paulina", language: "pl" });
    await requestEmailChange(db, { accountId: paula.id, newEmail: "paulina@example.test", now: T0 });
    expect(await newestEmailTo(db, paula.email)).toBeUndefined();
    const mail = await newestEmailTo(db, "paulina@example.test");
    expect(mail).toMatchObject({
      toAccountId: paula.id,
      language: "pl",
      template: "email-change",
      subject: "Potwierdź nowy adres e-mail",
    });
    expect(mail?.props).toMatchObject({ recipientName: "Paulina", newEmail: "paulina@example.test" });
    const rendered = await renderEmail({
      template: "email-change",
      props: mail?.props,
      language: "pl",
    });
    expect(rendered.html).toContain(`/profile/confirm-email?token=${mail?.token}`);
  });

  it("trims and lower-cases the address", async () => {
    const paula = await createAccount(db);
    const result = await requestEmailChange(db, {
      accountId: paula.id,
      newEmail: "  Paula.New@Example.TEST ",
      now: T0,
    });
    expect(result).toMatchObject({ ok: true, newEmail: "paula.new@example.test" });
    expect((await rowsOf(paula.id))[0]?.newEmail).toBe("paula.new@example.test");
  });

  it.each([
    ["not an address", "paula-at-example.test", "invalid_email"],
    ["an empty field", "   ", "invalid_email"],
    ["the current address, in other letter case", "SAME", "same_email"],
  ])("refuses %s and writes nothing", async (_label, typed, reason) => {
    const paula = await createAccount(db);
    const newEmail = typed === "SAME" ? paula.email.toUpperCase() : typed;
    expect(await requestEmailChange(db, { accountId: paula.id, newEmail, now: T0 })).toEqual({
      ok: false,
      reason,
    });
    expect(await rowsOf(paula.id)).toHaveLength(0);
    expect(await outboxCount()).toBe(0);
  });

  describe("an address another account uses", () => {
    /** Paula asks for a free address and for Olga's; returns what each did, side by side. */
    async function requestFreeAndTaken() {
      const paula = await createAccount(db, { name: "Paula Profile" });
      const olga = await createAccount(db, { email: "olga@example.test" });
      const free = await requestEmailChange(db, {
        accountId: paula.id,
        newEmail: "free@example.test",
        now: T0,
      });
      const freeRows = await rowsOf(paula.id);
      const taken = await requestEmailChange(db, {
        accountId: paula.id,
        newEmail: " OLGA@example.test",
        now: T0,
      });
      return { paula, olga, free, freeRows, taken, takenRows: await rowsOf(paula.id) };
    }

    it("is answered exactly like a free address", async () => {
      const { free, taken } = await requestFreeAndTaken();
      expect(free).toEqual({ ok: true, newEmail: "free@example.test", expiresAt: at(EMAIL_CHANGE_TTL_MS) });
      expect(taken).toEqual({ ...free, newEmail: "olga@example.test" });
    });

    it("shows as pending and replaces the earlier change, like a free address", async () => {
      const { paula, freeRows, takenRows } = await requestFreeAndTaken();
      expect(freeRows).toHaveLength(1);
      expect(takenRows).toHaveLength(1);
      expect(takenRows[0]).toMatchObject({ newEmail: "olga@example.test", attempts: 0, usedAt: null });
      expect(await getPendingEmailChange(db, paula.id, at(1000))).toMatchObject({
        newEmail: "olga@example.test",
        expiresAt: at(EMAIL_CHANGE_TTL_MS),
        isLocked: false,
      });
    });

    it("sends nothing to that address (nor to anyone else) and changes no address", async () => {
      const { paula, olga } = await requestFreeAndTaken();
      expect(await newestEmailTo(db, olga.email)).toBeUndefined();
      expect(await newestEmailTo(db, paula.email)).toBeUndefined();
      expect((await db.read.select().from(outbox)).map((row) => row.toAddress)).toEqual([
        "free@example.test",
      ]);
      expect(await emailOf(db, paula.id)).toBe(paula.email);
      expect(await emailOf(db, olga.id)).toBe(olga.email);
    });

    it("records nothing usable: no token was kept anywhere, and confirming is refused", async () => {
      const { paula, olga, takenRows } = await requestFreeAndTaken();
      // The only token ever e-mailed was the free address's, and that change was replaced.
      const freeToken = (await newestEmailTo(db, "free@example.test"))?.token ?? "";
      expect(takenRows[0]?.tokenHash).not.toBe(hashToken(freeToken));
      expect(await confirmEmailChange(db, { accountId: paula.id, token: freeToken, now: at(1000) })).toEqual({
        ok: false,
        reason: "not_found",
      });
      expect(await emailOf(db, paula.id)).toBe(paula.email);
      expect(await emailOf(db, olga.id)).toBe(olga.email);
    });
  });

  it("answers not_found for an account that does not exist", async () => {
    expect(await requestEmailChange(db, { accountId: 999, newEmail: "x@example.test", now: T0 })).toEqual({
      ok: false,
      reason: "not_found",
    });
  });

  it("a new request replaces the earlier one: the first link stops working", async () => {
    const paula = await createAccount(db);
    await requestEmailChange(db, { accountId: paula.id, newEmail: "first@example.test", now: T0 });
    const first = (await newestEmailTo(db, "first@example.test"))?.token ?? "";
    await requestEmailChange(db, { accountId: paula.id, newEmail: "second@example.test", now: at(1000) });
    const second = (await newestEmailTo(db, "second@example.test"))?.token ?? "";

    expect((await rowsOf(paula.id)).map((row) => row.newEmail)).toEqual(["second@example.test"]);
    expect((await getPendingEmailChange(db, paula.id, at(2000)))?.newEmail).toBe("second@example.test");
    expect(await confirmEmailChange(db, { accountId: paula.id, token: first, now: at(2000) })).toEqual({
      ok: false,
      reason: "not_found",
    });
    expect(await confirmEmailChange(db, { accountId: paula.id, token: second, now: at(3000) })).toMatchObject(
      {
        ok: true,
        newEmail: "second@example.test",
      },
    );
  });

  it("keeps confirmed changes as history when a later change is requested", async () => {
    const paula = await createAccount(db);
    await requestEmailChange(db, { accountId: paula.id, newEmail: "first@example.test", now: T0 });
    const token = (await newestEmailTo(db, "first@example.test"))?.token ?? "";
    await confirmEmailChange(db, { accountId: paula.id, token, now: at(1000) });
    await requestEmailChange(db, { accountId: paula.id, newEmail: "second@example.test", now: at(2000) });
    expect((await rowsOf(paula.id)).map((row) => [row.newEmail, row.usedAt])).toEqual([
      ["first@example.test", at(1000)],
      ["second@example.test", null],
    ]);
  });
});
