import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Db, migrateDb, openDb } from "@/db/client";
import { emailChanges, outbox } from "@/db/schema";
import { renderEmail } from "@/lib/email/render-email";
import { hashToken } from "@/lib/tokens";
import { confirmEmailChange } from "./confirm-email-change";
import { EMAIL_CHANGE_TTL_MS } from "./email-change-rules";
import { getPendingEmailChange } from "./get-pending-email-change";
import { requestEmailChange } from "./request-email-change";
import { at, createAccount, emailOf, newestEmailTo, T0 } from "./testing/profile-fixtures";

let db: Db;

beforeEach(() => {
  db = openDb(":memory:");
  migrateDb(db);
});
afterEach(() => db.$client.close());

const rowsOf = (accountId: number) =>
  db.select().from(emailChanges).where(eq(emailChanges.accountId, accountId)).all();
const outboxCount = () => db.select().from(outbox).all().length;

describe("requestEmailChange", () => {
  it("stores only the SHA-256 hash of a 32-byte token valid 24 hours, and keeps the old address", () => {
    const paula = createAccount(db, { name: "Paula Profile" });
    const result = requestEmailChange(db, {
      accountId: paula.id,
      newEmail: "paula.new@example.test",
      now: T0,
    });
    expect(result).toEqual({
      ok: true,
      newEmail: "paula.new@example.test",
      expiresAt: at(EMAIL_CHANGE_TTL_MS),
    });

    const mail = newestEmailTo(db, "paula.new@example.test");
    expect(mail?.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const [row] = rowsOf(paula.id);
    expect(row).toMatchObject({
      newEmail: "paula.new@example.test",
      tokenHash: hashToken(mail?.token ?? ""),
      attempts: 0,
      usedAt: null,
      expiresAt: at(24 * 60 * 60 * 1000),
    });
    expect(JSON.stringify(rowsOf(paula.id))).not.toContain(mail?.token);
    expect(emailOf(db, paula.id)).toBe(paula.email);
  });

  it("sends the link to the new address, not the old one, in the account's language", async () => {
    const paula = createAccount(db, { name: "Paulina", language: "pl" });
    requestEmailChange(db, { accountId: paula.id, newEmail: "paulina@example.test", now: T0 });
    expect(newestEmailTo(db, paula.email)).toBeUndefined();
    const mail = newestEmailTo(db, "paulina@example.test");
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

  it("trims and lower-cases the address", () => {
    const paula = createAccount(db);
    const result = requestEmailChange(db, {
      accountId: paula.id,
      newEmail: "  Paula.New@Example.TEST ",
      now: T0,
    });
    expect(result).toMatchObject({ ok: true, newEmail: "paula.new@example.test" });
    expect(rowsOf(paula.id)[0]?.newEmail).toBe("paula.new@example.test");
  });

  it.each([
    ["not an address", "paula-at-example.test", "invalid_email"],
    ["an empty field", "   ", "invalid_email"],
    ["the current address, in other letter case", "SAME", "same_email"],
  ])("refuses %s and writes nothing", (_label, typed, reason) => {
    const paula = createAccount(db);
    const newEmail = typed === "SAME" ? paula.email.toUpperCase() : typed;
    expect(requestEmailChange(db, { accountId: paula.id, newEmail, now: T0 })).toEqual({ ok: false, reason });
    expect(rowsOf(paula.id)).toHaveLength(0);
    expect(outboxCount()).toBe(0);
  });

  describe("an address another account uses", () => {
    /** Paula asks for a free address and for Olga's; returns what each did, side by side. */
    function requestFreeAndTaken() {
      const paula = createAccount(db, { name: "Paula Profile" });
      const olga = createAccount(db, { email: "olga@example.test" });
      const free = requestEmailChange(db, { accountId: paula.id, newEmail: "free@example.test", now: T0 });
      const freeRows = rowsOf(paula.id);
      const taken = requestEmailChange(db, { accountId: paula.id, newEmail: " OLGA@example.test", now: T0 });
      return { paula, olga, free, freeRows, taken, takenRows: rowsOf(paula.id) };
    }

    it("is answered exactly like a free address", () => {
      const { free, taken } = requestFreeAndTaken();
      expect(free).toEqual({ ok: true, newEmail: "free@example.test", expiresAt: at(EMAIL_CHANGE_TTL_MS) });
      expect(taken).toEqual({ ...free, newEmail: "olga@example.test" });
    });

    it("shows as pending and replaces the earlier change, like a free address", () => {
      const { paula, freeRows, takenRows } = requestFreeAndTaken();
      expect(freeRows).toHaveLength(1);
      expect(takenRows).toHaveLength(1);
      expect(takenRows[0]).toMatchObject({ newEmail: "olga@example.test", attempts: 0, usedAt: null });
      expect(getPendingEmailChange(db, paula.id, at(1000))).toMatchObject({
        newEmail: "olga@example.test",
        expiresAt: at(EMAIL_CHANGE_TTL_MS),
        isLocked: false,
      });
    });

    it("sends nothing to that address (nor to anyone else) and changes no address", () => {
      const { paula, olga } = requestFreeAndTaken();
      expect(newestEmailTo(db, olga.email)).toBeUndefined();
      expect(newestEmailTo(db, paula.email)).toBeUndefined();
      expect(
        db
          .select()
          .from(outbox)
          .all()
          .map((row) => row.toAddress),
      ).toEqual(["free@example.test"]);
      expect(emailOf(db, paula.id)).toBe(paula.email);
      expect(emailOf(db, olga.id)).toBe(olga.email);
    });

    it("records nothing usable: no token was kept anywhere, and confirming is refused", () => {
      const { paula, olga, takenRows } = requestFreeAndTaken();
      // The only token ever e-mailed was the free address's, and that change was replaced.
      const freeToken = newestEmailTo(db, "free@example.test")?.token ?? "";
      expect(takenRows[0]?.tokenHash).not.toBe(hashToken(freeToken));
      expect(confirmEmailChange(db, { accountId: paula.id, token: freeToken, now: at(1000) })).toEqual({
        ok: false,
        reason: "not_found",
      });
      expect(emailOf(db, paula.id)).toBe(paula.email);
      expect(emailOf(db, olga.id)).toBe(olga.email);
    });
  });

  it("answers not_found for an account that does not exist", () => {
    expect(requestEmailChange(db, { accountId: 999, newEmail: "x@example.test", now: T0 })).toEqual({
      ok: false,
      reason: "not_found",
    });
  });

  it("a new request replaces the earlier one: the first link stops working", () => {
    const paula = createAccount(db);
    requestEmailChange(db, { accountId: paula.id, newEmail: "first@example.test", now: T0 });
    const first = newestEmailTo(db, "first@example.test")?.token ?? "";
    requestEmailChange(db, { accountId: paula.id, newEmail: "second@example.test", now: at(1000) });
    const second = newestEmailTo(db, "second@example.test")?.token ?? "";

    expect(rowsOf(paula.id).map((row) => row.newEmail)).toEqual(["second@example.test"]);
    expect(getPendingEmailChange(db, paula.id, at(2000))?.newEmail).toBe("second@example.test");
    expect(confirmEmailChange(db, { accountId: paula.id, token: first, now: at(2000) })).toEqual({
      ok: false,
      reason: "not_found",
    });
    expect(confirmEmailChange(db, { accountId: paula.id, token: second, now: at(3000) })).toMatchObject({
      ok: true,
      newEmail: "second@example.test",
    });
  });

  it("keeps confirmed changes as history when a later change is requested", () => {
    const paula = createAccount(db);
    requestEmailChange(db, { accountId: paula.id, newEmail: "first@example.test", now: T0 });
    const token = newestEmailTo(db, "first@example.test")?.token ?? "";
    confirmEmailChange(db, { accountId: paula.id, token, now: at(1000) });
    requestEmailChange(db, { accountId: paula.id, newEmail: "second@example.test", now: at(2000) });
    expect(rowsOf(paula.id).map((row) => [row.newEmail, row.usedAt])).toEqual([
      ["first@example.test", at(1000)],
      ["second@example.test", null],
    ]);
  });
});
