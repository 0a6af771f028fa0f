import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Db } from "@/db/client";
import { accounts, confirmations } from "@/db/schema";
import { answerRequest } from "./answer-request";
import { cancelRequest } from "./cancel-request";
import { getRequestDetail } from "./get-request-detail";
import { listRequests } from "./list-requests";
import { resendRequest } from "./resend-request";
import { sweepExpiredRequests } from "./sweep-expired-requests";
import {
  ANNA,
  accountIdOf,
  askOne,
  at,
  BARTOSZ,
  CELINA,
  codeFor,
  contactsOf,
  DAWID,
  DAY,
  EWA,
  endedMailsOf,
  eventsOf,
  FILIP,
  HOUR,
  MINUTE,
  mailsOf,
  openTestDb,
  refOf,
  requestRow,
  rowCounts,
  setContact,
  snapshot,
  T0,
} from "./testing/confirming-fixtures";

let db: Db;

beforeEach(async () => {
  // The default expiry of 14 days, whatever the environment running the tests says.
  vi.stubEnv("REQUEST_EXPIRY_DAYS", "");
  db = await openTestDb();
});

afterEach(async () => {
  vi.unstubAllEnvs();
  await db.close();
});

const idOf = (customerId: string) => accountIdOf(db, customerId);

async function resend(customerId: string, requestId: number, now: Date) {
  return resendRequest(db, { requestId, actorId: await idOf(customerId), now });
}

async function cancel(customerId: string, requestId: number, now = at(HOUR)) {
  return cancelRequest(db, { requestId, actorId: await idOf(customerId), now });
}

async function accept(customerId: string, requestId: number, token: string, now = at(HOUR)) {
  return answerRequest(db, { requestId, actorId: await idOf(customerId), token, decision: "accepted", now });
}

async function confirmationOf(requestId: number, customerId: string) {
  const accountId = await idOf(customerId);
  const row = (await db.read.select().from(confirmations).where(eq(confirmations.requestId, requestId))).find(
    (c) => c.accountId === accountId,
  );
  if (!row) throw new Error(`${customerId} does not confirm request ${requestId}`);
  return row;
}

/** Runs `act` and checks that it wrote nothing at all. */
async function expectNoWrite<T>(act: () => Promise<T>): Promise<T> {
  const before = await snapshot(db);
  const result = await act();
  expect(await snapshot(db)).toEqual(before);
  return result;
}

/** Anna (admin) asks to replace tech Bartosz with Dawid on example.pl; Anna and Dawid confirm. */
const annaReplacesTech = (now = T0) => askOne(db, ANNA, "example.pl", { tech: DAWID }, now);
/** Bartosz (tech) hands his contact to Dawid: Anna is only the service's administrator. */
const bartoszHandsOver = (now = T0) => askOne(db, BARTOSZ, "example.pl", { tech: DAWID }, now);

describe("resending a request", () => {
  for (const { party, make, actor } of [
    { party: "the account that asked", make: annaReplacesTech, actor: ANNA },
    { party: "the old contact", make: annaReplacesTech, actor: BARTOSZ },
    { party: "the new contact", make: annaReplacesTech, actor: DAWID },
    { party: "the service's administrator who did not ask", make: bartoszHandsOver, actor: ANNA },
  ]) {
    it(`${party} may resend`, async () => {
      const id = await make();
      const result = await resend(actor, id, at(MINUTE));
      expect(result).toMatchObject({ ok: true });
      expect((await requestRow(db, id)).lastResentAt).toEqual(at(MINUTE));
      expect((await eventsOf(db, id)).at(-1)).toEqual(["resent", actor, expect.any(Object), at(MINUTE)]);
    });
  }

  it("anyone else is told the request does not exist, and nothing is sent", async () => {
    const id = await annaReplacesTech();
    // Celina holds billing on the service, Filip nothing; Ewa is no party either.
    for (const outsider of [CELINA, EWA, FILIP]) {
      expect(await expectNoWrite(() => resend(outsider, id, at(HOUR)))).toEqual({
        ok: false,
        reason: "not_found",
      });
    }
  });

  it("the administrator is the service's administrator now, not when the request was made", async () => {
    const id = await bartoszHandsOver();
    await setContact(db, "example.pl", "admin", CELINA);
    expect(await expectNoWrite(() => resend(ANNA, id, at(HOUR)))).toEqual({ ok: false, reason: "not_found" });
    expect(await resend(CELINA, id, at(HOUR))).toMatchObject({ ok: true });
  });

  it("may resend at once after the request was made, then once a minute", async () => {
    const id = await annaReplacesTech();
    expect(await resend(ANNA, id, at(1))).toMatchObject({ ok: true });
    // The limit is per request, not per person.
    expect(await expectNoWrite(() => resend(DAWID, id, at(MINUTE)))).toEqual({
      ok: false,
      reason: "too_soon",
      retryAt: at(MINUTE + 1),
    });
    expect(await resend(DAWID, id, at(MINUTE + 1))).toMatchObject({ ok: true });
    expect((await eventsOf(db, id)).map(([kind, actor, , when]) => [kind, actor, when])).toEqual([
      ["created", ANNA, T0],
      ["resent", ANNA, at(1)],
      ["resent", DAWID, at(MINUTE + 1)],
    ]);
  });

  it("issues new codes only to the confirmers who have not answered, at their addresses now", async () => {
    const id = await annaReplacesTech();
    const annasCode = await codeFor(db, id, ANNA);
    const dawidsFirstCode = await codeFor(db, id, DAWID);
    expect(await accept(ANNA, id, annasCode, at(MINUTE))).toMatchObject({ ok: true, outcome: "waiting" });
    const annasConfirmation = await confirmationOf(id, ANNA);
    // The first e-mail went to an address Dawid no longer reads; he changed it and his language.
    const dawid = await idOf(DAWID);
    await db.transaction(async (tx) => {
      await tx
        .update(accounts)
        .set({ email: "dawid.new@example.test", language: "en" })
        .where(eq(accounts.id, dawid));
    });
    const mailsBefore = (await mailsOf(db, id, "change-request")).length;

    expect(await resend(BARTOSZ, id, at(2 * MINUTE))).toEqual({ ok: true, recipients: [refOf(DAWID)] });

    const sent = (await mailsOf(db, id, "change-request")).slice(mailsBefore);
    expect(sent.map((m) => [m.toAddress, m.toAccountId, m.language, m.subject, m.nextAttemptAt])).toEqual([
      [
        "dawid.new@example.test",
        dawid,
        "en",
        `Confirm or refuse the contact change for example.pl (request ${id})`,
        at(2 * MINUTE),
      ],
    ]);
    expect(sent[0]?.props).toMatchObject({
      requestId: id,
      recipient: refOf(DAWID),
      requestedBy: refOf(ANNA),
      oldContact: refOf(BARTOSZ),
      newContact: refOf(DAWID),
      isResend: true,
      expiresAt: at(14 * DAY).toISOString(),
    });
    const dawidsNewCode = await codeFor(db, id, DAWID);
    expect(dawidsNewCode).not.toBe(dawidsFirstCode);
    expect(await confirmationOf(id, DAWID)).toMatchObject({
      tokenIssuedAt: at(2 * MINUTE),
      failedAttempts: 0,
    });
    // Anna answered: her confirmation is untouched.
    expect(await confirmationOf(id, ANNA)).toEqual(annasConfirmation);
    expect((await eventsOf(db, id)).at(-1)).toEqual(["resent", BARTOSZ, { to: [dawid] }, at(2 * MINUTE)]);

    expect(await accept(DAWID, id, dawidsFirstCode, at(3 * MINUTE))).toEqual({
      ok: false,
      reason: "wrong_code",
      attemptsLeft: 4,
    });
    expect(await accept(DAWID, id, dawidsNewCode, at(3 * MINUTE))).toEqual({ ok: true, outcome: "done" });
    // The done notice goes to his address now too.
    expect((await endedMailsOf(db, id)).map(([address]) => address)).toEqual([
      "anna@example.test",
      "bartosz@example.test",
      "dawid.new@example.test",
    ]);
  });

  it("with no one having answered, every confirmer gets a new code", async () => {
    const id = await annaReplacesTech();
    const first = [await codeFor(db, id, ANNA), await codeFor(db, id, DAWID)];
    expect(await resend(ANNA, id, at(MINUTE))).toEqual({ ok: true, recipients: [refOf(ANNA), refOf(DAWID)] });
    const second = [await codeFor(db, id, ANNA), await codeFor(db, id, DAWID)];
    expect(second[0]).not.toBe(first[0]);
    expect(second[1]).not.toBe(first[1]);
    expect((await mailsOf(db, id, "change-request")).map((m) => m.toAddress)).toEqual([
      "anna@example.test",
      "dawid@example.test",
      "anna@example.test",
      "dawid@example.test",
    ]);
  });

  it("an ended request is not resent", async () => {
    const id = await annaReplacesTech();
    expect(await cancel(ANNA, id, at(MINUTE))).toEqual({ ok: true });
    expect(await expectNoWrite(() => resend(ANNA, id, at(HOUR)))).toEqual({
      ok: false,
      reason: "not_pending",
      state: "cancelled",
    });
  });

  it("an overdue request is not resent, and its expiry is recorded", async () => {
    const id = await annaReplacesTech();
    expect(await resend(ANNA, id, at(14 * DAY))).toEqual({ ok: false, reason: "expired" });
    expect(await requestRow(db, id)).toMatchObject({
      state: "expired",
      endedAt: at(14 * DAY),
      lastResentAt: null,
    });
    expect(await mailsOf(db, id, "change-request")).toHaveLength(2);
    expect((await endedMailsOf(db, id)).map(([address, , , outcome]) => [address, outcome])).toEqual([
      ["anna@example.test", "expired"],
      ["bartosz@example.test", "expired"],
      ["dawid@example.test", "expired"],
    ]);
  });
});

describe("cancelling a request", () => {
  it("the account that asked withdraws it; everyone is told; a second cancel finds it ended", async () => {
    const id = await annaReplacesTech();

    expect(await cancel(ANNA, id, at(HOUR))).toEqual({ ok: true });

    expect(await requestRow(db, id)).toMatchObject({
      state: "cancelled",
      endReason: "withdrawn",
      endedAt: at(HOUR),
    });
    expect(await contactsOf(db, "example.pl")).toEqual({ admin: ANNA, tech: BARTOSZ, billing: CELINA });
    expect(await eventsOf(db, id)).toEqual([
      ["created", ANNA, expect.any(Object), T0],
      ["cancelled", ANNA, { reason: "withdrawn" }, at(HOUR)],
    ]);
    expect(await endedMailsOf(db, id)).toEqual([
      [
        "anna@example.test",
        "en",
        `Contact change request ${id} for example.pl was cancelled`,
        "cancelled",
        "withdrawn",
        ANNA,
      ],
      [
        "bartosz@example.test",
        "pl",
        `Zlecenie nr ${id} dla usługi example.pl zostało anulowane`,
        "cancelled",
        "withdrawn",
        ANNA,
      ],
      [
        "dawid@example.test",
        "pl",
        `Zlecenie nr ${id} dla usługi example.pl zostało anulowane`,
        "cancelled",
        "withdrawn",
        ANNA,
      ],
    ]);

    expect(await expectNoWrite(() => cancel(ANNA, id, at(2 * HOUR)))).toEqual({
      ok: false,
      reason: "not_pending",
      state: "cancelled",
    });
  });

  it("the service's administrator may withdraw a request someone else made", async () => {
    const id = await bartoszHandsOver();
    expect(await cancel(ANNA, id)).toEqual({ ok: true });
    expect(await requestRow(db, id)).toMatchObject({ state: "cancelled", endReason: "withdrawn" });
    expect(
      (await endedMailsOf(db, id)).map(([address, , , , reason, actor]) => [address, reason, actor]),
    ).toEqual([
      ["bartosz@example.test", "withdrawn", ANNA],
      ["dawid@example.test", "withdrawn", ANNA],
    ]);
  });

  it("the old and the new contact who did not ask may not, and outsiders are told it does not exist", async () => {
    const id = await annaReplacesTech();
    expect(await expectNoWrite(() => cancel(BARTOSZ, id))).toEqual({ ok: false, reason: "not_allowed" });
    expect(await expectNoWrite(() => cancel(DAWID, id))).toEqual({ ok: false, reason: "not_allowed" });
    expect(await expectNoWrite(() => cancel(CELINA, id))).toEqual({ ok: false, reason: "not_found" });
    expect(await expectNoWrite(() => cancel(FILIP, id))).toEqual({ ok: false, reason: "not_found" });
    expect((await requestRow(db, id)).state).toBe("pending");
  });

  it("a done request cannot be cancelled", async () => {
    const id = await askOne(db, ANNA, "example.pl", { billing: ANNA });
    expect(await accept(ANNA, id, await codeFor(db, id, ANNA))).toEqual({ ok: true, outcome: "done" });
    expect(await expectNoWrite(() => cancel(ANNA, id, at(2 * HOUR)))).toEqual({
      ok: false,
      reason: "not_pending",
      state: "done",
    });
  });
});

describe("expiry", () => {
  const deadline = at(14 * DAY);

  it("a request is pending until a millisecond before its deadline", async () => {
    const id = await annaReplacesTech();
    const justBefore = at(14 * DAY - 1);
    expect((await requestRow(db, id)).expiresAt).toEqual(deadline);
    expect(await getRequestDetail(db, id, await idOf(ANNA), justBefore)).toMatchObject({
      state: "pending",
      endedAt: null,
      viewer: { mustAnswer: true, canResend: true, canCancel: true },
    });
    expect(
      (await listRequests(db, await idOf(ANNA), { status: "pending", cursor: null }, justBefore)).rows.map(
        (r) => r.id,
      ),
    ).toEqual([id]);
    expect(await sweepExpiredRequests(db, justBefore)).toEqual([]);
    expect((await requestRow(db, id)).state).toBe("pending");
  });

  it("at its deadline pages read it expired without writing anything", async () => {
    const id = await annaReplacesTech();
    const before = await snapshot(db);
    const counts = await rowCounts(db);

    const detail = await getRequestDetail(db, id, await idOf(ANNA), deadline);
    expect(detail).toMatchObject({
      state: "expired",
      endReason: null,
      endedAt: deadline,
      viewer: { isConfirmer: true, mustAnswer: false, canResend: false, canCancel: false },
    });
    expect(detail?.history.map((event) => [event.kind, event.at])).toEqual([
      ["created", T0],
      ["expired", deadline],
    ]);

    const all = (await listRequests(db, await idOf(ANNA), { status: "all", cursor: null }, deadline)).rows;
    expect(all.map((r) => [r.id, r.state, r.isAwaitingMe, r.waitingFor, r.canCancel])).toEqual([
      [id, "expired", false, [], false],
    ]);
    const ids = async (status: "expired" | "pending" | "awaiting_me") =>
      (await listRequests(db, await idOf(ANNA), { status, cursor: null }, deadline)).rows.map((r) => r.id);
    expect(await ids("expired")).toEqual([id]);
    expect(await ids("pending")).toEqual([]);
    expect(await ids("awaiting_me")).toEqual([]);

    expect(await rowCounts(db)).toEqual(counts);
    expect(await snapshot(db)).toEqual(before);
    expect(await requestRow(db, id)).toMatchObject({ state: "pending", endedAt: null });
  });

  it("the sweep records it expired once and tells everyone; a new request can then be made", async () => {
    const id = await annaReplacesTech();
    // Made a day later, so not yet due at the first's deadline.
    const later = await askOne(db, ANNA, "example.pl", { billing: DAWID }, at(DAY));

    expect(await sweepExpiredRequests(db, deadline)).toEqual([id]);

    expect(await requestRow(db, id)).toMatchObject({ state: "expired", endedAt: deadline, endReason: null });
    expect(await requestRow(db, later)).toMatchObject({ state: "pending", endedAt: null });
    expect((await eventsOf(db, id)).map(([kind, actor, , when]) => [kind, actor, when])).toEqual([
      ["created", ANNA, T0],
      ["expired", null, deadline],
    ]);
    expect(await endedMailsOf(db, id)).toEqual([
      [
        "anna@example.test",
        "en",
        `Contact change request ${id} for example.pl has expired`,
        "expired",
        null,
        null,
      ],
      [
        "bartosz@example.test",
        "pl",
        `Zlecenie nr ${id} dla usługi example.pl wygasło`,
        "expired",
        null,
        null,
      ],
      ["dawid@example.test", "pl", `Zlecenie nr ${id} dla usługi example.pl wygasło`, "expired", null, null],
    ]);
    expect(await mailsOf(db, later, "request-ended")).toEqual([]);

    // A second sweep, even later, has nothing left to do for it.
    expect(await expectNoWrite(() => sweepExpiredRequests(db, at(14 * DAY + HOUR)))).toEqual([]);
    expect(await getRequestDetail(db, id, await idOf(ANNA), at(15 * DAY))).toMatchObject({
      state: "expired",
      endedAt: deadline,
    });

    const next = await askOne(db, ANNA, "example.pl", { tech: EWA }, at(14 * DAY + HOUR));
    expect(next).not.toBe(id);
    expect(await requestRow(db, next)).toMatchObject({ state: "pending", expiresAt: at(28 * DAY + HOUR) });
  });

  it("the sweep records the overdue requests of every service", async () => {
    const onExample = await annaReplacesTech();
    const onShop = await askOne(db, ANNA, "shop.example.pl", { tech: DAWID }, at(HOUR));
    expect((await sweepExpiredRequests(db, at(14 * DAY + HOUR))).sort((a, b) => a - b)).toEqual([
      onExample,
      onShop,
    ]);
    expect([(await requestRow(db, onExample)).state, (await requestRow(db, onShop)).state]).toEqual([
      "expired",
      "expired",
    ]);
  });
});
