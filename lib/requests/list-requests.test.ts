import { eq, inArray } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import {
  accounts,
  changeRequests,
  confirmations,
  type Decision,
  type EmailUndeliverableKind,
  type RequestState,
} from "@/db/schema";
import { CONFIRMERS_BY_KIND } from "@/lib/contact-change";
import { answerRequest } from "./answer-request";
import { cancelRequest } from "./cancel-request";
import {
  AWAITING_FIRST_LIMIT,
  COUNT_CAP,
  listRequests,
  parseRequestListQuery,
  REQUESTS_PAGE_SIZE,
  type RequestCursor,
  type RequestFilter,
  type RequestPage,
} from "./list-requests";
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
  FILIP,
  HOUR,
  MINUTE,
  openTestDb,
  refOf,
  serviceIdOf,
  setContact,
  T0,
} from "./testing/confirming-fixtures";
import { confirmersOf, insertRequests, type RequestSpec } from "./testing/request-list-fixtures";

let db: Db;

beforeEach(async () => {
  db = await openTestDb();
});

afterEach(async () => {
  await db.close();
});

const NOW = at(2 * HOUR);

async function list(customerId: string, status: RequestFilter = "all", cursor: RequestCursor | null = null) {
  return listRequests(db, await accountIdOf(db, customerId), { status, cursor }, NOW);
}

async function idsSeenBy(customerId: string, status: RequestFilter = "all"): Promise<number[]> {
  return (await list(customerId, status)).rows.map((row) => row.id);
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

describe("parseRequestListQuery", () => {
  it("an empty URL asks for the first page of all requests", () => {
    expect(parseRequestListQuery({})).toEqual({ status: "all", cursor: null });
  });

  it("reads a filter and a position on either side of a request", () => {
    expect(parseRequestListQuery({ status: "done", before: "120" })).toEqual({
      status: "done",
      cursor: { direction: "before", id: 120 },
    });
    expect(parseRequestListQuery({ after: "7" }).cursor).toEqual({ direction: "after", id: 7 });
    expect(parseRequestListQuery({ before: ["9", "8"], after: "3" }).cursor).toEqual({
      direction: "before",
      id: 9,
    });
  });

  it("a position that names no row is no position; the old page numbers mean the first page", () => {
    for (const id of ["0", "-1", "1.5", "1e3", " 12", "abc", "", "2147483648", "99999999999999999999"]) {
      expect(parseRequestListQuery({ before: id }).cursor).toBeNull();
    }
    expect(parseRequestListQuery({ before: "2147483647" }).cursor).toEqual({
      direction: "before",
      id: 2_147_483_647,
    });
    expect(parseRequestListQuery({ page: "3" })).toEqual({ status: "all", cursor: null });
  });

  it.each(["__proto__", "toString", "Done", "awaiting"])("ignores the status %j", (status) => {
    expect(parseRequestListQuery({ status }).status).toBe("all");
  });
});

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
      // Each person by name and customer ID, as the page shows them.
      oldContact: refOf(BARTOSZ),
      newContact: refOf(DAWID),
      requestedBy: refOf(ANNA),
      contactTypes: ["tech"],
      createdAt: T0,
      state: "pending",
      waitingFor: [refOf(ANNA), refOf(DAWID)],
      undeliverableWaiting: [],
    };
    const rowB = {
      id: b,
      service: { id: await serviceIdOf(db, "shop.example.pl"), name: "shop.example.pl", type: "web_hosting" },
      oldContact: refOf(BARTOSZ),
      newContact: refOf(EWA),
      requestedBy: refOf(BARTOSZ),
      contactTypes: ["tech"],
      createdAt: at(MINUTE),
      state: "pending",
      waitingFor: [refOf(BARTOSZ), refOf(EWA)],
      undeliverableWaiting: [],
    };
    expect(await list(ANNA)).toEqual({
      awaitingFirst: 1,
      next: null,
      previous: null,
      extent: { first: 1, total: 2 },
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

  it("a confirmer is always the account that asked or the new contact, so those two arms list every confirmer's requests", () => {
    // list-requests reads no confirmations arm: a confirmer of any other kind would not see the
    // request in My requests. Give such a confirmer an arm (and an index) before adding one here.
    for (const confirmers of Object.values(CONFIRMERS_BY_KIND)) {
      for (const confirmer of confirmers) expect(["actor", "new_contact"]).toContain(confirmer);
    }
  });

  it("a new administrator sees the service's requests, past and pending; the former one no longer does", async () => {
    const old = await askOne(db, BARTOSZ, "example.pl", { tech: EWA }, T0);
    expect(
      await cancelRequest(db, { requestId: old, actorId: await accountIdOf(db, ANNA), now: at(MINUTE) }),
    ).toEqual({ ok: true });
    const pending = await askOne(db, BARTOSZ, "example.pl", { tech: DAWID }, at(2 * MINUTE));
    expect(await idsSeenBy(ANNA)).toEqual([pending, old]);
    expect(await idsSeenBy(CELINA)).toEqual([]);

    // Anna hands the administrator contact to Celina; both confirm and it is applied.
    const handOver = await askOne(db, ANNA, "example.pl", { admin: CELINA }, at(3 * MINUTE));
    expect(await answer(ANNA, handOver)).toMatchObject({ ok: true, outcome: "waiting" });
    expect(await answer(CELINA, handOver)).toEqual({ ok: true, outcome: "done" });

    // Celina now administers example.pl: every request of it is hers to see (and to withdraw),
    // her own hand-over first as the newest. Anna keeps only the request she asked for.
    const celinas = await list(CELINA);
    expect(celinas.rows.map((row) => [row.id, row.canCancel])).toEqual([
      [handOver, false],
      [pending, true],
      [old, false],
    ]);
    expect(await idsSeenBy(ANNA)).toEqual([handOver]);
    expect(await idsSeenBy(CELINA, "pending")).toEqual([pending]);
    expect(await idsSeenBy(CELINA, "cancelled")).toEqual([old]);
    expect(await idsSeenBy(ANNA, "pending")).toEqual([]);
  });

  it("follows an administrator changed behind the requests' back, as an operator's tool would", async () => {
    const a = await askOne(db, BARTOSZ, "example.pl", { tech: EWA }, T0);
    const b = await askOne(db, BARTOSZ, "shop.example.pl", { tech: EWA }, at(MINUTE));
    await setContact(db, "example.pl", "admin", FILIP);
    expect(await idsSeenBy(FILIP)).toEqual([a]);
    expect(await idsSeenBy(ANNA)).toEqual([b]);
    // A change of another contact moves nothing.
    await setContact(db, "shop.example.pl", "billing", FILIP);
    expect(await idsSeenBy(FILIP)).toEqual([a]);
    // The copy on each request moved with the service's administrator, and only for that service.
    const copies = await db.read
      .select({ id: changeRequests.id, serviceAdminId: changeRequests.serviceAdminId })
      .from(changeRequests)
      .where(inArray(changeRequests.id, [a, b]))
      .orderBy(changeRequests.id);
    expect(copies).toEqual([
      { id: a, serviceAdminId: await accountIdOf(db, FILIP) },
      { id: b, serviceAdminId: await accountIdOf(db, ANNA) },
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

  it("names the confirmers who have not answered, while pending only", async () => {
    const a = await askOne(db, ANNA, "example.pl", { tech: DAWID }, T0);
    const waitingFor = async () =>
      (await list(BARTOSZ)).rows.map((row) => [
        row.state,
        row.waitingFor.map((p) => `${p.name} (${p.customerId})`),
      ]);
    expect(await waitingFor()).toEqual([["pending", [`Anna Nowak (${ANNA})`, `Dawid Kowalczyk (${DAWID})`]]]);
    expect(await answer(DAWID, a)).toMatchObject({ outcome: "waiting" });
    expect(await waitingFor()).toEqual([["pending", [`Anna Nowak (${ANNA})`]]]);
    expect(await answer(ANNA, a)).toEqual({ ok: true, outcome: "done" });
    expect(await waitingFor()).toEqual([["done", []]]);
  });

  it("names the awaited confirmers whose e-mails bounce, other than the viewer, while pending only", async () => {
    const mark = (customerId: string, kind: EmailUndeliverableKind) =>
      db.transaction((tx) =>
        tx
          .update(accounts)
          .set({ emailUndeliverable: kind, emailUndeliverableAt: T0 })
          .where(eq(accounts.customerId, customerId)),
      );
    const a = await askOne(db, ANNA, "example.pl", { tech: DAWID }, T0);
    const undeliverable = async (viewer: string) =>
      (await list(viewer)).rows.map((row) => [row.state, row.undeliverableWaiting.map((p) => p.customerId)]);
    expect(await undeliverable(BARTOSZ)).toEqual([["pending", []]]);
    await mark(DAWID, "bounced");
    await mark(ANNA, "complained");
    // A spam report shows as the same "e-mails bounce" to others: which it was is Anna's own.
    expect(await undeliverable(BARTOSZ)).toEqual([["pending", [ANNA, DAWID]]]);
    // The viewer's own mark is told from their account, in words of their own.
    expect(await undeliverable(ANNA)).toEqual([["pending", [DAWID]]]);
    expect(await undeliverable(DAWID)).toEqual([["pending", [ANNA]]]);
    // Dawid answered: no code of his is awaited any more.
    expect(await answer(DAWID, a)).toMatchObject({ outcome: "waiting" });
    expect(await undeliverable(BARTOSZ)).toEqual([["pending", [ANNA]]]);
    expect(await answer(ANNA, a)).toEqual({ ok: true, outcome: "done" });
    expect(await undeliverable(BARTOSZ)).toEqual([["done", []]]);
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

  it("a request that ends no longer awaits anyone, however it ended", async () => {
    const refused = await askOne(db, ANNA, "example.pl", { tech: DAWID }, T0);
    const cancelled = await askOne(db, ANNA, "shop.example.pl", { tech: DAWID }, at(MINUTE));
    const waiting = await askOne(db, ANNA, "vps-42.example.net", { tech: DAWID }, at(2 * MINUTE));
    expect(await idsSeenBy(ANNA, "awaiting_me")).toEqual([waiting, cancelled, refused]);

    // Dawid refuses one; Anna, who never answered it, is no longer awaited there.
    expect(await answer(DAWID, refused, "refused")).toEqual({ ok: true, outcome: "refused" });
    expect(
      await cancelRequest(db, { requestId: cancelled, actorId: await accountIdOf(db, ANNA), now: at(HOUR) }),
    ).toEqual({ ok: true });
    expect(await idsSeenBy(ANNA, "awaiting_me")).toEqual([waiting]);
    expect(await idsSeenBy(DAWID, "awaiting_me")).toEqual([waiting]);
    // Their confirmations stay unanswered; only the copy of the request's state moved.
    const annas = await db.read
      .select({
        requestId: confirmations.requestId,
        decision: confirmations.decision,
        isPending: confirmations.isRequestPending,
      })
      .from(confirmations)
      .where(eq(confirmations.accountId, await accountIdOf(db, ANNA)));
    expect(annas.sort((x, y) => x.requestId - y.requestId)).toEqual([
      { requestId: refused, decision: null, isPending: false },
      { requestId: cancelled, decision: null, isPending: false },
      { requestId: waiting, decision: null, isPending: true },
    ]);
  });
});

/**
 * What the list must hold, computed from the specs: the viewer's requests passing `filter` at
 * NOW; on the first page of "all" and "pending" the newest AWAITING_FIRST_LIMIT of those awaiting
 * the viewer come first.
 */
function expectedList(
  specs: readonly RequestSpec[],
  ids: readonly number[],
  viewer: number,
  filter: RequestFilter,
) {
  const stateAt = (spec: RequestSpec): RequestState =>
    spec.state === "pending" && spec.expiresAt.getTime() <= NOW.getTime() ? "expired" : spec.state;
  const isParty = (spec: RequestSpec) =>
    [spec.admin, spec.requestedBy, spec.oldContact, spec.newContact].includes(viewer);
  const isAwaiting = (spec: RequestSpec) =>
    stateAt(spec) === "pending" && confirmersOf(spec).includes(viewer) && !spec.answers?.has(viewer);
  const passes = (spec: RequestSpec) =>
    filter === "all" ? true : filter === "awaiting_me" ? isAwaiting(spec) : stateAt(spec) === filter;
  const newestFirst = specs
    .map((spec, i) => ({ spec, id: ids[i] as number }))
    .filter(({ spec }) => isParty(spec) && passes(spec))
    .sort((x, y) => y.id - x.id);
  const opening =
    filter === "all" || filter === "pending"
      ? newestFirst.filter(({ spec }) => isAwaiting(spec)).slice(0, AWAITING_FIRST_LIMIT)
      : [];
  const rest = newestFirst.filter((entry) => !opening.includes(entry));
  return { opening: opening.map((entry) => entry.id), rest: rest.map((entry) => entry.id) };
}

/** Every page from the first, following "Next page". */
async function pagesForward(viewer: number, status: RequestFilter): Promise<RequestPage[]> {
  const pages: RequestPage[] = [];
  let cursor: RequestCursor | null = null;
  do {
    const page = await listRequests(db, viewer, { status, cursor }, NOW);
    pages.push(page);
    cursor = page.next;
    if (pages.length > 100) throw new Error("the pages never end");
  } while (cursor);
  return pages;
}

describe("paging", () => {
  /**
   * 300 requests in every state (an eighth pending past its deadline, not yet swept), Ewa party to
   * five sixths of them in one role or another: as the new contact, as the administrator who asked,
   * as the technical contact handing over, as the administrator only, as the replaced contact only.
   */
  async function mixedRequests() {
    const anna = await accountIdOf(db, ANNA);
    const bartosz = await accountIdOf(db, BARTOSZ);
    const dawid = await accountIdOf(db, DAWID);
    const ewa = await accountIdOf(db, EWA);
    const roles = [
      { admin: anna, requestedBy: anna, oldContact: bartosz, newContact: ewa },
      { admin: ewa, requestedBy: ewa, oldContact: bartosz, newContact: dawid },
      { admin: anna, requestedBy: ewa, oldContact: ewa, newContact: dawid },
      { admin: ewa, requestedBy: bartosz, oldContact: bartosz, newContact: dawid },
      { admin: anna, requestedBy: anna, oldContact: bartosz, newContact: dawid },
      { admin: anna, requestedBy: anna, oldContact: ewa, newContact: dawid },
    ];
    const kinds = ["awaiting", "answered", "done", "refused", "expired", "cancelled", "overdue", "awaiting"];
    const specs: RequestSpec[] = Array.from({ length: 300 }, (_, i) => {
      const kind = kinds[(i * 5 + Math.floor(i / 6)) % kinds.length] as string;
      const role = roles[i % roles.length] as (typeof roles)[number];
      const state: RequestState = ["awaiting", "answered", "overdue"].includes(kind)
        ? "pending"
        : (kind as RequestState);
      return {
        ...role,
        state,
        createdAt: at(i * 1_000),
        expiresAt: kind === "overdue" ? at(HOUR) : at(14 * DAY),
        answers: kind === "answered" ? new Map([[ewa, "accepted" as const]]) : undefined,
      };
    });
    return { specs, ids: await insertRequests(db, specs), ewa };
  }

  it(`shows ${REQUESTS_PAGE_SIZE} a page, each request once, none missing, in every filter, and back again`, async () => {
    expect(REQUESTS_PAGE_SIZE).toBe(25);
    const { specs, ids, ewa } = await mixedRequests();
    for (const status of [
      "all",
      "awaiting_me",
      "pending",
      "done",
      "refused",
      "expired",
      "cancelled",
    ] as const) {
      const expected = expectedList(specs, ids, ewa, status);
      const pages = await pagesForward(ewa, status);
      const seen = pages.flatMap((page) => page.rows.map((row) => row.id));
      expect(seen, status).toEqual([...expected.opening, ...expected.rest]);
      expect(pages[0]?.awaitingFirst, status).toBe(expected.opening.length);
      expect(
        pages.slice(0, -1).every((page) => page.rows.length === REQUESTS_PAGE_SIZE),
        status,
      ).toBe(true);
      for (const page of pages.slice(1)) expect(page.awaitingFirst).toBe(0);
      // Each page knows where it lies and how long the list is ("51–100 of 212").
      // Counted up to COUNT_CAP: beyond it the list is "more", and a page's place past it unknown.
      const length = expected.opening.length + expected.rest.length;
      const total = length > COUNT_CAP ? null : length;
      let before = 0;
      for (const page of pages) {
        const first = page.rows.length > 0 && before <= COUNT_CAP ? before + 1 : null;
        expect(page.extent, status).toEqual({ first, total });
        before += page.rows.length;
      }
      // Each row reads as the filter asked.
      for (const row of pages.flatMap((page) => page.rows)) {
        if (status === "awaiting_me") expect(row.isAwaitingMe).toBe(true);
        else if (status !== "all") expect(row.state).toBe(status);
      }

      // "Previous page" from the last page leads back through the same pages to the first.
      const back: RequestPage[] = [pages.at(-1) as RequestPage];
      while (back[0]?.previous) {
        back.unshift(await listRequests(db, ewa, { status, cursor: back[0].previous }, NOW));
        if (back.length > pages.length) throw new Error(`${status}: more pages backwards than forwards`);
      }
      expect(
        back.map((page) => page.rows.map((row) => row.id)),
        status,
      ).toEqual(pages.map((page) => page.rows.map((row) => row.id)));
      expect(back.map((page) => page.extent)).toEqual(pages.map((page) => page.extent));
      expect(back[0]?.previous).toBeNull();
    }
    // The list and the filters together are Ewa's requests, once each.
    expect((await pagesForward(ewa, "all")).flatMap((page) => page.rows)).toHaveLength(250);
  });

  it("the first page says exactly whether another follows", async () => {
    const ewa = await accountIdOf(db, EWA);
    const dawid = await accountIdOf(db, DAWID);
    const bartosz = await accountIdOf(db, BARTOSZ);
    // Ewa is only the administrator: nothing awaits her.
    const spec = (i: number): RequestSpec => ({
      admin: ewa,
      requestedBy: bartosz,
      oldContact: bartosz,
      newContact: dawid,
      state: "done",
      createdAt: at(i),
      expiresAt: at(DAY),
    });
    const PAGE = REQUESTS_PAGE_SIZE;
    const full = await insertRequests(
      db,
      Array.from({ length: PAGE }, (_, i) => spec(i)),
    );
    const first = await list(EWA);
    expect(first).toMatchObject({ next: null, previous: null, awaitingFirst: 0 });
    expect(first.rows.map((row) => row.id)).toEqual([...full].reverse());

    const newest = (await insertRequests(db, [spec(PAGE)], "newer"))[0] as number;
    const onePlus = [newest, ...[...full].reverse()];
    const oldest = onePlus[PAGE] as number;
    const firstOfMore = await list(EWA);
    expect(firstOfMore.rows.map((row) => row.id)).toEqual(onePlus.slice(0, PAGE));
    expect(firstOfMore.next).toEqual({ direction: "before", id: onePlus[PAGE - 1] });
    const second = await list(EWA, "all", firstOfMore.next);
    expect(second.rows.map((row) => row.id)).toEqual([oldest]);
    expect(second).toMatchObject({ next: null, previous: { direction: "after", id: oldest } });
    // Back from there is the first page itself.
    expect(await list(EWA, "all", second.previous)).toEqual(await list(EWA));
    // A position past the end is an empty page leading back; nobody else sees anything.
    expect(await list(EWA, "all", { direction: "before", id: 1 })).toMatchObject({ rows: [], next: null });
    expect(await list(FILIP)).toEqual({
      rows: [],
      awaitingFirst: 0,
      next: null,
      previous: null,
      extent: { first: null, total: 0 },
    });
  });

  it(`opens with the ${AWAITING_FIRST_LIMIT} newest awaiting the viewer; older ones keep their place`, async () => {
    const ewa = await accountIdOf(db, EWA);
    const anna = await accountIdOf(db, ANNA);
    const bartosz = await accountIdOf(db, BARTOSZ);
    // 120 requests, alternately awaiting Ewa (the new contact) and done: 60 awaiting her.
    const specs: RequestSpec[] = Array.from({ length: 120 }, (_, i) => ({
      admin: anna,
      requestedBy: anna,
      oldContact: bartosz,
      newContact: ewa,
      state: i % 2 === 0 ? "pending" : "done",
      createdAt: at(i),
      expiresAt: at(14 * DAY),
    }));
    const ids = await insertRequests(db, specs);
    const awaiting = ids.filter((_, i) => i % 2 === 0).reverse();
    const done = ids.filter((_, i) => i % 2 === 1).reverse();

    const first = await list(EWA);
    expect(first.awaitingFirst).toBe(AWAITING_FIRST_LIMIT);
    const opening = awaiting.slice(0, AWAITING_FIRST_LIMIT);
    expect(first.rows.slice(0, AWAITING_FIRST_LIMIT).map((row) => row.id)).toEqual(opening);
    // Then the newest of the rest, where the older awaiting ones keep their place.
    const rest = ids.filter((id) => !opening.includes(id)).reverse();
    expect(first.rows.slice(AWAITING_FIRST_LIMIT).map((row) => row.id)).toEqual(
      rest.slice(0, REQUESTS_PAGE_SIZE - AWAITING_FIRST_LIMIT),
    );
    expect(first.rows.every((row) => row.isAwaitingMe === awaiting.includes(row.id))).toBe(true);
    const all = (await pagesForward(ewa, "all")).flatMap((page) => page.rows.map((row) => row.id));
    expect(all).toEqual([...opening, ...rest]);

    // "Awaiting my confirmation" lists all 60, newest first, a page at a time.
    const pages = await pagesForward(ewa, "awaiting_me");
    expect(pages.map((page) => page.rows.length)).toEqual([25, 25, 10]);
    expect(pages.flatMap((page) => page.rows.map((row) => row.id))).toEqual(awaiting);
    expect(pages[0]?.awaitingFirst).toBe(0);
    expect(done).toHaveLength(60);
  });

  it("answering an opening request lets the next awaiting one in and puts it back in its place", async () => {
    const ewa = await accountIdOf(db, EWA);
    const anna = await accountIdOf(db, ANNA);
    const bartosz = await accountIdOf(db, BARTOSZ);
    const specs: RequestSpec[] = Array.from({ length: AWAITING_FIRST_LIMIT + 1 }, (_, i) => ({
      admin: anna,
      requestedBy: anna,
      oldContact: bartosz,
      newContact: ewa,
      state: "pending",
      createdAt: at(i),
      expiresAt: at(14 * DAY),
    }));
    const ids = await insertRequests(db, specs);
    const newestFirst = [...ids].reverse();
    expect((await idsSeenBy(EWA)).slice(0, AWAITING_FIRST_LIMIT)).toEqual(
      newestFirst.slice(0, AWAITING_FIRST_LIMIT),
    );
    await db.transaction(async (tx) => {
      await tx
        .update(confirmations)
        .set({ decision: "accepted", decidedAt: NOW })
        .where(eq(confirmations.requestId, newestFirst[0] as number));
    });
    const page = await list(EWA);
    expect(page.awaitingFirst).toBe(AWAITING_FIRST_LIMIT);
    expect(page.rows.map((row) => row.id)).toEqual([...newestFirst.slice(1), newestFirst[0]]);
  });
});
