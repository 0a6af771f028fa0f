import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Db } from "@/db/client";
import { answerRequest } from "./answer-request";
import { parseLiveIds } from "./parse-live-ids";
import { MAX_LIVE_REQUESTS, readLiveStates } from "./read-live-states";
import {
  ANNA,
  accountIdOf,
  askOne,
  at,
  BARTOSZ,
  CELINA,
  codeFor,
  DAWID,
  DAY,
  EWA,
  HOUR,
  openTestDb,
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

const live = async (customerId: string, ids: number[], now = at(HOUR)) =>
  readLiveStates(db, { accountId: await accountIdOf(db, customerId), ids, now });

describe("the live state of requests a page shows", () => {
  it("moves on with an acceptance while the request stays pending, and again when it is done", async () => {
    const id = await askOne(db, ANNA, "example.pl", { tech: DAWID });
    const [before] = await live(ANNA, [id]);
    expect(before).toMatchObject({ id, state: "pending" });

    const annaCode = await codeFor(db, id, ANNA);
    await answerRequest(db, {
      requestId: id,
      actorId: await accountIdOf(db, ANNA),
      token: annaCode,
      decision: "accepted",
      now: at(HOUR),
    });
    const [afterOne] = await live(ANNA, [id]);
    expect(afterOne?.state).toBe("pending");
    expect(afterOne?.step).toBeGreaterThan(before?.step ?? 0);

    const dawidCode = await codeFor(db, id, DAWID);
    await answerRequest(db, {
      requestId: id,
      actorId: await accountIdOf(db, DAWID),
      token: dawidCode,
      decision: "accepted",
      now: at(HOUR),
    });
    expect(await live(DAWID, [id])).toEqual([{ id, state: "done", step: expect.any(Number) }]);
  });

  it("reads a pending request past its deadline as expired, as pages show it", async () => {
    const id = await askOne(db, ANNA, "example.pl", { tech: DAWID });
    expect(await live(ANNA, [id], new Date(T0.getTime() + 15 * DAY))).toMatchObject([
      { id, state: "expired" },
    ]);
  });

  it("leaves out the requests an account may not see, as if they did not exist", async () => {
    const id = await askOne(db, ANNA, "example.pl", { tech: DAWID });
    // Bartosz is the technical contact being replaced: a party. Celina (billing) and Ewa are not.
    expect(await live(BARTOSZ, [id])).toHaveLength(1);
    expect(await live(CELINA, [id])).toEqual([]);
    expect(await live(EWA, [id, 999_999])).toEqual([]);
  });

  it("answers each request once, at most a page of them", async () => {
    const id = await askOne(db, ANNA, "example.pl", { tech: DAWID });
    expect(await live(ANNA, [id, id, id])).toHaveLength(1);
    expect(await live(ANNA, [])).toEqual([]);
  });
});

describe("the ids a page asks about", () => {
  it("are request ids separated by commas", () => {
    expect(parseLiveIds("1,22,333")).toEqual({ ok: true, ids: [1, 22, 333] });
  });

  it.each([
    [null, "ids is required"],
    ["", "ids is required"],
    ["1,,2", "must be request ids"],
    ["1;2", "must be request ids"],
    ["-1", "must be request ids"],
    ["0", "must be request ids"],
    ["1.5", "must be request ids"],
    ["99999999999", "must be request ids"],
    ["2147483648", "must be request ids"],
    ["１", "must be request ids"],
    [Array.from({ length: MAX_LIVE_REQUESTS + 1 }, (_, i) => i + 1).join(","), "at most"],
  ])("%j is refused with a message", (value, message) => {
    const parsed = parseLiveIds(value);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? "" : parsed.message).toContain(message);
  });
});
