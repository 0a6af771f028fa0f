import { and, asc, eq, sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type Db, rawRows, retriedTransactionCount } from "@/db/client";
import { batchConfirmations, changeRequests, confirmations, outbox } from "@/db/schema";
import { databaseDialect } from "@/lib/config";
import { hashToken } from "@/lib/tokens";
import { answerInTransaction, answerRequest } from "../answer-request";
import { requestContactChange } from "../request-contact-change";
import { resendRequest } from "../resend-request";
import { sweepExpiredRequests } from "../sweep-expired-requests";
import {
  ANNA,
  accountIdOf,
  addService,
  askOne,
  at,
  BARTOSZ,
  CELINA,
  contactsOf,
  DAWID,
  EWA,
  eventsOf,
  FILIP,
  HOUR,
  MINUTE,
  openTestDb,
  serviceIdOf,
  snapshot,
  T0,
} from "../testing/confirming-fixtures";
import { answerBatch } from "./answer-batch";
import { isBatchCodeForAnother, lockBatchCode } from "./batch-codes";
import { getBatch } from "./get-batch";
import { countBatchSelection, registerBatch } from "./register-batch";
import { MAX_BATCH_SERVICES } from "./vocabulary";

let db: Db;

beforeEach(async () => {
  vi.stubEnv("REQUEST_EXPIRY_DAYS", "");
  db = await openTestDb();
});

afterEach(async () => {
  vi.unstubAllEnvs();
  await db.close();
});

const idOf = (customerId: string) => accountIdOf(db, customerId);
const idsOf = (...names: string[]) => Promise.all(names.map((name) => serviceIdOf(db, name)));

async function bulk(actor: string, serviceNames: string[], fields: Record<string, string>, now = T0) {
  return registerBatch(db, {
    actorId: await idOf(actor),
    selection: { kind: "services", serviceIds: await idsOf(...serviceNames) },
    fields,
    now,
  });
}

/** The batch e-mails in the outbox, oldest first, as [recipient's customer ID, requestCount, code]. */
async function batchMails(batchId: number) {
  const rows = await db.read
    .select()
    .from(outbox)
    .where(eq(outbox.template, "change-request-batch"))
    .orderBy(asc(outbox.id));
  return rows
    .filter((row) => row.props.batchId === batchId)
    .map((row) => [
      (row.props.recipient as { customerId: string }).customerId,
      row.props.requestCount,
      row.props.code as string | null,
    ]);
}

async function batchCode(batchId: number, customerId: string): Promise<string> {
  const mails = (await batchMails(batchId)).filter(([to]) => to === customerId);
  const code = mails.at(-1)?.[2];
  if (typeof code !== "string") throw new Error(`no batch code for ${customerId}`);
  return code;
}

async function answer(batchId: number, customerId: string, token: string, extra: object = {}) {
  return answerBatch(db, {
    batchId,
    actorId: await idOf(customerId),
    token,
    decision: "accepted",
    clientAddress: "192.0.2.1",
    now: at(HOUR),
    ...extra,
  });
}

/** The batch-ended e-mails, by recipient: [customer ID, counts, requests listed, may open the batch]. */
async function endedNotices() {
  const rows = await db.read.select().from(outbox).where(eq(outbox.template, "batch-ended"));
  const customerIdOf = new Map(
    await Promise.all(
      [ANNA, BARTOSZ, CELINA, DAWID, EWA, FILIP].map(async (c) => [await idOf(c), c] as const),
    ),
  );
  return rows
    .map(
      (row) =>
        [
          customerIdOf.get(row.toAccountId ?? 0),
          row.props.counts as Record<string, number>,
          (row.props.ended as unknown[]).length,
          row.props.canOpenBatch,
        ] as const,
    )
    .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
}

async function requestsOf(batchId: number) {
  return db.read
    .select()
    .from(changeRequests)
    .where(eq(changeRequests.batchId, batchId))
    .orderBy(asc(changeRequests.id));
}

/** `count` services `{prefix}-00.example.pl`…, Anna admin, Bartosz tech, Celina billing. */
async function addDomains(prefix: string, count: number) {
  for (let i = 0; i < count; i += 1) {
    const name = `${prefix}-${String(i).padStart(2, "0")}.example.pl`;
    await addService(db, { name, admin: ANNA, tech: BARTOSZ, billing: CELINA });
  }
}

/** Resolves once some transaction of this database waits for a row lock of batch_confirmations. */
async function untilWaitingForALock(): Promise<void> {
  for (let tries = 0; tries < 200; tries++) {
    const [row] = await rawRows<{ waiting: number | string }>(
      db.read,
      sql`SELECT count(*) AS waiting FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock' AND query ILIKE '%batch_confirmations%'`,
    );
    if (Number(row?.waiting) > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error("no transaction came to wait for a batch code");
}

describe("registering a bulk hand-over", () => {
  it("makes one batch of the allowed services, lists the refused ones with their reason, and e-mails each confirmer once", async () => {
    const pending = await askOne(db, ANNA, "shop.example.pl", { tech: FILIP });
    const result = await bulk(ANNA, ["example.pl", "shop.example.pl", "vps-42.example.net"], { tech: DAWID });
    if (!result.ok || result.batchId === null) throw new Error(JSON.stringify(result));
    expect(result.requestCount).toBe(2);
    expect(result.serviceCount).toBe(2);
    expect(result.refused).toEqual([
      {
        serviceId: await serviceIdOf(db, "shop.example.pl"),
        serviceName: "shop.example.pl",
        serviceType: "web_hosting",
        fieldErrors: { tech: { reason: "pending_request_exists", pendingRequestId: pending } },
      },
    ]);
    expect(result.confirmers.map((c) => c.customerId).sort()).toEqual([ANNA, DAWID]);

    const requests = await requestsOf(result.batchId);
    expect(
      requests.map((r) => [r.serviceId, r.oldContactId, r.newContactId, r.changesTech, r.state]),
    ).toEqual([
      [await serviceIdOf(db, "example.pl"), await idOf(BARTOSZ), await idOf(DAWID), true, "pending"],
      [await serviceIdOf(db, "vps-42.example.net"), await idOf(ANNA), await idOf(DAWID), true, "pending"],
    ]);
    // One e-mail with one code per confirmer, listing both requests; only hashes at rest.
    const mails = await batchMails(result.batchId);
    expect(mails.map(([to, count]) => [to, count]).sort()).toEqual([
      [ANNA, 2],
      [DAWID, 2],
    ]);
    expect(await db.read.select().from(outbox).where(eq(outbox.template, "change-request"))).toHaveLength(2);
    const codes = await db.read
      .select()
      .from(batchConfirmations)
      .where(eq(batchConfirmations.batchId, result.batchId));
    expect(codes.map((c) => c.tokenHash).sort()).toEqual(
      [
        hashToken(await batchCode(result.batchId, ANNA)),
        hashToken(await batchCode(result.batchId, DAWID)),
      ].sort(),
    );
    // The requests' own confirmations carry no code anyone was given.
    const own = await db.read
      .select()
      .from(confirmations)
      .where(eq(confirmations.requestId, requests[0]?.id ?? 0));
    expect(own.every((c) => !/^[0-9a-f]{64}$/.test(c.tokenHash))).toBe(true);
    expect((await eventsOf(db, requests[0]?.id ?? 0)).map(([kind, actor]) => [kind, actor])).toEqual([
      ["created", ANNA],
    ]);
  });

  it("racing a request on the same service and contact type, exactly one of them is registered", async () => {
    const [batch, single] = await Promise.all([
      bulk(ANNA, ["example.pl", "shop.example.pl"], { tech: DAWID }),
      requestContactChange(db, {
        actorId: await idOf(ANNA),
        serviceId: await serviceIdOf(db, "example.pl"),
        fields: { tech: FILIP },
        now: T0,
      }),
    ]);
    const pendingTech = await db.read
      .select()
      .from(changeRequests)
      .where(
        and(
          eq(changeRequests.serviceId, await serviceIdOf(db, "example.pl")),
          eq(changeRequests.state, "pending"),
        ),
      );
    expect(pendingTech).toHaveLength(1);
    if (!batch.ok) throw new Error(JSON.stringify(batch));
    // Whoever lost says so: the batch lists example.pl as refused, or the form's field names the batch's request.
    const batchWon = pendingTech[0]?.batchId !== null;
    expect(batch.refused.map((r) => r.serviceName)).toEqual(batchWon ? [] : ["example.pl"]);
    expect(single.ok).toBe(!batchWon);
  });

  it("applies each service's rules: a technical contact may not change the billing contact", async () => {
    const result = await bulk(BARTOSZ, ["example.pl", "shop.example.pl"], { billing: DAWID });
    expect(result).toMatchObject({ ok: true, batchId: null, requestCount: 0 });
    if (!result.ok) return;
    expect(result.refused.map((r) => [r.serviceName, r.fieldErrors.billing?.reason])).toEqual([
      ["example.pl", "not_allowed"],
      ["shop.example.pl", "not_allowed"],
    ]);
    expect(await db.read.select().from(changeRequests)).toHaveLength(0);
  });

  it("refuses an unknown or malformed customer ID at its field and writes nothing", async () => {
    const before = await snapshot(db);
    expect(await bulk(ANNA, ["example.pl"], { tech: "zz999999-ovh", billing: "not an id" })).toEqual({
      ok: false,
      reason: "invalid_fields",
      fieldErrors: { tech: { reason: "unknown_account" }, billing: { reason: "malformed_customer_id" } },
    });
    expect(await bulk(ANNA, ["example.pl"], { tech: "  ", admin: "" })).toEqual({
      ok: false,
      reason: "nothing_to_change",
    });
    expect(await snapshot(db)).toEqual(before);
  });

  it("ignores services the actor is no contact of, as if they had not been ticked", async () => {
    const before = await snapshot(db);
    expect(await bulk(DAWID, ["example.pl", "vps-42.example.net"], { tech: EWA })).toEqual({
      ok: false,
      reason: "nothing_selected",
    });
    const forged = await registerBatch(db, {
      actorId: await idOf(EWA),
      selection: { kind: "services", serviceIds: [0, -1, 1.5, Number.NaN, 999_999] },
      fields: { tech: DAWID },
    });
    expect(forged).toEqual({ ok: false, reason: "nothing_selected" });
    expect(await snapshot(db)).toEqual(before);
  });

  it("refuses more than MAX_BATCH_SERVICES services", async () => {
    const serviceIds = Array.from({ length: MAX_BATCH_SERVICES + 1 }, (_, i) => i + 1);
    expect(
      await registerBatch(db, {
        actorId: await idOf(ANNA),
        selection: { kind: "services", serviceIds },
        fields: { tech: DAWID },
      }),
    ).toEqual({ ok: false, reason: "too_many", limit: MAX_BATCH_SERVICES });
  });

  it("with askFirst, shows a hand-over of the administrator contact before registering anything", async () => {
    const before = await snapshot(db);
    const asked = await registerBatch(db, {
      actorId: await idOf(ANNA),
      selection: { kind: "services", serviceIds: await idsOf("example.pl", "shop.example.pl") },
      fields: { admin: DAWID, tech: EWA },
      askFirst: true,
    });
    expect(asked).toEqual({
      ok: false,
      reason: "needs_confirmation",
      requestCount: 4,
      serviceCount: 2,
      stepCount: 2,
      refused: [],
    });
    expect(await snapshot(db)).toEqual(before);
    // Naming another technical contact needs no step.
    expect(
      await registerBatch(db, {
        actorId: await idOf(ANNA),
        selection: { kind: "services", serviceIds: await idsOf("example.pl") },
        fields: { tech: EWA },
        askFirst: true,
      }),
    ).toMatchObject({ ok: true, requestCount: 1 });
  });

  it("selects every service matching My contacts' filter", async () => {
    await addService(db, { name: "other.example.com", admin: CELINA, tech: CELINA, billing: CELINA });
    const anna = await idOf(ANNA);
    const filter = (search: string, type: "domain" | null = null) =>
      ({ kind: "filter", search, type, role: null }) as const;
    expect(await countBatchSelection(db, { actorId: anna, selection: filter("example") })).toBe(3);
    expect(await countBatchSelection(db, { actorId: anna, selection: filter("example", "domain") })).toBe(1);
    const result = await registerBatch(db, {
      actorId: anna,
      selection: filter("shop"),
      fields: { billing: DAWID },
    });
    expect(result).toMatchObject({ ok: true, requestCount: 1, serviceCount: 1, refused: [] });
  });
});

describe("answering a batch", () => {
  async function twoServiceBatch() {
    const result = await bulk(ANNA, ["example.pl", "shop.example.pl"], { tech: DAWID });
    if (!result.ok || result.batchId === null) throw new Error(JSON.stringify(result));
    return result.batchId;
  }

  it("accepts every request with one code, and the last confirmer's acceptance applies them all", async () => {
    const batchId = await twoServiceBatch();
    expect(await answer(batchId, DAWID, await batchCode(batchId, DAWID))).toEqual({
      ok: true,
      answered: 2,
      done: 0,
      waiting: 2,
      refused: 0,
      cancelled: 0,
      skipped: 0,
    });
    expect(await contactsOf(db, "example.pl")).toMatchObject({ tech: BARTOSZ });
    expect(await answer(batchId, ANNA, await batchCode(batchId, ANNA))).toMatchObject({ ok: true, done: 2 });
    expect(await contactsOf(db, "example.pl")).toMatchObject({ tech: DAWID });
    expect(await contactsOf(db, "shop.example.pl")).toMatchObject({ tech: DAWID });
    expect((await requestsOf(batchId)).map((r) => r.state)).toEqual(["done", "done"]);
    // Spent: the same code answers nothing more.
    expect(await answer(batchId, ANNA, await batchCode(batchId, ANNA).catch(() => "gone"))).toMatchObject({
      ok: false,
    });
    // The codes left the outbox with the batch's last request.
    expect((await batchMails(batchId)).every(([, , code]) => code === null)).toBe(true);
    // Everyone involved is told once for the batch, not once per request.
    expect(await db.read.select().from(outbox).where(eq(outbox.template, "request-ended"))).toEqual([]);
    expect(await endedNotices()).toEqual([
      [ANNA, { done: 2, refused: 0, expired: 0, cancelled: 0 }, 2, true],
      [BARTOSZ, { done: 2, refused: 0, expired: 0, cancelled: 0 }, 2, false],
      [DAWID, { done: 2, refused: 0, expired: 0, cancelled: 0 }, 2, true],
    ]);
  });

  it("expires together, with one notice per person", async () => {
    const batchId = await twoServiceBatch();
    expect(await sweepExpiredRequests(db, at(15 * 24 * HOUR))).toHaveLength(2);
    expect((await requestsOf(batchId)).map((r) => r.state)).toEqual(["expired", "expired"]);
    expect((await endedNotices()).map(([to, counts]) => [to, counts.expired])).toEqual([
      [ANNA, 2],
      [BARTOSZ, 2],
      [DAWID, 2],
    ]);
  });

  it("answers service by service, and a request's own page takes the batch code too", async () => {
    const batchId = await twoServiceBatch();
    const [first, second] = await requestsOf(batchId);
    const code = await batchCode(batchId, DAWID);
    expect(
      await answer(batchId, DAWID, code, { requestIds: [first?.id], decision: "refused" }),
    ).toMatchObject({
      ok: true,
      answered: 1,
      refused: 1,
    });
    expect(
      await answerRequest(db, {
        requestId: second?.id ?? 0,
        actorId: await idOf(DAWID),
        token: code,
        decision: "accepted",
        now: at(HOUR),
      }),
    ).toMatchObject({ ok: true, outcome: "waiting" });
    expect((await requestsOf(batchId)).map((r) => r.state)).toEqual(["refused", "pending"]);
    expect(await answer(batchId, DAWID, code)).toEqual({ ok: false, reason: "nothing_to_answer" });
  });

  // PostgreSQL only: SQLite runs one write transaction at a time, so nothing waits there.
  it.skipIf(databaseDialect() === "sqlite").each([
    { action: "answered", actor: DAWID },
    { action: "resent", actor: ANNA },
  ])(
    "$action on its own page while Accept all holds a batch code, a request waits for the codes before locking anything: no deadlock",
    async ({ action, actor }) => {
      const batchId = await twoServiceBatch();
      const [request] = await requestsOf(batchId);
      const requestId = request?.id ?? 0;
      const code = await batchCode(batchId, DAWID);
      const dawid = await idOf(DAWID);
      const retriedBefore = retriedTransactionCount();
      let released = () => {};
      const holdsCode = new Promise<void>((resolve) => {
        released = resolve;
      });
      // "Accept all"'s order: Dawid's code first, then the request's service and row.
      const acceptAll = db.transaction(async (tx) => {
        await lockBatchCode(tx, batchId, dawid);
        released();
        await untilWaitingForALock();
        return answerInTransaction(
          tx,
          { requestId, actorId: dawid, token: code, decision: "accepted" },
          at(HOUR),
        );
      });
      await holdsCode;
      // The request's own page, meanwhile. Had it locked the service and the request before the
      // codes, each transaction would hold what the other waits for.
      const actorId = await idOf(actor);
      const onPage =
        action === "answered"
          ? answerRequest(db, { requestId, actorId, token: code, decision: "accepted", now: at(HOUR) })
          : resendRequest(db, { requestId, actorId, now: at(HOUR) });
      const [accepted] = await Promise.all([acceptAll, onPage]);
      expect(retriedTransactionCount()).toBe(retriedBefore);
      expect(accepted).toMatchObject({ ok: true, outcome: "waiting" });
      const [mine] = await db.read
        .select({ decision: confirmations.decision })
        .from(confirmations)
        .where(and(eq(confirmations.requestId, requestId), eq(confirmations.accountId, dawid)));
      expect(mine?.decision).toBe("accepted");
    },
  );

  it("counts a wrong code once per batch, and five lock the code for every request until a resend", async () => {
    const batchId = await twoServiceBatch();
    const [first] = await requestsOf(batchId);
    const good = await batchCode(batchId, DAWID);
    for (let left = 4; left > 0; left -= 1) {
      expect(await answer(batchId, DAWID, "wrong")).toEqual({
        ok: false,
        reason: "wrong_code",
        attemptsLeft: left,
      });
    }
    expect(
      await answerRequest(db, {
        requestId: first?.id ?? 0,
        actorId: await idOf(DAWID),
        token: "wrong",
        decision: "accepted",
        now: at(HOUR),
      }),
    ).toMatchObject({ ok: false, reason: "wrong_code" });
    expect(await answer(batchId, DAWID, good)).toEqual({ ok: false, reason: "locked" });
    expect(await getBatch(db, { batchId, viewerId: await idOf(DAWID), now: at(HOUR) })).toMatchObject({
      isCodeLocked: true,
      awaitingViewer: 2,
    });

    // A resend from any request of the batch gives a new batch code (the old one is dead) in one e-mail.
    expect(
      await resendRequest(db, { requestId: first?.id ?? 0, actorId: await idOf(ANNA), now: at(2 * HOUR) }),
    ).toMatchObject({
      ok: true,
    });
    const fresh = await batchCode(batchId, DAWID);
    expect(fresh).not.toBe(good);
    expect((await batchMails(batchId)).filter(([to]) => to === DAWID)).toHaveLength(2);
    expect(await answer(batchId, DAWID, good, { now: at(2 * HOUR) })).toEqual({
      ok: false,
      reason: "wrong_code",
      attemptsLeft: 4,
    });
    expect(await answer(batchId, DAWID, fresh, { now: at(2 * HOUR) })).toMatchObject({
      ok: true,
      answered: 2,
    });
    // Once a minute for the whole batch, whichever request it is asked from.
    const [, second] = await requestsOf(batchId);
    expect(
      await resendRequest(db, {
        requestId: second?.id ?? 0,
        actorId: await idOf(ANNA),
        now: at(2 * HOUR + MINUTE / 2),
      }),
    ).toMatchObject({ ok: false, reason: "too_soon" });
  });

  it("tells a link's code of another confirmer apart from the viewer's own and from no one's", async () => {
    const batchId = await twoServiceBatch();
    const dawidsCode = await batchCode(batchId, DAWID);
    const ask = async (viewer: string, code: string) =>
      isBatchCodeForAnother(db.read, { batchId, viewerId: await idOf(viewer), code });
    expect(await ask(ANNA, dawidsCode)).toBe(true);
    expect(await ask(DAWID, dawidsCode)).toBe(false);
    expect(await ask(ANNA, "no one's code")).toBe(false);
  });

  it("is not found for anyone without a code of the batch, whatever the code", async () => {
    const batchId = await twoServiceBatch();
    const code = await batchCode(batchId, DAWID);
    expect(await answer(batchId, BARTOSZ, code)).toEqual({ ok: false, reason: "not_found" });
    expect(await answer(batchId + 1, DAWID, code)).toEqual({ ok: false, reason: "not_found" });
  });
});

describe("reading a batch", () => {
  it("shows the requester and the confirmers their requests with counts; others get nothing", async () => {
    const result = await bulk(ANNA, ["example.pl", "vps-42.example.net"], { tech: DAWID, billing: EWA });
    if (!result.ok || result.batchId === null) throw new Error(JSON.stringify(result));
    const batchId = result.batchId;
    const anna = await getBatch(db, { batchId, viewerId: await idOf(ANNA), now: at(HOUR) });
    expect(anna).toMatchObject({ total: 4, awaitingViewer: 4, isCodeLocked: false, nextAfter: null });
    expect(anna?.counts.pending).toBe(4);
    expect(anna?.requestedBy).toEqual({ customerId: ANNA, name: "Anna Nowak" });
    // Dawid confirms only the technical changes; Ewa's billing ones are not his to see.
    const dawid = await getBatch(db, { batchId, viewerId: await idOf(DAWID), now: at(HOUR) });
    expect(dawid?.rows.map((row) => [row.serviceName, row.contactTypes, row.awaitsViewer])).toEqual([
      ["example.pl", ["tech"], true],
      ["vps-42.example.net", ["tech"], true],
    ]);
    expect(dawid?.rows[0]?.waitingFor.map((p) => p.customerId).sort()).toEqual([ANNA, DAWID]);
    expect(dawid?.rows[0]?.oldContact).toEqual({ customerId: BARTOSZ, name: "Bartosz Wiśniewski" });
    // The old technical contact is told when it ends, but the batch is not theirs to open.
    expect(await getBatch(db, { batchId, viewerId: await idOf(BARTOSZ) })).toBeNull();
    expect(await getBatch(db, { batchId: batchId + 1, viewerId: await idOf(ANNA) })).toBeNull();
    // Past the deadline, pending reads as expired.
    const late = await getBatch(db, { batchId, viewerId: await idOf(ANNA), now: at(15 * 24 * HOUR) });
    expect(late?.counts).toMatchObject({ pending: 0, expired: 4 });
    expect(late?.awaitingViewer).toBe(0);
  });

  it("pages a confirmer who sees part of the batch through their own requests only, both ways", async () => {
    await addDomains("part", 60);
    const result = await registerBatch(db, {
      actorId: await idOf(ANNA),
      selection: { kind: "filter", search: "part-", type: null, role: null },
      fields: { tech: DAWID, billing: EWA },
    });
    if (!result.ok || result.batchId === null) throw new Error(JSON.stringify(result));
    const dawid = await idOf(DAWID);
    const first = await getBatch(db, { batchId: result.batchId, viewerId: dawid });
    expect(first?.total).toBe(60);
    expect(first?.rows.every((row) => row.contactTypes.join() === "tech")).toBe(true);
    const second = await getBatch(db, { batchId: result.batchId, viewerId: dawid, after: first?.nextAfter });
    expect(second?.rows).toHaveLength(10);
    // Back to Dawid's first page, not to the middle of the batch's.
    expect(second).toMatchObject({ hasPrevious: true, previousAfter: null });
  });

  it("pages through a batch by request id", async () => {
    await addDomains("bulk", 60);
    const anna = await idOf(ANNA);
    const result = await registerBatch(db, {
      actorId: anna,
      selection: { kind: "filter", search: "bulk-", type: null, role: null },
      fields: { tech: DAWID },
    });
    if (!result.ok || result.batchId === null) throw new Error(JSON.stringify(result));
    const first = await getBatch(db, { batchId: result.batchId, viewerId: anna });
    expect(first?.rows).toHaveLength(50);
    expect(first?.hasPrevious).toBe(false);
    const second = await getBatch(db, { batchId: result.batchId, viewerId: anna, after: first?.nextAfter });
    expect(second?.rows.map((row) => row.serviceName)).toEqual(
      Array.from({ length: 10 }, (_, i) => `bulk-${50 + i}.example.pl`),
    );
    expect(second).toMatchObject({ nextAfter: null, hasPrevious: true, previousAfter: null });
  });
});
