import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type Db, lockRows, openDb, rawRows } from "@/db/client";
import { services } from "@/db/schema";
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
  serviceIdOf,
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

/**
 * PostgreSQL: resolves once `count` other backends wait, directly or behind one another, for a
 * lock that backend `holder` holds. SQLite's transactions queue in this process: nothing to see.
 */
async function waitForWaiters(db: Db, holder: number, count: number): Promise<void> {
  if (db.dialect !== "postgres") return;
  for (let tries = 0; tries < 600; tries += 1) {
    const [row] = await rawRows<{ n: number }>(
      db.read,
      sql`WITH RECURSIVE blocked AS (
        SELECT pid FROM pg_stat_activity WHERE ${holder}::int = ANY(pg_blocking_pids(pid))
        UNION SELECT a.pid FROM pg_stat_activity a JOIN blocked b ON b.pid = ANY(pg_blocking_pids(a.pid))
      ) SELECT CAST(count(*) AS integer) AS n FROM blocked`,
    );
    if ((row?.n ?? 0) >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`fewer than ${count} transactions waited for backend ${holder}`);
}

describe("the periodic sweep", () => {
  it("two instances sweeping at the same moment expire a request once, and neither fails", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "expiry-sweep-"));
    await db.close();
    db = await openTestDb(path.join(dir, "app.db"));
    const instances = [openDb(db.location), openDb(db.location)];
    let release = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    try {
      const id = await askOne(db, ANNA, "example.pl", { tech: DAWID });
      const serviceId = await serviceIdOf(db, "example.pl");
      // A third transaction holds the service's row, so both sweeps find the request pending
      // and then queue for it (every writer locks the service first).
      let holding: Promise<void> = Promise.resolve();
      const holder = await new Promise<number>((resolve, reject) => {
        holding = db.transaction(async (tx) => {
          await lockRows(tx, services, eq(services.id, serviceId));
          const [me] =
            db.dialect === "postgres"
              ? await rawRows<{ pid: number }>(tx, sql`SELECT pg_backend_pid() AS pid`)
              : [{ pid: 0 }];
          resolve(me?.pid ?? 0);
          await released;
        });
        holding.catch(reject);
      });
      const sweeps = instances.map((instance) => sweepExpiredRequests(instance, at(15 * DAY)));
      await waitForWaiters(db, holder, 2);
      release();
      await holding;

      expect((await Promise.all(sweeps)).sort((a, b) => a.length - b.length)).toEqual([[], [id]]);
      expect((await eventsOf(db, id)).map(([kind, , , when]) => [kind, when])).toEqual([
        ["created", T0],
        ["expired", deadline],
      ]);
      expect(await mailsOf(db, id, "request-ended")).toHaveLength(3);
    } finally {
      release();
      for (const instance of instances) await instance.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

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
