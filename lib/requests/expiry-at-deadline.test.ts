import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Db } from "@/db/client";
import { captureLog } from "@/lib/email/testing/capture-log";
import { answerRequest } from "./answer-request";
import { getRequestDetail } from "./get-request-detail";
import { startExpirySweep, sweepExpiredRequests } from "./sweep-expired-requests";
import {
  ANNA,
  accountIdOf,
  askOne,
  at,
  codeFor,
  DAWID,
  DAY,
  eventsOf,
  HOUR,
  mailsOf,
  openTestDb,
  requestRow,
  T0,
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

const deadline = at(14 * DAY);

describe("a request that expired while the server was down", () => {
  it("is recorded as ended at its deadline, not when the sweep finally runs; the notices are dated now", async () => {
    const id = await askOne(db, ANNA, "example.pl", { tech: DAWID });
    // The server comes back three days after the deadline.
    const restart = at(17 * DAY + 5 * HOUR);

    expect(await sweepExpiredRequests(db, restart)).toEqual([id]);

    expect(await requestRow(db, id)).toMatchObject({ state: "expired", endedAt: deadline });
    expect((await eventsOf(db, id)).map(([kind, , , when]) => [kind, when])).toEqual([
      ["created", T0],
      ["expired", deadline],
    ]);
    expect(await getRequestDetail(db, id, await accountIdOf(db, ANNA), restart)).toMatchObject({
      state: "expired",
      endedAt: deadline,
    });
    const notices = await mailsOf(db, id, "request-ended");
    expect(notices.length).toBeGreaterThan(0);
    for (const notice of notices)
      expect([notice.createdAt, notice.nextAttemptAt]).toEqual([restart, restart]);
  });

  it("is recorded at its deadline too when an answer is the first to notice", async () => {
    const id = await askOne(db, ANNA, "example.pl", { tech: DAWID });
    const code = await codeFor(db, id, ANNA);
    const later = at(20 * DAY);
    expect(
      await answerRequest(db, {
        requestId: id,
        actorId: await accountIdOf(db, ANNA),
        token: code,
        decision: "accepted",
        now: later,
      }),
    ).toEqual({ ok: false, reason: "expired" });
    expect(await requestRow(db, id)).toMatchObject({ state: "expired", endedAt: deadline });
    expect((await eventsOf(db, id)).at(-1)?.[3]).toEqual(deadline);
  });
});

describe("the periodic sweep", () => {
  it("logs how many requests it expired, only when there were some", async () => {
    const { log, lines } = captureLog();
    const quiet = startExpirySweep(db, { intervalMs: 60_000, log });
    await quiet();
    expect(lines()).toEqual([]);

    // Made long enough ago to be overdue by the real clock the sweep reads.
    const overdue = await askOne(db, ANNA, "example.pl", { tech: DAWID }, new Date(Date.now() - 15 * DAY));
    const stop = startExpirySweep(db, { intervalMs: 60_000, log });
    await stop();
    expect(lines()).toEqual([
      expect.objectContaining({
        level: 30,
        count: 1,
        requestIds: [overdue],
        msg: "expiry sweep: 1 request(s) expired",
      }),
    ]);
    expect((await requestRow(db, overdue)).state).toBe("expired");
  });

  it("logs a failure instead of throwing it", async () => {
    const { log, lines } = captureLog();
    await db.close();
    const stop = startExpirySweep(db, { intervalMs: 60_000, log });
    await stop();
    expect(lines()).toEqual([expect.objectContaining({ level: 50, msg: "expiry sweep failed" })]);
    db = await openTestDb();
  });
});
