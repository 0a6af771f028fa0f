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

beforeEach(() => {
  // The default expiry of 14 days, whatever the environment running the tests says.
  vi.stubEnv("REQUEST_EXPIRY_DAYS", "");
  db = openTestDb();
});

afterEach(() => {
  vi.unstubAllEnvs();
  db.$client.close();
});

const idOf = (customerId: string) => accountIdOf(db, customerId);

function resend(customerId: string, requestId: number, now: Date) {
  return resendRequest(db, { requestId, actorId: idOf(customerId), now });
}

function cancel(customerId: string, requestId: number, now = at(HOUR)) {
  return cancelRequest(db, { requestId, actorId: idOf(customerId), now });
}

function accept(customerId: string, requestId: number, token: string, now = at(HOUR)) {
  return answerRequest(db, { requestId, actorId: idOf(customerId), token, decision: "accepted", now });
}

function confirmationOf(requestId: number, customerId: string) {
  const row = db
    .select()
    .from(confirmations)
    .where(eq(confirmations.requestId, requestId))
    .all()
    .find((c) => c.accountId === idOf(customerId));
  if (!row) throw new Error(`${customerId} does not confirm request ${requestId}`);
  return row;
}

/** Runs `act` and checks that it wrote nothing at all. */
function expectNoWrite<T>(act: () => T): T {
  const before = snapshot(db);
  const result = act();
  expect(snapshot(db)).toEqual(before);
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
    it(`${party} may resend`, () => {
      const id = make();
      const result = resend(actor, id, at(MINUTE));
      expect(result).toMatchObject({ ok: true });
      expect(requestRow(db, id).lastResentAt).toEqual(at(MINUTE));
      expect(eventsOf(db, id).at(-1)).toEqual(["resent", actor, expect.any(Object), at(MINUTE)]);
    });
  }

  it("anyone else is told the request does not exist, and nothing is sent", () => {
    const id = annaReplacesTech();
    // Celina holds billing on the service, Filip nothing; Ewa is no party either.
    for (const outsider of [CELINA, EWA, FILIP]) {
      expect(expectNoWrite(() => resend(outsider, id, at(HOUR)))).toEqual({ ok: false, reason: "not_found" });
    }
  });

  it("the administrator is the service's administrator now, not when the request was made", () => {
    const id = bartoszHandsOver();
    setContact(db, "example.pl", "admin", CELINA);
    expect(expectNoWrite(() => resend(ANNA, id, at(HOUR)))).toEqual({ ok: false, reason: "not_found" });
    expect(resend(CELINA, id, at(HOUR))).toMatchObject({ ok: true });
  });

  it("may resend at once after the request was made, then once a minute", () => {
    const id = annaReplacesTech();
    expect(resend(ANNA, id, at(1))).toMatchObject({ ok: true });
    // The limit is per request, not per person.
    expect(expectNoWrite(() => resend(DAWID, id, at(MINUTE)))).toEqual({
      ok: false,
      reason: "too_soon",
      retryAt: at(MINUTE + 1),
    });
    expect(resend(DAWID, id, at(MINUTE + 1))).toMatchObject({ ok: true });
    expect(eventsOf(db, id).map(([kind, actor, , when]) => [kind, actor, when])).toEqual([
      ["created", ANNA, T0],
      ["resent", ANNA, at(1)],
      ["resent", DAWID, at(MINUTE + 1)],
    ]);
  });

  it("issues new codes only to the confirmers who have not answered, at their addresses now", () => {
    const id = annaReplacesTech();
    const annasCode = codeFor(db, id, ANNA);
    const dawidsFirstCode = codeFor(db, id, DAWID);
    expect(accept(ANNA, id, annasCode, at(MINUTE))).toMatchObject({ ok: true, outcome: "waiting" });
    const annasConfirmation = confirmationOf(id, ANNA);
    // The first e-mail went to an address Dawid no longer reads; he changed it and his language.
    db.update(accounts)
      .set({ email: "dawid.new@example.test", language: "en" })
      .where(eq(accounts.id, idOf(DAWID)))
      .run();
    const mailsBefore = mailsOf(db, id, "change-request").length;

    expect(resend(BARTOSZ, id, at(2 * MINUTE))).toEqual({ ok: true, recipients: [refOf(DAWID)] });

    const sent = mailsOf(db, id, "change-request").slice(mailsBefore);
    expect(sent.map((m) => [m.toAddress, m.toAccountId, m.language, m.subject, m.nextAttemptAt])).toEqual([
      [
        "dawid.new@example.test",
        idOf(DAWID),
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
    const dawidsNewCode = codeFor(db, id, DAWID);
    expect(dawidsNewCode).not.toBe(dawidsFirstCode);
    expect(confirmationOf(id, DAWID)).toMatchObject({ tokenIssuedAt: at(2 * MINUTE), failedAttempts: 0 });
    // Anna answered: her confirmation is untouched.
    expect(confirmationOf(id, ANNA)).toEqual(annasConfirmation);
    expect(eventsOf(db, id).at(-1)).toEqual(["resent", BARTOSZ, { to: [idOf(DAWID)] }, at(2 * MINUTE)]);

    expect(accept(DAWID, id, dawidsFirstCode, at(3 * MINUTE))).toEqual({
      ok: false,
      reason: "wrong_code",
      attemptsLeft: 4,
    });
    expect(accept(DAWID, id, dawidsNewCode, at(3 * MINUTE))).toEqual({ ok: true, outcome: "done" });
    // The done notice goes to his address now too.
    expect(endedMailsOf(db, id).map(([address]) => address)).toEqual([
      "anna@example.test",
      "bartosz@example.test",
      "dawid.new@example.test",
    ]);
  });

  it("with no one having answered, every confirmer gets a new code", () => {
    const id = annaReplacesTech();
    const first = [codeFor(db, id, ANNA), codeFor(db, id, DAWID)];
    expect(resend(ANNA, id, at(MINUTE))).toEqual({ ok: true, recipients: [refOf(ANNA), refOf(DAWID)] });
    const second = [codeFor(db, id, ANNA), codeFor(db, id, DAWID)];
    expect(second[0]).not.toBe(first[0]);
    expect(second[1]).not.toBe(first[1]);
    expect(mailsOf(db, id, "change-request").map((m) => m.toAddress)).toEqual([
      "anna@example.test",
      "dawid@example.test",
      "anna@example.test",
      "dawid@example.test",
    ]);
  });

  it("an ended request is not resent", () => {
    const id = annaReplacesTech();
    expect(cancel(ANNA, id, at(MINUTE))).toEqual({ ok: true });
    expect(expectNoWrite(() => resend(ANNA, id, at(HOUR)))).toEqual({
      ok: false,
      reason: "not_pending",
      state: "cancelled",
    });
  });

  it("an overdue request is not resent, and its expiry is recorded", () => {
    const id = annaReplacesTech();
    expect(resend(ANNA, id, at(14 * DAY))).toEqual({ ok: false, reason: "expired" });
    expect(requestRow(db, id)).toMatchObject({ state: "expired", endedAt: at(14 * DAY), lastResentAt: null });
    expect(mailsOf(db, id, "change-request")).toHaveLength(2);
    expect(endedMailsOf(db, id).map(([address, , , outcome]) => [address, outcome])).toEqual([
      ["anna@example.test", "expired"],
      ["bartosz@example.test", "expired"],
      ["dawid@example.test", "expired"],
    ]);
  });
});

describe("cancelling a request", () => {
  it("the account that asked withdraws it; everyone is told; a second cancel finds it ended", () => {
    const id = annaReplacesTech();

    expect(cancel(ANNA, id, at(HOUR))).toEqual({ ok: true });

    expect(requestRow(db, id)).toMatchObject({
      state: "cancelled",
      endReason: "withdrawn",
      endedAt: at(HOUR),
    });
    expect(contactsOf(db, "example.pl")).toEqual({ admin: ANNA, tech: BARTOSZ, billing: CELINA });
    expect(eventsOf(db, id)).toEqual([
      ["created", ANNA, expect.any(Object), T0],
      ["cancelled", ANNA, { reason: "withdrawn" }, at(HOUR)],
    ]);
    expect(endedMailsOf(db, id)).toEqual([
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
        `Zgłoszenie nr ${id} dla usługi example.pl zostało anulowane`,
        "cancelled",
        "withdrawn",
        ANNA,
      ],
      [
        "dawid@example.test",
        "pl",
        `Zgłoszenie nr ${id} dla usługi example.pl zostało anulowane`,
        "cancelled",
        "withdrawn",
        ANNA,
      ],
    ]);

    expect(expectNoWrite(() => cancel(ANNA, id, at(2 * HOUR)))).toEqual({
      ok: false,
      reason: "not_pending",
      state: "cancelled",
    });
  });

  it("the service's administrator may withdraw a request someone else made", () => {
    const id = bartoszHandsOver();
    expect(cancel(ANNA, id)).toEqual({ ok: true });
    expect(requestRow(db, id)).toMatchObject({ state: "cancelled", endReason: "withdrawn" });
    expect(endedMailsOf(db, id).map(([address, , , , reason, actor]) => [address, reason, actor])).toEqual([
      ["bartosz@example.test", "withdrawn", ANNA],
      ["dawid@example.test", "withdrawn", ANNA],
    ]);
  });

  it("the old and the new contact who did not ask may not, and outsiders are told it does not exist", () => {
    const id = annaReplacesTech();
    expect(expectNoWrite(() => cancel(BARTOSZ, id))).toEqual({ ok: false, reason: "not_allowed" });
    expect(expectNoWrite(() => cancel(DAWID, id))).toEqual({ ok: false, reason: "not_allowed" });
    expect(expectNoWrite(() => cancel(CELINA, id))).toEqual({ ok: false, reason: "not_found" });
    expect(expectNoWrite(() => cancel(FILIP, id))).toEqual({ ok: false, reason: "not_found" });
    expect(requestRow(db, id).state).toBe("pending");
  });

  it("a done request cannot be cancelled", () => {
    const id = askOne(db, ANNA, "example.pl", { billing: ANNA });
    expect(accept(ANNA, id, codeFor(db, id, ANNA))).toEqual({ ok: true, outcome: "done" });
    expect(expectNoWrite(() => cancel(ANNA, id, at(2 * HOUR)))).toEqual({
      ok: false,
      reason: "not_pending",
      state: "done",
    });
  });
});

describe("expiry", () => {
  const deadline = at(14 * DAY);

  it("a request is pending until a millisecond before its deadline", () => {
    const id = annaReplacesTech();
    const justBefore = at(14 * DAY - 1);
    expect(requestRow(db, id).expiresAt).toEqual(deadline);
    expect(getRequestDetail(db, id, idOf(ANNA), justBefore)).toMatchObject({
      state: "pending",
      endedAt: null,
      viewer: { mustAnswer: true, canResend: true, canCancel: true },
    });
    expect(
      listRequests(db, idOf(ANNA), { status: "pending", page: 1 }, justBefore).rows.map((r) => r.id),
    ).toEqual([id]);
    expect(sweepExpiredRequests(db, justBefore)).toEqual([]);
    expect(requestRow(db, id).state).toBe("pending");
  });

  it("at its deadline pages read it expired without writing anything", () => {
    const id = annaReplacesTech();
    const before = snapshot(db);
    const counts = rowCounts(db);

    const detail = getRequestDetail(db, id, idOf(ANNA), deadline);
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

    const all = listRequests(db, idOf(ANNA), { status: "all", page: 1 }, deadline).rows;
    expect(all.map((r) => [r.id, r.state, r.isAwaitingMe, r.waitingFor, r.canCancel])).toEqual([
      [id, "expired", false, [], false],
    ]);
    const ids = (status: "expired" | "pending" | "awaiting_me") =>
      listRequests(db, idOf(ANNA), { status, page: 1 }, deadline).rows.map((r) => r.id);
    expect(ids("expired")).toEqual([id]);
    expect(ids("pending")).toEqual([]);
    expect(ids("awaiting_me")).toEqual([]);

    expect(rowCounts(db)).toEqual(counts);
    expect(snapshot(db)).toEqual(before);
    expect(requestRow(db, id)).toMatchObject({ state: "pending", endedAt: null });
  });

  it("the sweep records it expired once and tells everyone; a new request can then be made", () => {
    const id = annaReplacesTech();
    // Made a day later, so not yet due at the first's deadline.
    const later = askOne(db, ANNA, "example.pl", { billing: DAWID }, at(DAY));

    expect(sweepExpiredRequests(db, deadline)).toEqual([id]);

    expect(requestRow(db, id)).toMatchObject({ state: "expired", endedAt: deadline, endReason: null });
    expect(requestRow(db, later)).toMatchObject({ state: "pending", endedAt: null });
    expect(eventsOf(db, id).map(([kind, actor, , when]) => [kind, actor, when])).toEqual([
      ["created", ANNA, T0],
      ["expired", null, deadline],
    ]);
    expect(endedMailsOf(db, id)).toEqual([
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
        `Zgłoszenie nr ${id} dla usługi example.pl wygasło`,
        "expired",
        null,
        null,
      ],
      [
        "dawid@example.test",
        "pl",
        `Zgłoszenie nr ${id} dla usługi example.pl wygasło`,
        "expired",
        null,
        null,
      ],
    ]);
    expect(mailsOf(db, later, "request-ended")).toEqual([]);

    // A second sweep, even later, has nothing left to do for it.
    expect(expectNoWrite(() => sweepExpiredRequests(db, at(14 * DAY + HOUR)))).toEqual([]);
    expect(getRequestDetail(db, id, idOf(ANNA), at(15 * DAY))).toMatchObject({
      state: "expired",
      endedAt: deadline,
    });

    const next = askOne(db, ANNA, "example.pl", { tech: EWA }, at(14 * DAY + HOUR));
    expect(next).not.toBe(id);
    expect(requestRow(db, next)).toMatchObject({ state: "pending", expiresAt: at(28 * DAY + HOUR) });
  });

  it("the sweep records the overdue requests of every service", () => {
    const onExample = annaReplacesTech();
    const onShop = askOne(db, ANNA, "shop.example.pl", { tech: DAWID }, at(HOUR));
    expect(sweepExpiredRequests(db, at(14 * DAY + HOUR)).sort((a, b) => a - b)).toEqual([onExample, onShop]);
    expect([requestRow(db, onExample).state, requestRow(db, onShop).state]).toEqual(["expired", "expired"]);
  });
});
