import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { accounts } from "@/db/schema";
import { getRequestDetail } from "./get-request-detail";
import {
  ANNA,
  accountIdOf,
  askOne,
  at,
  BARTOSZ,
  DAWID,
  HOUR,
  openTestDb,
  T0,
} from "./testing/confirming-fixtures";

let db: Db;
beforeEach(async () => {
  db = await openTestDb();
});
afterEach(async () => {
  await db.close();
});

describe("getRequestDetail: confirmers whose e-mails do not arrive", () => {
  it("says which confirmers' e-mails bounce or were reported as spam, and nothing more about them", async () => {
    const id = await askOne(db, ANNA, "example.pl", { tech: DAWID }, T0);
    await db.transaction((tx) =>
      tx
        .update(accounts)
        .set({ emailUndeliverable: "complained", emailUndeliverableAt: T0 })
        .where(eq(accounts.customerId, DAWID)),
    );
    // Bartosz, the old contact, sees the request too: told that Dawid's e-mails do not arrive.
    const detail = await getRequestDetail(db, id, await accountIdOf(db, BARTOSZ), at(HOUR));
    expect(detail?.confirmers).toEqual([
      expect.objectContaining({ customerId: ANNA, isUndeliverable: false }),
      expect.objectContaining({ customerId: DAWID, isUndeliverable: true }),
    ]);
    // Neither the address nor the kind of mark is in what the page gets about others.
    const dawid = detail?.confirmers.find((c) => c.customerId === DAWID);
    expect(Object.keys(dawid ?? {}).sort()).toEqual(
      ["customerId", "name", "decision", "decidedAt", "isMe", "isUndeliverable"].sort(),
    );
  });
});
