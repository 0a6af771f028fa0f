import http from "node:http";
import type { AddressInfo } from "node:net";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Db } from "@/db/client";
import { type OutboxMessage, outbox } from "@/db/schema";
import { openTestDb } from "@/db/testing";
import { enqueueEmail } from "./enqueue-email";
import {
  kickOutboxSender,
  OUTBOX_LOCK_MS,
  OUTBOX_MAX_ATTEMPTS,
  retryDelayMs,
  sendDueEmails,
  startOutboxSender,
} from "./outbox-sender";
import { SCRUBBED, scrubSecrets } from "./scrub-secrets";
import { createResendTransport, type EmailTransport, MAILBOX_TRANSPORT } from "./send-email";
import { changeRequestProps } from "./testing/email-fixtures";
import { type FakeResend, resendError, startFakeResend } from "./testing/fake-resend-server";

const T0 = new Date("2026-01-01T10:00:00.000Z");
const at = (ms: number) => new Date(T0.getTime() + ms);
const HOUR = 3_600_000;

let db: Db;
let resend: FakeResend;

beforeEach(async () => {
  db = await openTestDb();
  resend = await startFakeResend();
  vi.stubEnv("RESEND_API_KEY", "re_test_key");
  vi.stubEnv("RESEND_BASE_URL", resend.baseUrl);
  vi.stubEnv("EMAIL_FROM", "");
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await resend.close();
  await db.close();
});

function enqueue(overrides: { to?: string; code?: string } = {}) {
  return db.transaction((tx) =>
    enqueueEmail(tx, {
      to: overrides.to ?? "dawid@example.test",
      language: "en",
      template: "change-request",
      props: changeRequestProps(overrides.code ? { code: overrides.code } : {}),
      now: T0,
    }),
  );
}

/** The ids of `count` e-mails enqueued one after another, to user0@, user1@… */
async function enqueueMany(count: number): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < count; i++) ids.push((await enqueue({ to: `user${i}@example.test` })).id);
  return ids;
}

async function row(id: number): Promise<OutboxMessage> {
  const [found] = await db.read.select().from(outbox).where(eq(outbox.id, id));
  if (!found) throw new Error(`no outbox row ${id}`);
  return found;
}

describe("sendDueEmails through Resend", () => {
  it("sends the rendered e-mail with the row's idempotency key, then records it as sent", async () => {
    const { id, idempotencyKey } = await enqueue();
    const result = await sendDueEmails(db, { now: T0 });
    expect(result).toMatchObject({ claimed: 1, sent: 1, retried: 0, failed: 0 });
    expect(resend.received).toHaveLength(1);
    const [request] = resend.received;
    expect(request?.idempotencyKey).toBe(idempotencyKey);
    expect(request?.authorization).toBe("Bearer re_test_key");
    expect(request?.body).toMatchObject({
      from: "Service Contacts <contacts@example.test>",
      to: "dawid@example.test",
      subject: "Confirm or refuse the contact change for example.pl (request 17)",
    });
    expect(request?.body.html).toContain("Confirm or refuse the request");
    expect(request?.body.text).toContain(changeRequestProps().code);
    expect(await row(id)).toMatchObject({
      status: "sent",
      sentAt: T0,
      providerMessageId: "fake-1",
      attempts: 1,
      lockedUntil: null,
      lastError: null,
    });
  });

  it("uses EMAIL_FROM as the sender address", async () => {
    vi.stubEnv("EMAIL_FROM", "Panel <panel@example.test>");
    await enqueue();
    await sendDueEmails(db, { now: T0 });
    expect(resend.received[0]?.body.from).toBe("Panel <panel@example.test>");
  });

  it("after a 500, retries later with the same Idempotency-Key and delivers exactly once", async () => {
    resend.reply(resendError(500, "internal_server_error"));
    const { id, idempotencyKey } = await enqueue();

    expect(await sendDueEmails(db, { now: T0 })).toMatchObject({ claimed: 1, retried: 1 });
    const afterFailure = await row(id);
    expect(afterFailure).toMatchObject({ status: "pending", attempts: 1, lockedUntil: null });
    expect(afterFailure.lastError).toContain("500");
    expect(afterFailure.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(at(30_000).getTime());

    // Not due yet: nothing is sent before the backoff has passed.
    expect(await sendDueEmails(db, { now: at(1_000) })).toMatchObject({ claimed: 0 });
    expect(resend.received).toHaveLength(1);

    expect(await sendDueEmails(db, { now: at(HOUR) })).toMatchObject({ claimed: 1, sent: 1 });
    expect(resend.received.map((r) => r.idempotencyKey)).toEqual([idempotencyKey, idempotencyKey]);
    expect(resend.deliveries.get(idempotencyKey)).toBe(1);
    expect(await row(id)).toMatchObject({ status: "sent", attempts: 2, providerMessageId: "fake-1" });

    expect(await sendDueEmails(db, { now: at(2 * HOUR) })).toMatchObject({ claimed: 0 });
    expect(resend.received).toHaveLength(2);
  });

  it("when the answer to a delivered send is lost, the retry does not deliver it twice", async () => {
    resend.reply({ kind: "deliver-then-drop" });
    const { id, idempotencyKey } = await enqueue();
    expect(await sendDueEmails(db, { now: T0 })).toMatchObject({ retried: 1 });
    expect(await sendDueEmails(db, { now: at(HOUR) })).toMatchObject({ sent: 1 });
    expect(resend.received).toHaveLength(2);
    expect(resend.deliveries.get(idempotencyKey)).toBe(1);
    expect((await row(id)).status).toBe("sent");
  });

  it("after a 429, retries later and pauses the run instead of spending attempts on the other e-mails", async () => {
    const first = await enqueue({ to: "first@example.test" });
    const second = await enqueue({ to: "second@example.test" });
    resend.reply(resendError(429, "rate_limit_exceeded", "Too many requests"));

    const run = await sendDueEmails(db, { now: T0 });
    expect(run).toMatchObject({ claimed: 1, retried: 1, isRateLimited: true, hasMore: true });
    expect(resend.received).toHaveLength(1);
    const retried = await row(first.id);
    expect(retried).toMatchObject({ status: "pending", attempts: 1 });
    expect(retried.lastError).toBe("429 rate_limit_exceeded: Too many requests");
    expect(retried.nextAttemptAt.getTime()).toBeGreaterThan(T0.getTime());
    expect(await row(second.id)).toMatchObject({ status: "pending", attempts: 0 });
  });

  it("backs off exponentially after each 429 and honours Retry-After", async () => {
    const { id } = await enqueue();
    const delays: number[] = [];
    let now = T0;
    for (const headers of [undefined, undefined, { "retry-after": "600" }]) {
      resend.reply({ ...resendError(429, "rate_limit_exceeded"), ...(headers ? { headers } : {}) });
      await sendDueEmails(db, { now });
      const next = (await row(id)).nextAttemptAt;
      delays.push(next.getTime() - now.getTime());
      now = next;
    }
    expect(await row(id)).toMatchObject({ status: "pending", attempts: 3 });
    const [first = 0, second = 0, third = 0] = delays;
    expect(first).toBeGreaterThanOrEqual(30_000);
    expect(first).toBeLessThanOrEqual(33_000);
    expect(second).toBeGreaterThanOrEqual(60_000);
    expect(second).toBeLessThanOrEqual(66_000);
    expect(third).toBeGreaterThanOrEqual(600_000);
    expect(resend.received).toHaveLength(3);
  });

  it("fails permanently on a 422, with the provider's error, and never retries", async () => {
    resend.reply(resendError(422, "validation_error", "Invalid `to` field."));
    const { id } = await enqueue({ to: "not-an-address" });
    expect(await sendDueEmails(db, { now: T0 })).toMatchObject({ claimed: 1, failed: 1 });
    const failed = await row(id);
    expect(failed.status).toBe("failed");
    expect(failed.lastError).toBe("422 validation_error: Invalid `to` field.");
    expect(await sendDueEmails(db, { now: at(24 * HOUR) })).toMatchObject({ claimed: 0 });
    expect(resend.received).toHaveLength(1);
  });

  it("retries a 5xx whose body is not JSON", async () => {
    resend.reply({ kind: "status", status: 502, body: "<html>Bad gateway</html>" });
    const { id } = await enqueue();
    expect(await sendDueEmails(db, { now: T0 })).toMatchObject({ retried: 1 });
    expect((await row(id)).lastError).toContain("502");
  });

  it("retries when the provider cannot be reached", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    vi.stubEnv("RESEND_BASE_URL", `http://127.0.0.1:${port}`);

    const { id } = await enqueue();
    expect(await sendDueEmails(db, { now: T0 })).toMatchObject({ claimed: 1, retried: 1 });
    const pending = await row(id);
    expect(pending).toMatchObject({ status: "pending", attempts: 1, lockedUntil: null });
    expect(pending.lastError).toContain("no response");
    expect(pending.nextAttemptAt.getTime()).toBeGreaterThan(T0.getTime());
  });

  it("retries when the provider does not answer in time", async () => {
    resend.reply({ kind: "hold" });
    const { id } = await enqueue();
    const transport = createResendTransport({
      apiKey: "re_test_key",
      baseUrl: resend.baseUrl,
      timeoutMs: 150,
    });
    expect(await sendDueEmails(db, { now: T0, transport })).toMatchObject({ retried: 1 });
    expect((await row(id)).lastError).toBe("timed out after 150 ms");
  });

  it(`gives up after ${OUTBOX_MAX_ATTEMPTS} failed attempts`, async () => {
    const { id } = await enqueue();
    for (let attempt = 1; attempt <= OUTBOX_MAX_ATTEMPTS; attempt++) {
      resend.reply(resendError(503, "application_error"));
      await sendDueEmails(db, { now: at(attempt * 2 * HOUR) });
      expect((await row(id)).attempts).toBe(attempt);
      expect((await row(id)).status).toBe(attempt < OUTBOX_MAX_ATTEMPTS ? "pending" : "failed");
    }
    expect((await row(id)).lastError).toMatch(/^gave up after 8 attempts: 503/);
    await sendDueEmails(db, { now: at(100 * HOUR) });
    expect(resend.received).toHaveLength(OUTBOX_MAX_ATTEMPTS);
  });

  it("fails a row whose props do not validate without calling the provider", async () => {
    const [inserted] = await db.transaction(async (tx) =>
      tx
        .insert(outbox)
        .values({
          toAddress: "dawid@example.test",
          language: "en",
          template: "change-request",
          props: { requestId: "seventeen" },
          subject: "broken",
          idempotencyKey: "broken-1",
          nextAttemptAt: T0,
        })
        .returning({ id: outbox.id }),
    );
    if (!inserted) throw new Error("no outbox row inserted");
    const { id } = inserted;
    expect(await sendDueEmails(db, { now: T0 })).toMatchObject({ failed: 1 });
    expect((await row(id)).status).toBe("failed");
    expect((await row(id)).lastError).toContain("invalid props");
    expect(resend.received).toHaveLength(0);
  });

  it("scrubs the validation code from the stored props once the e-mail has gone out", async () => {
    const code = "Secr3t-C0de_abcdefghijklmnopqrstuvwxyz01234";
    const { id } = await enqueue({ code });
    await sendDueEmails(db, { now: T0 });
    expect(resend.received[0]?.body.html).toContain(`token=${code}`);
    const sent = await row(id);
    expect(sent.status).toBe("sent");
    expect(sent.props.code).toBeNull();
    expect(JSON.stringify(sent)).not.toContain(code);
    // What remains still renders (e.g. for an operator looking at the outbox).
    expect(sent.props.requestId).toBe(17);
  });

  it("keeps the code while the e-mail still waits for a retry", async () => {
    const code = "Retry-C0de_abcdefghijklmnopqrstuvwxyz012345";
    resend.reply(resendError(500, "internal_server_error"));
    const { id } = await enqueue({ code });
    await sendDueEmails(db, { now: T0 });
    expect((await row(id)).props.code).toBe(code);
  });
});

describe("concurrent senders", () => {
  it("two concurrent runs never send one row twice", async () => {
    const ids = await enqueueMany(6);
    resend.reply(...ids.map(() => ({ kind: "deliver" as const, delayMs: 20 })));
    const [a, b] = await Promise.all([sendDueEmails(db, { now: T0 }), sendDueEmails(db, { now: T0 })]);
    expect(a.sent + b.sent).toBe(6);
    // Both took part, so the runs really did overlap.
    expect(a.sent).toBeGreaterThan(0);
    expect(b.sent).toBeGreaterThan(0);
    const keys = resend.received.map((r) => r.idempotencyKey);
    expect(keys).toHaveLength(6);
    expect(new Set(keys).size).toBe(6);
    for (const id of ids) expect(await row(id)).toMatchObject({ status: "sent", attempts: 1 });
  });

  it("a row being sent is not claimed again until its lock expires", async () => {
    resend.reply({ kind: "hold" });
    const { id, idempotencyKey } = await enqueue();
    const slow = sendDueEmails(db, { now: T0 });
    await vi.waitFor(() => expect(resend.received).toHaveLength(1));
    expect(await row(id)).toMatchObject({ status: "sending", lockedUntil: at(OUTBOX_LOCK_MS) });

    expect(await sendDueEmails(db, { now: at(OUTBOX_LOCK_MS - 1) })).toMatchObject({ claimed: 0 });
    expect(resend.received).toHaveLength(1);

    resend.release();
    expect(await slow).toMatchObject({ sent: 1 });
    expect(resend.deliveries.get(idempotencyKey)).toBe(1);
  });

  it("a row left 'sending' by a sender that died is taken over after its lock, with the same key", async () => {
    resend.reply({ kind: "hold" });
    const { id, idempotencyKey } = await enqueue();
    const stuck = sendDueEmails(db, { now: T0 });
    await vi.waitFor(() => expect(resend.received).toHaveLength(1));

    // The lock has expired: another sender takes the row over and sends it.
    expect(await sendDueEmails(db, { now: at(OUTBOX_LOCK_MS) })).toMatchObject({ claimed: 1, sent: 1 });
    expect(await row(id)).toMatchObject({ status: "sent", attempts: 2 });

    // The first sender wakes up: its result no longer counts, and the provider deduplicated.
    resend.release();
    expect(await stuck).toMatchObject({ claimed: 1, sent: 0, lost: 1 });
    expect(await row(id)).toMatchObject({ status: "sent", attempts: 2 });
    expect(resend.received.map((r) => r.idempotencyKey)).toEqual([idempotencyKey, idempotencyKey]);
    expect(resend.deliveries.get(idempotencyKey)).toBe(1);
  });

  it("a row abandoned mid-send on its last attempt is given up, and its code erased", async () => {
    const code = "abandoned-code-123";
    const { id } = await enqueue({ code });
    await db.transaction(async (tx) => {
      await tx
        .update(outbox)
        .set({ status: "sending", attempts: OUTBOX_MAX_ATTEMPTS, lockedUntil: T0 })
        .where(eq(outbox.id, id));
    });
    expect(await sendDueEmails(db, { now: at(1) })).toMatchObject({ claimed: 0 });
    expect(await row(id)).toMatchObject({
      status: "failed",
      lastError: `gave up after ${OUTBOX_MAX_ATTEMPTS} attempts`,
    });
    expect(JSON.stringify((await row(id)).props)).not.toContain(code);
    expect(resend.received).toHaveLength(0);
  });

  it("a sender whose lock expired cannot record its result over the sender that took over", async () => {
    resend.reply({ kind: "hold" }, { kind: "hold" });
    const { id } = await enqueue();
    const stale = sendDueEmails(db, { now: T0 });
    await vi.waitFor(() => expect(resend.received).toHaveLength(1));
    const current = sendDueEmails(db, { now: at(OUTBOX_LOCK_MS) });
    await vi.waitFor(() => expect(resend.received).toHaveLength(2));

    resend.release(1);
    expect(await stale).toMatchObject({ sent: 0, lost: 1 });
    expect(await row(id)).toMatchObject({ status: "sending", attempts: 2 });

    resend.release();
    expect(await current).toMatchObject({ sent: 1, lost: 0 });
    expect(await row(id)).toMatchObject({ status: "sent", attempts: 2 });
  });
});

describe("the mailbox transport", () => {
  it("is used without RESEND_API_KEY: marks the row sent, keeps its props, calls no provider", async () => {
    vi.stubEnv("RESEND_API_KEY", "");
    const { id } = await enqueue();
    expect(await sendDueEmails(db, { now: T0 })).toMatchObject({ sent: 1 });
    expect(await row(id)).toMatchObject({ status: "sent", sentAt: T0, providerMessageId: null });
    expect((await row(id)).props.code).toBe(changeRequestProps().code);
    expect(resend.received).toHaveLength(0);
  });
});

describe("startOutboxSender", () => {
  it("sends at start and on a kick, without waiting for the interval", async () => {
    const stop = startOutboxSender(db, { intervalMs: 60_000, transport: MAILBOX_TRANSPORT });
    try {
      const { id } = await enqueue();
      expect(kickOutboxSender()).toBe(true);
      await vi.waitFor(async () => expect((await row(id)).status).toBe("sent"));
    } finally {
      await stop();
    }
    expect(kickOutboxSender()).toBe(false);
  });

  it("never overlaps its runs, however often it is kicked", async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const sent: string[] = [];
    const slow: EmailTransport = {
      name: "mailbox",
      isDelivering: false,
      async send(email) {
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        sent.push(email.idempotencyKey);
        inFlight -= 1;
        return { ok: true, providerMessageId: null };
      },
    };
    const ids = await enqueueMany(5);
    // One send at a time per run: a second send in flight can only come from a second run.
    const stop = startOutboxSender(db, { intervalMs: 1, limit: 2, concurrency: 1, transport: slow });
    try {
      for (let i = 0; i < 10; i++) stop.kick();
      await vi.waitFor(async () => {
        const statuses: string[] = [];
        for (const id of ids) statuses.push((await row(id)).status);
        expect(statuses).toEqual(ids.map(() => "sent"));
      });
    } finally {
      await stop();
    }
    expect(maxInFlight).toBe(1);
    expect(sent).toHaveLength(5);
  });
});

describe("retry policy", () => {
  it("doubles from 30 s and stops at an hour", () => {
    const noJitter = () => 0;
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, noJitter))).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(retryDelayMs(8, noJitter)).toBe(HOUR);
    expect(retryDelayMs(20, () => 0.99)).toBe(HOUR);
    expect(retryDelayMs(1, () => 0.99)).toBeLessThanOrEqual(33_000);
  });

  it("scrubbing replaces the code and anything carrying it", () => {
    const link = "http://localhost:3000/requests/1?token=abc_DEF-123";
    expect(scrubSecrets({ code: "abc_DEF-123", link, nested: { again: link }, other: "kept" })).toEqual({
      code: null,
      link: SCRUBBED,
      nested: { again: SCRUBBED },
      other: "kept",
    });
    expect(scrubSecrets({ code: null, other: "kept" })).toEqual({ code: null, other: "kept" });
  });
});
