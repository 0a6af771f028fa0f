import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { openTestDb } from "@/db/testing";
import { cancelEmailChange } from "./cancel-email-change";
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

describe("getPendingEmailChange", () => {
  it("is null when no change was asked for", async () => {
    const paula = await createAccount(db);
    expect(await getPendingEmailChange(db, paula.id, T0)).toBeNull();
  });

  it("names the new address until the link expires", async () => {
    const paula = await createAccount(db);
    await requestEmailChange(db, { accountId: paula.id, newEmail: "paula.new@example.test", now: T0 });
    expect(await getPendingEmailChange(db, paula.id, at(1000))).toMatchObject({
      newEmail: "paula.new@example.test",
      createdAt: T0,
      expiresAt: at(EMAIL_CHANGE_TTL_MS),
      isLocked: false,
    });
    expect(await getPendingEmailChange(db, paula.id, at(EMAIL_CHANGE_TTL_MS))).toBeNull();
  });

  it("is only the account's own", async () => {
    const paula = await createAccount(db);
    const other = await createAccount(db);
    await requestEmailChange(db, { accountId: paula.id, newEmail: "paula.new@example.test", now: T0 });
    expect(await getPendingEmailChange(db, other.id, at(1000))).toBeNull();
  });
});

describe("cancelEmailChange", () => {
  it("withdraws the pending change: its link stops working and the address stays", async () => {
    const paula = await createAccount(db);
    await requestEmailChange(db, { accountId: paula.id, newEmail: "paula.new@example.test", now: T0 });
    const token = (await newestEmailTo(db, "paula.new@example.test"))?.token ?? "";
    expect(await cancelEmailChange(db, { accountId: paula.id })).toEqual({ isCancelled: true });
    expect(await getPendingEmailChange(db, paula.id, at(1000))).toBeNull();
    expect(await confirmEmailChange(db, { accountId: paula.id, token, now: at(1000) })).toEqual({
      ok: false,
      reason: "not_found",
    });
    expect(await emailOf(db, paula.id)).toBe(paula.email);
  });

  it("reports when there was nothing to withdraw, and leaves other accounts' changes alone", async () => {
    const paula = await createAccount(db);
    const other = await createAccount(db);
    await requestEmailChange(db, { accountId: other.id, newEmail: "other.new@example.test", now: T0 });
    expect(await cancelEmailChange(db, { accountId: paula.id })).toEqual({ isCancelled: false });
    expect((await getPendingEmailChange(db, other.id, at(1000)))?.newEmail).toBe("other.new@example.test");
  });
});
