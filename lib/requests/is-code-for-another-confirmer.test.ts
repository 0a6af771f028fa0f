import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Db } from "@/db/client";
import { isCodeForAnotherConfirmer } from "./is-code-for-another-confirmer";
import {
  ANNA,
  accountIdOf,
  askOne,
  BARTOSZ,
  codeFor,
  DAWID,
  openTestDb,
} from "./testing/confirming-fixtures";

let db: Db;

beforeEach(async () => {
  vi.stubEnv("REQUEST_EXPIRY_DAYS", "");
  db = await openTestDb();
});

afterEach(async () => {
  vi.unstubAllEnvs();
  await db.close();
});

describe("an e-mailed link opened by the wrong account", () => {
  it("is told apart from the viewer's own code and from a code that is no one's", async () => {
    const requestId = await askOne(db, ANNA, "example.pl", { tech: DAWID });
    const check = async (viewer: string, code: string) =>
      isCodeForAnotherConfirmer(db, { requestId, viewerId: await accountIdOf(db, viewer), code });
    const dawidsCode = await codeFor(db, requestId, DAWID);
    const annasCode = await codeFor(db, requestId, ANNA);
    expect(await check(ANNA, dawidsCode)).toBe(true);
    expect(await check(BARTOSZ, dawidsCode)).toBe(true);
    expect(await check(DAWID, dawidsCode)).toBe(false);
    expect(await check(DAWID, annasCode)).toBe(true);
    expect(await check(ANNA, "not-a-code")).toBe(false);
  });

  it("does not match a code of another request", async () => {
    const first = await askOne(db, ANNA, "example.pl", { tech: DAWID });
    const second = await askOne(db, ANNA, "shop.example.pl", { tech: DAWID });
    const code = await codeFor(db, first, DAWID);
    expect(
      await isCodeForAnotherConfirmer(db, { requestId: second, viewerId: await accountIdOf(db, ANNA), code }),
    ).toBe(false);
  });
});
