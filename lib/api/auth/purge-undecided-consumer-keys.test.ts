import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Db } from "@/db/client";
import { apiConsumerKeys } from "@/db/schema";
import { openTestDb } from "@/db/testing";
import { decideApiCredential } from "./decide-api-credential";
import { purgeUndecidedConsumerKeys, UNDECIDED_KEY_RETENTION_MS } from "./purge-undecided-consumer-keys";
import { CREDENTIAL_VALIDATION_TTL_MS } from "./request-api-credential";
import {
  at,
  createAccount,
  createApplication,
  requestKey,
  stubAuthSecret,
} from "./testing/api-auth-fixtures";

let db: Db;
beforeEach(async () => {
  stubAuthSecret();
  db = await openTestDb();
});
afterEach(async () => {
  await db.close();
  vi.unstubAllEnvs();
});

describe("purging undecided consumer keys", () => {
  it("deletes a key nobody decided a day after its deadline, and keeps decided and fresh ones", async () => {
    const alice = await createAccount(db);
    const application = await createApplication(db, alice.id);
    await requestKey(db, application.applicationKey); // left undecided
    const approved = await requestKey(db, application.applicationKey);
    const refused = await requestKey(db, application.applicationKey);
    for (const [key, approve] of [
      [approved, true],
      [refused, false],
    ] as const) {
      const decided = await decideApiCredential(db, {
        credentialToken: key.credentialToken,
        accountId: alice.id,
        approve,
        now: at(1000),
      });
      expect(decided.ok).toBe(true);
    }
    const deadline = CREDENTIAL_VALIDATION_TTL_MS + UNDECIDED_KEY_RETENTION_MS;
    expect(await purgeUndecidedConsumerKeys(db, at(deadline))).toBe(0);
    expect(await purgeUndecidedConsumerKeys(db, at(deadline + 1))).toBe(1);
    const states = (await db.read.select({ state: apiConsumerKeys.state }).from(apiConsumerKeys)).map(
      (row) => row.state,
    );
    expect(states.sort()).toEqual(["refused", "validated"]);
  });
});
