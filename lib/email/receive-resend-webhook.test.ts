import { eq } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { accounts, inboundWebhookMessages } from "@/db/schema";
import { openTestDb } from "@/db/testing";
import { createAccount } from "@/lib/profile/testing/profile-fixtures";
import { readResendEvent } from "./read-resend-event";
import { receiveResendWebhook } from "./receive-resend-webhook";

const SECRET = `whsec_${Buffer.from("resend-webhook-test-secret-32by").toString("base64")}`;
const OTHER_SECRET = `whsec_${Buffer.from("someone-else-s-secret-of-32bytes").toString("base64")}`;
const NOW = new Date("2026-03-01T09:00:00.000Z");

let db: Db;
beforeEach(async () => {
  db = await openTestDb();
});
afterEach(async () => {
  await db.close();
});

let sequence = 0;

/** A Resend event body as its webhooks send it (https://resend.com/docs/webhooks). */
function eventBody(type: string, to: string[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    type,
    created_at: "2026-03-01T08:59:58.000Z",
    data: {
      email_id: "56761188-7520-42d8-8898-ff6fc54ce618",
      from: "Service Contacts <noreply@example.test>",
      to,
      subject: "Confirm the contact change",
      created_at: "2026-03-01T08:59:50.000Z",
      ...extra,
    },
  });
}

/** The svix headers Resend would send with `body`, signed at `signedAt` (default: now). */
function signed(body: string, options: { id?: string; signedAt?: Date; secret?: string } = {}) {
  sequence += 1;
  const id = options.id ?? `msg_test${sequence}`;
  const signature = new Webhook(options.secret ?? SECRET).sign(id, options.signedAt ?? new Date(), body);
  return { id, timestamp: String(Math.floor((options.signedAt ?? new Date()).getTime() / 1000)), signature };
}

const receive = (body: string, headers = signed(body)) =>
  receiveResendWebhook(db, { secret: SECRET, headers, body, now: NOW });

async function markOf(accountId: number) {
  const [row] = await db.read
    .select({ kind: accounts.emailUndeliverable, at: accounts.emailUndeliverableAt })
    .from(accounts)
    .where(eq(accounts.id, accountId));
  return row;
}

const storedMessages = () => db.read.select().from(inboundWebhookMessages);

const bounced = { bounce: { type: "Permanent", subType: "General", message: "The mailbox does not exist." } };

describe("receiveResendWebhook: what it marks", () => {
  it("a hard bounce marks the account whose current address it was sent to, and no other", async () => {
    const paula = await createAccount(db);
    const other = await createAccount(db);
    const result = await receive(eventBody("email.bounced", [paula.email], bounced));
    expect(result).toEqual({ ok: true, outcome: "marked", marked: 1 });
    expect(await markOf(paula.id)).toEqual({ kind: "bounced", at: NOW });
    expect(await markOf(other.id)).toEqual({ kind: null, at: null });
  });

  it("a spam complaint marks the address as complained", async () => {
    const paula = await createAccount(db);
    expect(await receive(eventBody("email.complained", [paula.email]))).toMatchObject({ marked: 1 });
    expect(await markOf(paula.id)).toEqual({ kind: "complained", at: NOW });
  });

  it("matches recipients whatever their case, and in the `Name <address>` form", async () => {
    const paula = await createAccount(db, { email: "paula.case@example.test" });
    const rita = await createAccount(db, { email: "rita.named@example.test" });
    const body = eventBody("email.bounced", ["Paula.CASE@Example.TEST", "Rita <RITA.named@example.test>"]);
    expect(await receive(body)).toEqual({ ok: true, outcome: "marked", marked: 2 });
    expect((await markOf(paula.id))?.kind).toBe("bounced");
    expect((await markOf(rita.id))?.kind).toBe("bounced");
  });

  it("an address no account holds (any more) marks nobody, and is still acknowledged", async () => {
    const paula = await createAccount(db);
    const result = await receive(eventBody("email.bounced", ["gone@example.test"], bounced));
    expect(result).toEqual({ ok: true, outcome: "marked", marked: 0 });
    expect(await markOf(paula.id)).toEqual({ kind: null, at: null });
  });

  it("a message Resend sends again (same svix-id) is taken once", async () => {
    const paula = await createAccount(db);
    const body = eventBody("email.bounced", [paula.email], bounced);
    const headers = signed(body, { id: "msg_retried" });
    expect(await receive(body, headers)).toMatchObject({ outcome: "marked", marked: 1 });
    // Cleared meanwhile (a new address would do it): the retry must not mark again.
    await db.transaction((tx) =>
      tx.update(accounts).set({ emailUndeliverable: null, emailUndeliverableAt: null }),
    );
    expect(await receive(body, signed(body, { id: "msg_retried" }))).toEqual({
      ok: true,
      outcome: "duplicate",
    });
    expect(await markOf(paula.id)).toEqual({ kind: null, at: null });
    expect(await storedMessages()).toEqual([
      { messageId: "msg_retried", source: "resend", type: "email.bounced", receivedAt: NOW },
    ]);
  });

  it.each(["email.sent", "email.delivered", "email.delivery_delayed", "email.opened", "contact.created"])(
    "a %s event is acknowledged, changes nothing and is not stored",
    async (type) => {
      const paula = await createAccount(db);
      await db.transaction((tx) =>
        tx.update(accounts).set({ emailUndeliverable: "bounced", emailUndeliverableAt: NOW }),
      );
      expect(await receive(eventBody(type, [paula.email]))).toEqual({ ok: true, outcome: "ignored" });
      // A delivery does not clear a mark either: only a new, confirmed address does.
      expect(await markOf(paula.id)).toEqual({ kind: "bounced", at: NOW });
      expect(await storedMessages()).toEqual([]);
    },
  );

  it("a soft (transient) bounce marks nothing", async () => {
    const paula = await createAccount(db);
    const body = eventBody("email.bounced", [paula.email], { bounce: { type: "Transient" } });
    expect(await receive(body)).toEqual({ ok: true, outcome: "ignored" });
    expect(await markOf(paula.id)).toEqual({ kind: null, at: null });
  });
});

describe("receiveResendWebhook: what it refuses, changing nothing", () => {
  const ADDRESS = "refused@example.test";
  let paula: { id: number };
  beforeEach(async () => {
    paula = await createAccount(db, { email: ADDRESS });
  });

  async function expectRefused(
    body: string,
    headers: { id?: string; timestamp?: string; signature?: string },
    reason: "bad_signature" | "malformed",
    message: RegExp,
  ) {
    const result = await receiveResendWebhook(db, {
      secret: SECRET,
      headers: { id: headers.id, timestamp: headers.timestamp, signature: headers.signature },
      body,
      now: NOW,
    });
    expect(result).toMatchObject({ ok: false, reason });
    expect(result.ok === false && result.message).toMatch(message);
    expect(await markOf(paula.id)).toEqual({ kind: null, at: null });
    expect(await storedMessages()).toEqual([]);
  }

  const body = eventBody("email.bounced", [ADDRESS], bounced);

  it("takes the same webhook when it is rightly signed (the refusals below differ in one thing)", async () => {
    expect(await receive(body, signed(body))).toMatchObject({ ok: true, marked: 1 });
  });

  it("a body signed with another secret", async () => {
    await expectRefused(
      body,
      signed(body, { secret: OTHER_SECRET }),
      "bad_signature",
      /No matching signature/,
    );
  });

  it("a body changed after signing", async () => {
    const headers = signed(eventBody("email.delivered", [ADDRESS]));
    await expectRefused(body, headers, "bad_signature", /No matching signature/);
  });

  it("a signature older than five minutes (a captured delivery replayed)", async () => {
    const headers = signed(body, { signedAt: new Date(Date.now() - 6 * 60_000) });
    await expectRefused(body, headers, "bad_signature", /too old/);
  });

  it("a timestamp from the future", async () => {
    const headers = signed(body, { signedAt: new Date(Date.now() + 6 * 60_000) });
    await expectRefused(body, headers, "bad_signature", /too new/);
  });

  it.each(["id", "timestamp", "signature"] as const)("a missing svix-%s header", async (missing) => {
    const headers: Record<string, string | undefined> = { ...signed(body) };
    headers[missing] = undefined;
    await expectRefused(body, headers, "bad_signature", /headers are required/);
  });

  it("a timestamp that is no number, and oversized headers", async () => {
    await expectRefused(body, { ...signed(body), timestamp: "yesterday" }, "bad_signature", /Invalid/);
    const longId = "m".repeat(201);
    await expectRefused(body, signed(body, { id: longId }), "bad_signature", /too long/);
  });

  it("a signed body that is not JSON, or a marking event without recipients", async () => {
    const notJson = "{not json";
    await expectRefused(notJson, signed(notJson), "malformed", /not valid JSON/);
    const noType = JSON.stringify({ data: { to: [ADDRESS] } });
    await expectRefused(noType, signed(noType), "malformed", /no event type/);
    const noRecipients = JSON.stringify({ type: "email.bounced", data: { email_id: "x" } });
    await expectRefused(noRecipients, signed(noRecipients), "malformed", /no list of recipients/);
  });
});

describe("readResendEvent", () => {
  it("keeps each recipient once, in lower case", () => {
    expect(readResendEvent(eventBody("email.complained", ["A@x.test", "a@X.test", "B <b@x.test>"]))).toEqual({
      kind: "undeliverable",
      type: "email.complained",
      mark: "complained",
      addresses: ["a@x.test", "b@x.test"],
    });
  });

  it("refuses more recipients than Resend sends", () => {
    const many = Array.from({ length: 51 }, (_, i) => `r${i}@x.test`);
    expect(readResendEvent(eventBody("email.bounced", many))).toMatchObject({ kind: "malformed" });
  });

  it("does not take an inherited property name for an event type", () => {
    expect(readResendEvent(JSON.stringify({ type: "constructor", data: { to: ["a@x.test"] } }))).toEqual({
      kind: "ignored",
      type: "constructor",
    });
  });
});
