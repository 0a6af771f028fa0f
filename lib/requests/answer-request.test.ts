import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { confirmations, type Decision } from "@/db/schema";
import { type AnswerRequestResult, answerRequest } from "./answer-request";
import { cancelRequest } from "./cancel-request";
import { resendRequest } from "./resend-request";
import { type AnswerAttempt, type AnswerWorkers, startAnswerWorkers } from "./testing/answer-request-workers";
import {
  ANNA,
  accountIdOf,
  addInvoice,
  ask,
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
  mailsOf,
  openTestDb,
  payInvoices,
  refOf,
  requestRow,
  setContact,
  snapshot,
  T0,
} from "./testing/confirming-fixtures";

let db: Db;

beforeEach(async () => {
  db = await openTestDb();
});

afterEach(async () => {
  await db.close();
});

async function answer(
  customerId: string,
  requestId: number,
  token: string,
  decision: Decision = "accepted",
  now = at(HOUR),
): Promise<AnswerRequestResult> {
  return answerRequest(db, { requestId, actorId: await accountIdOf(db, customerId), token, decision, now });
}

/** Answers with the code from the account's own newest e-mail. */
async function answerWithOwnCode(
  customerId: string,
  requestId: number,
  decision: Decision = "accepted",
  now = at(HOUR),
) {
  return answer(customerId, requestId, await codeFor(db, requestId, customerId), decision, now);
}

async function confirmationOf(requestId: number, customerId: string) {
  const accountId = await accountIdOf(db, customerId);
  const row = (await db.read.select().from(confirmations).where(eq(confirmations.requestId, requestId))).find(
    (c) => c.accountId === accountId,
  );
  if (!row) throw new Error(`${customerId} does not confirm request ${requestId}`);
  return row;
}

/** Answers and checks that the refusal wrote nothing at all. */
async function expectNoEffect(
  customerId: string,
  requestId: number,
  token: string,
  expected: AnswerRequestResult,
) {
  const before = await snapshot(db);
  expect(await answer(customerId, requestId, token)).toEqual(expected);
  expect(await snapshot(db)).toEqual(before);
}

const EXAMPLE = { admin: ANNA, tech: BARTOSZ, billing: CELINA };

/** Anna (admin) asks to replace the tech contact Bartosz with Dawid on example.pl; Anna and Dawid confirm. */
async function annaReplacesTech(): Promise<number> {
  return askOne(db, ANNA, "example.pl", { tech: DAWID });
}

describe("two confirmers accept", () => {
  it("the first acceptance waits for the other, the second applies the change and tells everyone", async () => {
    const id = await annaReplacesTech();

    expect(await answerWithOwnCode(ANNA, id, "accepted", at(HOUR))).toEqual({
      ok: true,
      outcome: "waiting",
      waitingFor: [refOf(DAWID)],
    });
    expect(await requestRow(db, id)).toMatchObject({ state: "pending", endedAt: null, endReason: null });
    expect(await confirmationOf(id, ANNA)).toMatchObject({ decision: "accepted", decidedAt: at(HOUR) });
    expect(await confirmationOf(id, DAWID)).toMatchObject({ decision: null, decidedAt: null });
    expect(await contactsOf(db, "example.pl")).toEqual(EXAMPLE);
    expect((await eventsOf(db, id)).map(([kind, actor]) => [kind, actor])).toEqual([
      ["created", ANNA],
      ["accepted", ANNA],
    ]);
    expect(await mailsOf(db, id, "request-ended")).toEqual([]);

    expect(await answerWithOwnCode(DAWID, id, "accepted", at(2 * HOUR))).toEqual({
      ok: true,
      outcome: "done",
    });
    expect(await contactsOf(db, "example.pl")).toEqual({ admin: ANNA, tech: DAWID, billing: CELINA });
    expect(await requestRow(db, id)).toMatchObject({ state: "done", endedAt: at(2 * HOUR), endReason: null });
    expect(await eventsOf(db, id)).toEqual([
      ["created", ANNA, expect.any(Object), T0],
      ["accepted", ANNA, null, at(HOUR)],
      ["accepted", DAWID, null, at(2 * HOUR)],
      ["done", null, null, at(2 * HOUR)],
    ]);
    // The confirmers and the old contact, each in their language.
    expect(await endedMailsOf(db, id)).toEqual([
      ["anna@example.test", "en", `Contact change request ${id} for example.pl is done`, "done", null, null],
      [
        "bartosz@example.test",
        "pl",
        `Zlecenie nr ${id} dla usługi example.pl zostało zakończone`,
        "done",
        null,
        null,
      ],
      [
        "dawid@example.test",
        "pl",
        `Zlecenie nr ${id} dla usługi example.pl zostało zakończone`,
        "done",
        null,
        null,
      ],
    ]);
    for (const mail of await mailsOf(db, id, "request-ended")) {
      expect(mail.props).toMatchObject({
        serviceName: "example.pl",
        contactTypes: ["tech"],
        oldContact: refOf(BARTOSZ),
        newContact: refOf(DAWID),
      });
    }
  });

  it("an administrator taking a contact back alone applies it with the one acceptance", async () => {
    const id = await askOne(db, ANNA, "example.pl", { billing: ANNA });
    expect(await answerWithOwnCode(ANNA, id)).toEqual({ ok: true, outcome: "done" });
    expect(await contactsOf(db, "example.pl")).toEqual({ admin: ANNA, tech: BARTOSZ, billing: ANNA });
    expect((await endedMailsOf(db, id)).map(([address, , , outcome]) => [address, outcome])).toEqual([
      ["anna@example.test", "done"],
      ["celina@example.test", "done"],
    ]);
  });
});

describe("a refusal", () => {
  it("ends the request refused, leaves the service as it is and tells everyone who refused", async () => {
    const id = await annaReplacesTech();
    expect(await answerWithOwnCode(ANNA, id, "accepted", at(HOUR))).toMatchObject({
      ok: true,
      outcome: "waiting",
    });

    expect(await answerWithOwnCode(DAWID, id, "refused", at(2 * HOUR))).toEqual({
      ok: true,
      outcome: "refused",
    });

    expect(await requestRow(db, id)).toMatchObject({
      state: "refused",
      endedAt: at(2 * HOUR),
      endReason: null,
    });
    expect(await confirmationOf(id, DAWID)).toMatchObject({ decision: "refused", decidedAt: at(2 * HOUR) });
    expect(await contactsOf(db, "example.pl")).toEqual(EXAMPLE);
    expect((await eventsOf(db, id)).map(([kind, actor, , when]) => [kind, actor, when])).toEqual([
      ["created", ANNA, T0],
      ["accepted", ANNA, at(HOUR)],
      ["refused", DAWID, at(2 * HOUR)],
    ]);
    expect(await endedMailsOf(db, id)).toEqual([
      [
        "anna@example.test",
        "en",
        `Contact change request ${id} for example.pl was refused`,
        "refused",
        null,
        DAWID,
      ],
      [
        "bartosz@example.test",
        "pl",
        `Zlecenie nr ${id} dla usługi example.pl zostało odrzucone`,
        "refused",
        null,
        DAWID,
      ],
      [
        "dawid@example.test",
        "pl",
        `Zlecenie nr ${id} dla usługi example.pl zostało odrzucone`,
        "refused",
        null,
        DAWID,
      ],
    ]);
  });

  it("by the first confirmer ends it at once, and the other's code then finds it ended", async () => {
    const id = await annaReplacesTech();
    // Read before the end: an ended request's codes are erased from the outbox.
    const dawidsCode = await codeFor(db, id, DAWID);
    expect(await answerWithOwnCode(ANNA, id, "refused")).toEqual({ ok: true, outcome: "refused" });
    expect((await requestRow(db, id)).state).toBe("refused");
    const before = await snapshot(db);
    expect(await answer(DAWID, id, dawidsCode)).toEqual({
      ok: false,
      reason: "not_pending",
      state: "refused",
    });
    expect(await snapshot(db)).toEqual(before);
  });
});

describe("wrong codes", () => {
  it("count failed attempts, lock the code after five even for the right code, and a resend unlocks it", async () => {
    const id = await annaReplacesTech();
    const firstCode = await codeFor(db, id, DAWID);

    for (const attemptsLeft of [4, 3, 2, 1, 0]) {
      expect(await answer(DAWID, id, "not-the-code")).toEqual({
        ok: false,
        reason: "wrong_code",
        attemptsLeft,
      });
      expect((await confirmationOf(id, DAWID)).failedAttempts).toBe(5 - attemptsLeft);
    }
    expect((await eventsOf(db, id)).map(([kind, actor]) => [kind, actor])).toEqual([
      ["created", ANNA],
      ["wrong_code", DAWID],
      ["wrong_code", DAWID],
      ["wrong_code", DAWID],
      ["wrong_code", DAWID],
      ["code_locked", DAWID],
    ]);

    // Locked: the right code no longer works, and a wrong one counts no more.
    await expectNoEffect(DAWID, id, firstCode, { ok: false, reason: "locked" });
    await expectNoEffect(DAWID, id, "not-the-code", { ok: false, reason: "locked" });
    expect(await confirmationOf(id, DAWID)).toMatchObject({ failedAttempts: 5, decision: null });
    // Another confirmer's attempts are their own.
    expect((await confirmationOf(id, ANNA)).failedAttempts).toBe(0);

    expect(
      await resendRequest(db, { requestId: id, actorId: await accountIdOf(db, ANNA), now: at(HOUR) }),
    ).toMatchObject({
      ok: true,
    });
    expect(await confirmationOf(id, DAWID)).toMatchObject({ failedAttempts: 0, decision: null });
    const newCode = await codeFor(db, id, DAWID);
    expect(newCode).not.toBe(firstCode);

    // The old code is now simply wrong, and counts as such.
    expect(await answer(DAWID, id, firstCode)).toEqual({ ok: false, reason: "wrong_code", attemptsLeft: 4 });
    expect((await confirmationOf(id, DAWID)).failedAttempts).toBe(1);
    expect(await answer(DAWID, id, newCode)).toEqual({
      ok: true,
      outcome: "waiting",
      waitingFor: [refOf(ANNA)],
    });
    expect(await confirmationOf(id, DAWID)).toMatchObject({ decision: "accepted", decidedAt: at(HOUR) });
  });

  it("a code is single-use: the second use is already answered and changes nothing", async () => {
    const id = await annaReplacesTech();
    const code = await codeFor(db, id, ANNA);
    expect(await answer(ANNA, id, code)).toMatchObject({ ok: true, outcome: "waiting" });
    await expectNoEffect(ANNA, id, code, { ok: false, reason: "already_answered", decision: "accepted" });
    // A refusal with the spent code cannot undo the acceptance either.
    const before = await snapshot(db);
    expect(await answer(ANNA, id, code, "refused")).toEqual({
      ok: false,
      reason: "already_answered",
      decision: "accepted",
    });
    expect(await snapshot(db)).toEqual(before);
  });

  it("a code works only for the account it was issued to", async () => {
    const id = await annaReplacesTech();
    const dawidsCode = await codeFor(db, id, DAWID);

    // Anna is a confirmer too, but Dawid's code is not hers: a wrong code for her.
    expect(await answer(ANNA, id, dawidsCode)).toEqual({ ok: false, reason: "wrong_code", attemptsLeft: 4 });
    expect(await confirmationOf(id, ANNA)).toMatchObject({ failedAttempts: 1, decision: null });
    expect(await confirmationOf(id, DAWID)).toMatchObject({ failedAttempts: 0, decision: null });
    expect((await requestRow(db, id)).state).toBe("pending");

    // It still works for Dawid.
    expect(await answer(DAWID, id, dawidsCode)).toEqual({
      ok: true,
      outcome: "waiting",
      waitingFor: [refOf(ANNA)],
    });
  });

  it("a code of another request does not work on this one", async () => {
    const id = await annaReplacesTech();
    const other = await askOne(db, ANNA, "shop.example.pl", { tech: DAWID });
    expect(await answer(DAWID, id, await codeFor(db, other, DAWID))).toEqual({
      ok: false,
      reason: "wrong_code",
      attemptsLeft: 4,
    });
    expect(await confirmationOf(other, DAWID)).toMatchObject({ failedAttempts: 0, decision: null });
  });
});

describe("who may answer", () => {
  it("an account that is no party to the request is told it does not exist, even with a valid code", async () => {
    const id = await annaReplacesTech();
    const code = await codeFor(db, id, DAWID);
    await expectNoEffect(FILIP, id, code, { ok: false, reason: "not_found" });
    // Celina is a contact of the service, but not of this request.
    await expectNoEffect(CELINA, id, code, { ok: false, reason: "not_found" });
  });

  it("a request that does not exist is not found", async () => {
    await expectNoEffect(ANNA, 999_999, "whatever", { ok: false, reason: "not_found" });
  });

  it("the old contact is a party but no confirmer, and a confirmer's code does not change that", async () => {
    const id = await annaReplacesTech();
    await expectNoEffect(BARTOSZ, id, await codeFor(db, id, DAWID), { ok: false, reason: "not_a_confirmer" });
    await expectNoEffect(BARTOSZ, id, "anything", { ok: false, reason: "not_a_confirmer" });
  });

  it("the service's administrator who did not ask is no confirmer", async () => {
    // Bartosz hands his tech contact over: he and Dawid confirm, not Anna.
    const id = await askOne(db, BARTOSZ, "example.pl", { tech: DAWID });
    await expectNoEffect(ANNA, id, await codeFor(db, id, BARTOSZ), { ok: false, reason: "not_a_confirmer" });
  });
});

describe("an expired request", () => {
  it("still takes answers a millisecond before its deadline", async () => {
    const id = await annaReplacesTech();
    expect(await answerWithOwnCode(ANNA, id, "accepted", at(14 * DAY - 1))).toMatchObject({
      ok: true,
      outcome: "waiting",
    });
  });

  it("refuses an answer from its deadline on and records the expiry, telling everyone", async () => {
    const id = await annaReplacesTech();
    const deadline = at(14 * DAY);
    expect((await requestRow(db, id)).expiresAt).toEqual(deadline);
    // Read before the expiry is recorded: an ended request's codes are erased from the outbox.
    const annasCode = await codeFor(db, id, ANNA);

    expect(await answerWithOwnCode(DAWID, id, "accepted", deadline)).toEqual({
      ok: false,
      reason: "expired",
    });

    expect(await requestRow(db, id)).toMatchObject({ state: "expired", endedAt: deadline, endReason: null });
    expect(await confirmationOf(id, DAWID)).toMatchObject({ decision: null, failedAttempts: 0 });
    expect(await contactsOf(db, "example.pl")).toEqual(EXAMPLE);
    expect((await eventsOf(db, id)).map(([kind, actor, , when]) => [kind, actor, when])).toEqual([
      ["created", ANNA, T0],
      ["expired", null, deadline],
    ]);
    expect(
      (await endedMailsOf(db, id)).map(([address, language, , outcome]) => [address, language, outcome]),
    ).toEqual([
      ["anna@example.test", "en", "expired"],
      ["bartosz@example.test", "pl", "expired"],
      ["dawid@example.test", "pl", "expired"],
    ]);

    // Recorded once: a later answer, even a wrong code, changes nothing more.
    const before = await snapshot(db);
    expect(await answer(ANNA, id, annasCode, "accepted", at(15 * DAY))).toEqual({
      ok: false,
      reason: "expired",
    });
    expect(await answer(ANNA, id, "not-the-code", "accepted", at(15 * DAY))).toEqual({
      ok: false,
      reason: "expired",
    });
    expect(await snapshot(db)).toEqual(before);
  });
});

describe("an ended request", () => {
  it("done: a further answer is not pending", async () => {
    // Anna takes billing back alone.
    const id = await askOne(db, ANNA, "example.pl", { billing: ANNA });
    const code = await codeFor(db, id, ANNA);
    expect(await answer(ANNA, id, code)).toEqual({ ok: true, outcome: "done" });
    await expectNoEffect(ANNA, id, code, { ok: false, reason: "not_pending", state: "done" });
  });

  it("refused: the other confirmer is not pending", async () => {
    const id = await annaReplacesTech();
    const annasCode = await codeFor(db, id, ANNA);
    expect(await answerWithOwnCode(DAWID, id, "refused")).toEqual({ ok: true, outcome: "refused" });
    await expectNoEffect(ANNA, id, annasCode, { ok: false, reason: "not_pending", state: "refused" });
  });

  it("cancelled: an answer is not pending, and a wrong code is not counted", async () => {
    const id = await annaReplacesTech();
    const dawidsCode = await codeFor(db, id, DAWID);
    expect(
      await cancelRequest(db, { requestId: id, actorId: await accountIdOf(db, ANNA), now: at(HOUR) }),
    ).toEqual({
      ok: true,
    });
    await expectNoEffect(DAWID, id, dawidsCode, {
      ok: false,
      reason: "not_pending",
      state: "cancelled",
    });
    await expectNoEffect(DAWID, id, "not-the-code", { ok: false, reason: "not_pending", state: "cancelled" });
  });
});

describe("the change is re-checked when it is applied", () => {
  it("the old contact changed meanwhile: the last acceptance cancels the request and leaves the service", async () => {
    const id = await annaReplacesTech();
    expect(await answerWithOwnCode(ANNA, id, "accepted", at(HOUR))).toMatchObject({ outcome: "waiting" });
    await setContact(db, "example.pl", "tech", EWA);

    expect(await answerWithOwnCode(DAWID, id, "accepted", at(2 * HOUR))).toEqual({
      ok: true,
      outcome: "cancelled",
      reason: "old_contact_changed",
    });

    expect(await contactsOf(db, "example.pl")).toEqual({ admin: ANNA, tech: EWA, billing: CELINA });
    expect(await requestRow(db, id)).toMatchObject({
      state: "cancelled",
      endReason: "old_contact_changed",
      endedAt: at(2 * HOUR),
    });
    expect((await eventsOf(db, id)).slice(1)).toEqual([
      ["accepted", ANNA, null, at(HOUR)],
      ["accepted", DAWID, null, at(2 * HOUR)],
      ["cancelled", null, { reason: "old_contact_changed" }, at(2 * HOUR)],
    ]);
    expect(await endedMailsOf(db, id)).toEqual([
      [
        "anna@example.test",
        "en",
        `Contact change request ${id} for example.pl was cancelled`,
        "cancelled",
        "old_contact_changed",
        null,
      ],
      [
        "bartosz@example.test",
        "pl",
        `Zlecenie nr ${id} dla usługi example.pl zostało anulowane`,
        "cancelled",
        "old_contact_changed",
        null,
      ],
      [
        "dawid@example.test",
        "pl",
        `Zlecenie nr ${id} dla usługi example.pl zostało anulowane`,
        "cancelled",
        "old_contact_changed",
        null,
      ],
    ]);
  });

  for (const behind of [
    { who: "new", customerId: DAWID },
    { who: "old", customerId: CELINA },
  ]) {
    it(`the ${behind.who} billing contact fell behind with payments: cancelled without saying who`, async () => {
      const id = await askOne(db, ANNA, "example.pl", { billing: DAWID });
      // Issued after the request, due after Dawid accepted and before Anna's last acceptance.
      await addInvoice(db, behind.customerId, at(DAY));
      expect(await answerWithOwnCode(DAWID, id, "accepted", at(HOUR))).toMatchObject({ outcome: "waiting" });

      expect(await answerWithOwnCode(ANNA, id, "accepted", at(2 * DAY))).toEqual({
        ok: true,
        outcome: "cancelled",
        reason: "billing_payments_overdue",
      });

      expect(await contactsOf(db, "example.pl")).toEqual(EXAMPLE);
      expect(await requestRow(db, id)).toMatchObject({
        state: "cancelled",
        endReason: "billing_payments_overdue",
      });
      expect((await eventsOf(db, id)).at(-1)).toEqual([
        "cancelled",
        null,
        { reason: "billing_payments_overdue" },
        at(2 * DAY),
      ]);
      expect(
        (await endedMailsOf(db, id)).map(([address, , , outcome, reason]) => [address, outcome, reason]),
      ).toEqual([
        ["anna@example.test", "cancelled", "billing_payments_overdue"],
        ["celina@example.test", "cancelled", "billing_payments_overdue"],
        ["dawid@example.test", "cancelled", "billing_payments_overdue"],
      ]);
    });
  }

  it("an invoice not yet due or paid at the last acceptance does not block a billing change", async () => {
    const id = await askOne(db, ANNA, "example.pl", { billing: DAWID });
    await addInvoice(db, DAWID, at(3 * DAY));
    await addInvoice(db, CELINA, at(DAY), at(DAY - HOUR));
    expect(await answerWithOwnCode(ANNA, id, "accepted", at(HOUR))).toMatchObject({ outcome: "waiting" });
    expect(await answerWithOwnCode(DAWID, id, "accepted", at(2 * DAY))).toEqual({
      ok: true,
      outcome: "done",
    });
    expect(await contactsOf(db, "example.pl")).toEqual({ admin: ANNA, tech: BARTOSZ, billing: DAWID });
  });

  it("an overdue invoice does not block a technical change", async () => {
    const id = await annaReplacesTech();
    await addInvoice(db, DAWID, at(DAY));
    await addInvoice(db, BARTOSZ, at(DAY));
    expect(await answerWithOwnCode(ANNA, id, "accepted", at(2 * DAY))).toMatchObject({ outcome: "waiting" });
    expect(await answerWithOwnCode(DAWID, id, "accepted", at(2 * DAY))).toEqual({
      ok: true,
      outcome: "done",
    });
  });

  it("applying a request cancels the service's other pending requests whose old contact lost the role", async () => {
    // Two pending requests of one service never share a contact type, and applying one changes
    // only its own types, so no sequence of requests alone can leave another request's old
    // contact stale. It takes a change outside the request flow (an operator's tool, as
    // setContact does here): billing request B goes stale, and applying tech request A sweeps it.
    const billingRequest = await askOne(db, ANNA, "example.pl", { billing: DAWID }, T0);
    const adminRequest = await askOne(db, ANNA, "example.pl", { admin: EWA }, T0);
    const techRequest = await annaReplacesTech();
    await setContact(db, "example.pl", "billing", FILIP);

    expect(await answerWithOwnCode(ANNA, techRequest, "accepted", at(HOUR))).toMatchObject({
      outcome: "waiting",
    });
    expect(await answerWithOwnCode(DAWID, techRequest, "accepted", at(2 * HOUR))).toEqual({
      ok: true,
      outcome: "done",
    });

    expect(await contactsOf(db, "example.pl")).toEqual({ admin: ANNA, tech: DAWID, billing: FILIP });
    expect(await requestRow(db, billingRequest)).toMatchObject({
      state: "cancelled",
      endReason: "old_contact_changed",
      endedAt: at(2 * HOUR),
    });
    expect((await eventsOf(db, billingRequest)).at(-1)).toEqual([
      "cancelled",
      null,
      { reason: "old_contact_changed" },
      at(2 * HOUR),
    ]);
    expect(
      (await endedMailsOf(db, billingRequest)).map(([address, , , outcome, reason]) => [
        address,
        outcome,
        reason,
      ]),
    ).toEqual([
      ["anna@example.test", "cancelled", "old_contact_changed"],
      ["celina@example.test", "cancelled", "old_contact_changed"],
      ["dawid@example.test", "cancelled", "old_contact_changed"],
    ]);
    // Anna still holds the administrative contact: her request to hand it over stays pending.
    expect(await requestRow(db, adminRequest)).toMatchObject({ state: "pending", endReason: null });
    expect(await mailsOf(db, adminRequest, "request-ended")).toEqual([]);
  });

  it("applying a request cancels the other pending requests whose requester lost the role to ask", async () => {
    // Anna hands admin to Celina (A) while her tech Bartosz → Dawid (B) is pending: once A applies,
    // Anna is no longer the administrator, and B must not apply on her word.
    const handOver = await askOne(db, ANNA, "example.pl", { admin: CELINA });
    const techRequest = await annaReplacesTech();
    const dawidsCode = await codeFor(db, techRequest, DAWID);
    expect(await answerWithOwnCode(ANNA, handOver)).toMatchObject({ outcome: "waiting" });
    expect(await answerWithOwnCode(CELINA, handOver)).toEqual({ ok: true, outcome: "done" });
    expect(await contactsOf(db, "example.pl")).toEqual({ admin: CELINA, tech: BARTOSZ, billing: CELINA });
    expect(await requestRow(db, techRequest)).toMatchObject({
      state: "cancelled",
      endReason: "requester_no_longer_allowed",
    });
    expect(await answer(DAWID, techRequest, dawidsCode)).toMatchObject({ ok: false, reason: "not_pending" });
    expect(await contactsOf(db, "example.pl")).toEqual({ admin: CELINA, tech: BARTOSZ, billing: CELINA });
  });

  it("a request whose requester lost the role before the last confirmation ends cancelled, not applied", async () => {
    const techRequest = await annaReplacesTech();
    expect(await answerWithOwnCode(ANNA, techRequest)).toMatchObject({ outcome: "waiting" });
    // Anna stops being the administrator by other means (an operator's tool) before Dawid answers.
    await setContact(db, "example.pl", "admin", CELINA);
    expect(await answerWithOwnCode(DAWID, techRequest)).toEqual({
      ok: true,
      outcome: "cancelled",
      reason: "requester_no_longer_allowed",
    });
    expect((await contactsOf(db, "example.pl")).tech).toBe(BARTOSZ);
  });
});

describe("a new billing contact behind with payments is checked when they accept, and told alone", () => {
  /** Ewa has an invoice 20 days overdue; Anna (admin) proposes her as billing contact of example.pl. */
  async function annaProposesEwaBehindForBilling(): Promise<number> {
    await addInvoice(db, EWA, at(-20 * DAY));
    return askOne(db, ANNA, "example.pl", { billing: EWA });
  }

  it("an asker proposing an account behind with payments gets the request registered, learning nothing", async () => {
    await addInvoice(db, EWA, at(-20 * DAY));
    expect(await ask(db, ANNA, "example.pl", { billing: EWA })).toEqual([
      expect.objectContaining({
        contactTypes: ["billing"],
        newContact: expect.objectContaining(refOf(EWA)),
        confirmers: [expect.objectContaining(refOf(ANNA)), expect.objectContaining(refOf(EWA))],
      }),
    ]);
  });

  it("the new contact's acceptance is refused: the code is not spent, no attempt counted, nothing written", async () => {
    const id = await annaProposesEwaBehindForBilling();
    await expectNoEffect(EWA, id, await codeFor(db, id, EWA), { ok: false, reason: "payments_overdue" });
    expect(await confirmationOf(id, EWA)).toMatchObject({
      decision: null,
      decidedAt: null,
      failedAttempts: 0,
    });
    expect(await requestRow(db, id)).toMatchObject({ state: "pending", endReason: null });
    expect(await contactsOf(db, "example.pl")).toEqual(EXAMPLE);
  });

  it("trying again and again while behind never locks the code", async () => {
    const id = await annaProposesEwaBehindForBilling();
    for (let attempt = 0; attempt < 7; attempt += 1) {
      expect(await answerWithOwnCode(EWA, id)).toEqual({ ok: false, reason: "payments_overdue" });
    }
    expect(await confirmationOf(id, EWA)).toMatchObject({ decision: null, failedAttempts: 0 });
  });

  it("the asker sees only that the request still waits for the new contact", async () => {
    const id = await annaProposesEwaBehindForBilling();
    expect(await answerWithOwnCode(EWA, id)).toEqual({ ok: false, reason: "payments_overdue" });
    expect(await answerWithOwnCode(ANNA, id, "accepted", at(2 * HOUR))).toEqual({
      ok: true,
      outcome: "waiting",
      waitingFor: [refOf(EWA)],
    });
    expect((await eventsOf(db, id)).map(([kind, actor]) => [kind, actor])).toEqual([
      ["created", ANNA],
      ["accepted", ANNA],
    ]);
    expect(await mailsOf(db, id, "request-ended")).toEqual([]);
  });

  it("the new contact can still refuse, which ends the request refused as any refusal does", async () => {
    const id = await annaProposesEwaBehindForBilling();
    expect(await answerWithOwnCode(EWA, id, "refused")).toEqual({ ok: true, outcome: "refused" });
    expect(await requestRow(db, id)).toMatchObject({ state: "refused" });
    expect(await contactsOf(db, "example.pl")).toEqual(EXAMPLE);
    expect(
      (await endedMailsOf(db, id)).map(([address, , , outcome, reason]) => [address, outcome, reason]),
    ).toEqual([
      ["anna@example.test", "refused", null],
      ["celina@example.test", "refused", null],
      ["ewa@example.test", "refused", null],
    ]);
  });

  it("once the invoice is paid, the same code accepts and the change applies", async () => {
    const id = await annaProposesEwaBehindForBilling();
    expect(await answerWithOwnCode(ANNA, id, "accepted", at(HOUR))).toMatchObject({ outcome: "waiting" });
    expect(await answerWithOwnCode(EWA, id, "accepted", at(2 * HOUR))).toEqual({
      ok: false,
      reason: "payments_overdue",
    });
    await payInvoices(db, EWA, at(DAY));
    expect(await answerWithOwnCode(EWA, id, "accepted", at(DAY + HOUR))).toEqual({
      ok: true,
      outcome: "done",
    });
    expect(await contactsOf(db, "example.pl")).toEqual({ admin: ANNA, tech: BARTOSZ, billing: EWA });
  });

  it("an account behind with payments may still become the technical contact", async () => {
    await addInvoice(db, EWA, at(-20 * DAY));
    const id = await askOne(db, ANNA, "example.pl", { tech: EWA });
    expect(await answerWithOwnCode(EWA, id)).toMatchObject({ ok: true, outcome: "waiting" });
  });
});

describe("concurrent answers, each from its own worker thread and database connection", () => {
  const WORKERS = 10;
  let workers: AnswerWorkers;
  let tempDirs: string[] = [];

  // Loading the app's modules through tsx in every worker takes tens of seconds on a busy machine.
  beforeAll(async () => {
    workers = await startAnswerWorkers(WORKERS);
  }, 120_000);
  afterAll(async () => {
    await workers?.terminate();
  });
  afterEach(() => {
    for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
    tempDirs = [];
  });

  /**
   * Replaces the test's database with one the workers can open too (a file on SQLite) and
   * returns where they find it.
   */
  async function openSharedDb(): Promise<string> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "answer-request-"));
    tempDirs.push(dir);
    await db.close();
    db = await openTestDb(path.join(dir, "app.db"));
    return db.location;
  }

  async function attempt(
    customerId: string,
    requestId: number,
    token: string,
    decision: Decision,
  ): Promise<AnswerAttempt> {
    return {
      requestId,
      actorId: await accountIdOf(db, customerId),
      token,
      decision,
      now: at(HOUR).toISOString(),
    };
  }

  it("of 50 uses of one code at the same moment, exactly one is taken", async () => {
    const location = await openSharedDb();
    const id = await annaReplacesTech();
    const code = await codeFor(db, id, ANNA);

    const results = await workers.race(
      location,
      await Promise.all(Array.from({ length: 50 }, () => attempt(ANNA, id, code, "accepted"))),
    );

    expect(results).toHaveLength(50);
    const taken = results.filter((result) => result.ok);
    expect(taken).toEqual([{ ok: true, outcome: "waiting", waitingFor: [refOf(DAWID)] }]);
    expect(results.filter((result) => !result.ok)).toEqual(
      Array.from({ length: 49 }, () => ({ ok: false, reason: "already_answered", decision: "accepted" })),
    );
    expect((await eventsOf(db, id)).map(([kind, actor]) => [kind, actor])).toEqual([
      ["created", ANNA],
      ["accepted", ANNA],
    ]);
    expect(await confirmationOf(id, ANNA)).toMatchObject({ decision: "accepted", failedAttempts: 0 });
    expect((await requestRow(db, id)).state).toBe("pending");
  });

  it("of 50 accepts and refusals with one code at the same moment, only the first one counts", async () => {
    const location = await openSharedDb();
    const id = await annaReplacesTech();
    const code = await codeFor(db, id, ANNA);

    const results = await workers.race(
      location,
      await Promise.all(
        Array.from({ length: 50 }, (_, i) => attempt(ANNA, id, code, i % 2 === 0 ? "accepted" : "refused")),
      ),
    );

    const taken = results.filter((result) => result.ok);
    expect(taken).toHaveLength(1);
    const decision = (await confirmationOf(id, ANNA)).decision;
    // The winner's answer is the one stored; everyone else lost against it.
    const lost: AnswerRequestResult =
      decision === "accepted"
        ? { ok: false, reason: "already_answered", decision: "accepted" }
        : { ok: false, reason: "not_pending", state: "refused" };
    expect(taken[0]).toEqual(
      decision === "accepted"
        ? { ok: true, outcome: "waiting", waitingFor: [refOf(DAWID)] }
        : { ok: true, outcome: "refused" },
    );
    expect(results.filter((result) => !result.ok)).toEqual(Array.from({ length: 49 }, () => lost));
    expect((await eventsOf(db, id)).map(([kind]) => kind)).toEqual(["created", decision as string]);
    expect((await requestRow(db, id)).state).toBe(decision === "accepted" ? "pending" : "refused");
    expect(await mailsOf(db, id, "request-ended")).toHaveLength(decision === "accepted" ? 0 : 3);
  });

  it("both confirmers accepting at the same moment apply the change exactly once", async () => {
    for (let round = 0; round < 5; round += 1) {
      const location = await openSharedDb();
      const id = await annaReplacesTech();

      const results = await workers.race(location, [
        await attempt(ANNA, id, await codeFor(db, id, ANNA), "accepted"),
        await attempt(DAWID, id, await codeFor(db, id, DAWID), "accepted"),
      ]);

      // Whoever came second saw the first acceptance and applied the change.
      expect(results.map((result) => result.ok && result.outcome).sort()).toEqual(["done", "waiting"]);
      expect(await contactsOf(db, "example.pl")).toEqual({ admin: ANNA, tech: DAWID, billing: CELINA });
      expect((await requestRow(db, id)).state).toBe("done");
      expect((await eventsOf(db, id)).map(([kind]) => kind).sort()).toEqual([
        "accepted",
        "accepted",
        "created",
        "done",
      ]);
      expect((await endedMailsOf(db, id)).map(([address, , , outcome]) => [address, outcome])).toEqual([
        ["anna@example.test", "done"],
        ["bartosz@example.test", "done"],
        ["dawid@example.test", "done"],
      ]);
    }
  });
});
