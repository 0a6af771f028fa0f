import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import type { Decision } from "@/db/schema";
import { answerRequest } from "./answer-request";
import { cancelRequest } from "./cancel-request";
import { listRequests, REQUESTS_PAGE_SIZE, type RequestFilter } from "./list-requests";
import {
  ANNA,
  accountIdOf,
  addService,
  askOne,
  at,
  BARTOSZ,
  CELINA,
  codeFor,
  DAWID,
  EWA,
  FILIP,
  HOUR,
  MINUTE,
  openTestDb,
  serviceIdOf,
  T0,
} from "./testing/confirming-fixtures";

let db: Db;

beforeEach(async () => {
  db = await openTestDb();
});

afterEach(async () => {
  await db.close();
});

const NOW = at(2 * HOUR);

async function list(customerId: string, status: RequestFilter = "all", page = 1) {
  return listRequests(db, await accountIdOf(db, customerId), { status, page }, NOW);
}

async function idsSeenBy(customerId: string, status: RequestFilter = "all", page = 1): Promise<number[]> {
  return (await list(customerId, status, page)).rows.map((row) => row.id);
}

async function answer(customerId: string, requestId: number, decision: Decision = "accepted") {
  return answerRequest(db, {
    requestId,
    actorId: await accountIdOf(db, customerId),
    token: await codeFor(db, requestId, customerId),
    decision,
    now: at(HOUR),
  });
}

describe("who sees a request", () => {
  it("its parties and the service's administrator see it; nobody else does", async () => {
    // A: Anna (admin) replaces tech Bartosz with Dawid on example.pl; Anna and Dawid confirm.
    const a = await askOne(db, ANNA, "example.pl", { tech: DAWID }, T0);
    // B: Bartosz hands tech on shop.example.pl to Ewa; Anna is only its administrator.
    const b = await askOne(db, BARTOSZ, "shop.example.pl", { tech: EWA }, at(MINUTE));

    // Anna must answer A, not B: A first although it is older.
    expect(await idsSeenBy(ANNA)).toEqual([a, b]);
    // Bartosz is the old contact of A and asked (and must confirm) B.
    expect(await idsSeenBy(BARTOSZ)).toEqual([b, a]);
    expect(await idsSeenBy(DAWID)).toEqual([a]);
    expect(await idsSeenBy(EWA)).toEqual([b]);
    // Celina holds billing on both services but is no party to either request.
    expect(await idsSeenBy(CELINA)).toEqual([]);
    expect(await idsSeenBy(FILIP)).toEqual([]);
  });

  it("describes each row from the viewer's side", async () => {
    const a = await askOne(db, ANNA, "example.pl", { tech: DAWID }, T0);
    const b = await askOne(db, BARTOSZ, "shop.example.pl", { tech: EWA }, at(MINUTE));
    const rowA = {
      id: a,
      service: { id: await serviceIdOf(db, "example.pl"), name: "example.pl", type: "domain" },
      oldContact: BARTOSZ,
      newContact: DAWID,
      requestedBy: ANNA,
      contactTypes: ["tech"],
      createdAt: T0,
      state: "pending",
      waitingFor: [ANNA, DAWID],
    };
    const rowB = {
      id: b,
      service: { id: await serviceIdOf(db, "shop.example.pl"), name: "shop.example.pl", type: "web_hosting" },
      oldContact: BARTOSZ,
      newContact: EWA,
      requestedBy: BARTOSZ,
      contactTypes: ["tech"],
      createdAt: at(MINUTE),
      state: "pending",
      waitingFor: [BARTOSZ, EWA],
    };
    expect(await list(ANNA)).toEqual({
      page: 1,
      hasNext: false,
      rows: [
        { ...rowA, isAwaitingMe: true, isConfirmer: true, canCancel: true },
        // Not hers to confirm, but hers to withdraw as the service's administrator.
        { ...rowB, isAwaitingMe: false, isConfirmer: false, canCancel: true },
      ],
    });
    expect((await list(BARTOSZ)).rows).toEqual([
      { ...rowB, isAwaitingMe: true, isConfirmer: true, canCancel: true },
      { ...rowA, isAwaitingMe: false, isConfirmer: false, canCancel: false },
    ]);
    expect((await list(DAWID)).rows).toEqual([
      { ...rowA, isAwaitingMe: true, isConfirmer: true, canCancel: false },
    ]);
  });
});

describe("order, filters and who is still awaited", () => {
  it("newest first, the ones awaiting the viewer's answer before the rest", async () => {
    const a = await askOne(db, ANNA, "example.pl", { tech: DAWID }, T0);
    const b = await askOne(db, BARTOSZ, "shop.example.pl", { tech: EWA }, at(MINUTE));
    const c = await askOne(db, ANNA, "vps-42.example.net", { admin: DAWID }, at(2 * MINUTE));

    expect(await idsSeenBy(ANNA)).toEqual([c, a, b]);
    expect(await idsSeenBy(ANNA, "awaiting_me")).toEqual([c, a]);
    expect(await idsSeenBy(ANNA, "pending")).toEqual([c, a, b]);

    expect(await answer(ANNA, c)).toMatchObject({ ok: true, outcome: "waiting" });
    expect(await idsSeenBy(ANNA)).toEqual([a, c, b]);
    expect(await idsSeenBy(ANNA, "awaiting_me")).toEqual([a]);
    // Dawid still has both of his to answer.
    expect(await idsSeenBy(DAWID, "awaiting_me")).toEqual([c, a]);

    expect(await answer(ANNA, a)).toMatchObject({ ok: true, outcome: "waiting" });
    expect(await idsSeenBy(ANNA)).toEqual([c, b, a]);
    expect(await idsSeenBy(ANNA, "awaiting_me")).toEqual([]);
  });

  it("lists the customer IDs of the confirmers who have not answered, while pending only", async () => {
    const a = await askOne(db, ANNA, "example.pl", { tech: DAWID }, T0);
    const waitingFor = async () => (await list(BARTOSZ)).rows.map((row) => [row.state, row.waitingFor]);
    expect(await waitingFor()).toEqual([["pending", [ANNA, DAWID]]]);
    expect(await answer(DAWID, a)).toMatchObject({ outcome: "waiting" });
    expect(await waitingFor()).toEqual([["pending", [ANNA]]]);
    expect(await answer(ANNA, a)).toEqual({ ok: true, outcome: "done" });
    expect(await waitingFor()).toEqual([["done", []]]);
  });

  it("filters by state", async () => {
    const done = await askOne(db, ANNA, "example.pl", { billing: ANNA }, T0);
    expect(await answer(ANNA, done)).toEqual({ ok: true, outcome: "done" });
    const refused = await askOne(db, ANNA, "example.pl", { tech: DAWID }, at(MINUTE));
    expect(await answer(DAWID, refused, "refused")).toEqual({ ok: true, outcome: "refused" });
    const cancelled = await askOne(db, ANNA, "shop.example.pl", { tech: DAWID }, at(2 * MINUTE));
    expect(
      await cancelRequest(db, { requestId: cancelled, actorId: await accountIdOf(db, ANNA), now: at(HOUR) }),
    ).toEqual({
      ok: true,
    });
    const pending = await askOne(db, ANNA, "shop.example.pl", { billing: DAWID }, at(3 * MINUTE));

    expect(await idsSeenBy(ANNA)).toEqual([pending, cancelled, refused, done]);
    expect(await idsSeenBy(ANNA, "pending")).toEqual([pending]);
    expect(await idsSeenBy(ANNA, "done")).toEqual([done]);
    expect(await idsSeenBy(ANNA, "refused")).toEqual([refused]);
    expect(await idsSeenBy(ANNA, "cancelled")).toEqual([cancelled]);
    expect(await idsSeenBy(ANNA, "expired")).toEqual([]);
    expect((await list(ANNA)).rows.map((row) => [row.state, row.canCancel, row.isAwaitingMe])).toEqual([
      ["pending", true, true],
      ["cancelled", false, false],
      ["refused", false, false],
      ["done", false, false],
    ]);
  });
});

describe("paging", () => {
  /** Ewa becomes the tech contact candidate of `count` new services: one request each, all awaiting her. */
  async function requestsForEwa(count: number, from: number): Promise<number[]> {
    const ids: number[] = [];
    for (let i = 0; i < count; i += 1) {
      const serviceId = await addService(db, {
        name: `paged-${from + i}.example.pl`,
        admin: ANNA,
        tech: BARTOSZ,
        billing: CELINA,
      });
      ids.push(await askOne(db, ANNA, serviceId, { tech: EWA }, at((from + i) * 1_000)));
    }
    return ids;
  }

  it(`shows ${REQUESTS_PAGE_SIZE} a page and says exactly whether another follows`, async () => {
    expect(REQUESTS_PAGE_SIZE).toBe(50);
    const first50 = await requestsForEwa(50, 0);
    const newestFirst = (ids: number[]) => [...ids].sort((x, y) => y - x);

    expect(await list(EWA)).toMatchObject({ page: 1, hasNext: false });
    expect(await idsSeenBy(EWA)).toEqual(newestFirst(first50));
    expect(await list(EWA, "all", 2)).toEqual({ page: 2, hasNext: false, rows: [] });

    const [fiftyFirst] = await requestsForEwa(1, 50);
    const all51 = newestFirst([...first50, fiftyFirst as number]);
    expect((await list(EWA)).hasNext).toBe(true);
    expect(await idsSeenBy(EWA)).toEqual(all51.slice(0, 50));
    expect(await list(EWA, "all", 2)).toMatchObject({ page: 2, hasNext: false });
    expect(await idsSeenBy(EWA, "all", 2)).toEqual(all51.slice(50));

    const all100 = newestFirst([...all51, ...(await requestsForEwa(49, 51))]);
    expect((await list(EWA)).hasNext).toBe(true);
    expect((await list(EWA, "all", 2)).hasNext).toBe(false);
    expect([...(await idsSeenBy(EWA, "all", 1)), ...(await idsSeenBy(EWA, "all", 2))]).toEqual(all100);
    expect(await idsSeenBy(EWA, "all", 3)).toEqual([]);

    // Answering the newest moves it behind every request still awaiting her: the last of page 2.
    const newest = all100[0] as number;
    expect(await answer(EWA, newest)).toMatchObject({ outcome: "waiting" });
    expect([...(await idsSeenBy(EWA, "all", 1)), ...(await idsSeenBy(EWA, "all", 2))]).toEqual([
      ...all100.slice(1),
      newest,
    ]);
    expect(await list(EWA, "awaiting_me", 2)).toMatchObject({ hasNext: false });
    expect(await idsSeenBy(EWA, "awaiting_me", 2)).toEqual(all100.slice(51));
    // Someone with none of these sees no page at all.
    expect(await list(DAWID)).toEqual({ page: 1, hasNext: false, rows: [] });
  });
});
