import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type Db, openDb } from "@/db/client";
import { emailProviderState, type OutboxMessage, outbox } from "@/db/schema";
import { openTestDb } from "@/db/testing";
import { enqueueEmail } from "./enqueue-email";
import { sendDueEmails } from "./outbox-sender";
import {
  PROVIDER_PAUSE_MAX_MS,
  providerPausedUntil,
  providerPauseMs,
  recordProviderFailure,
  recordProviderSuccess,
} from "./provider-pause";
import { createResendTransport } from "./send-email";
import { captureLog } from "./testing/capture-log";
import { changeRequestProps } from "./testing/email-fixtures";
import { type FakeResend, resendError, startFakeResend } from "./testing/fake-resend-server";

const T0 = new Date("2026-01-01T10:00:00.000Z");
const at = (ms: number) => new Date(T0.getTime() + ms);
const SECOND = 1_000;
const HOUR = 3_600_000;

let dir: string;
// Two connections to one database (a SQLite file, or a PostgreSQL schema): two senders, as two
// processes would have.
let db: Db;
let other: Db;
let resend: FakeResend;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "provider-pause-"));
  db = await openTestDb(path.join(dir, "app.db"));
  other = openDb(db.location);
  resend = await startFakeResend();
  vi.stubEnv("RESEND_API_KEY", "re_test_key");
  vi.stubEnv("RESEND_BASE_URL", resend.baseUrl);
  vi.stubEnv("EMAIL_FROM", "");
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await resend.close();
  await db.close();
  await other.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function enqueue(count: number, code?: string): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < count; i++) {
    const { id } = await db.transaction((tx) =>
      enqueueEmail(tx, {
        to: `user${i}@example.test`,
        language: "en",
        template: "change-request",
        props: changeRequestProps(code ? { code } : {}),
        now: T0,
      }),
    );
    ids.push(id);
  }
  return ids;
}

function rows(): Promise<OutboxMessage[]> {
  return db.read.select().from(outbox).orderBy(outbox.id);
}

async function providerState() {
  const [state] = await db.read
    .select()
    .from(emailProviderState)
    .where(eq(emailProviderState.provider, "resend"));
  return state;
}

const tooManyRequests = (retryAfter?: string) => ({
  ...resendError(429, "rate_limit_exceeded", "Too many requests"),
  ...(retryAfter ? { headers: { "retry-after": retryAfter } } : {}),
});

describe("a provider that asks to slow down pauses every sender", () => {
  it("a 429 with Retry-After: 30 costs one POST; no sender on the database claims a row until 30 s have passed", async () => {
    const ids = await enqueue(5);
    resend.reply(tooManyRequests("30"));

    const first = await sendDueEmails(db, { now: T0 });
    expect(first).toMatchObject({
      claimed: 1,
      retried: 1,
      isRateLimited: true,
      isPaused: true,
      hasMore: true,
    });
    expect(first.pausedUntil).toEqual(at(30 * SECOND));
    expect(resend.received).toHaveLength(1);

    // The other sender, and this one, leave every row alone while the pause lasts.
    for (const now of [at(1 * SECOND), at(12 * SECOND), at(30 * SECOND - 1)]) {
      for (const sender of [other, db]) {
        expect(await sendDueEmails(sender, { now })).toMatchObject({
          claimed: 0,
          isPaused: true,
          pausedUntil: at(30 * SECOND),
        });
      }
    }
    expect(resend.received).toHaveLength(1);
    // Only the e-mail that met the 429 spent an attempt.
    expect((await rows()).map((row) => [row.status, row.attempts])).toEqual([
      ["pending", 1],
      ["pending", 0],
      ["pending", 0],
      ["pending", 0],
      ["pending", 0],
    ]);

    // Once the pause has passed, the other sender sends the rest.
    const after = await sendDueEmails(other, { now: at(30 * SECOND) });
    expect(after).toMatchObject({ sent: 4, isPaused: false });
    expect((await rows()).slice(1).map((row) => [row.status, row.attempts])).toEqual(
      ids.slice(1).map(() => ["sent", 1]),
    );
    // The e-mail that met the 429 keeps its own backoff (30 s and up to 10 % more), then goes too.
    expect((await rows())[0]?.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(at(30 * SECOND).getTime());
    expect(await sendDueEmails(db, { now: at(HOUR) })).toMatchObject({ sent: 1 });
    expect(resend.deliveries.size).toBe(5);
  });

  it("honours a Retry-After given as an HTTP date", async () => {
    await enqueue(2);
    // Resend's SDK reads the date against the real clock; the pause is counted from the answer.
    const inTwoMinutes = new Date(Date.now() + 120 * SECOND).toUTCString();
    resend.reply(tooManyRequests(inTwoMinutes));
    await sendDueEmails(db, { now: T0 });
    const pausedFor = ((await providerState())?.pausedUntil?.getTime() ?? 0) - T0.getTime();
    expect(pausedFor).toBeGreaterThan(110 * SECOND);
    expect(pausedFor).toBeLessThanOrEqual(120 * SECOND);
    expect(await sendDueEmails(other, { now: at(100 * SECOND) })).toMatchObject({
      claimed: 0,
      isPaused: true,
    });
  });

  it("without Retry-After, a failing provider is paused 5 s, then 10 s, 20 s… never more than 5 min", async () => {
    expect([1, 2, 3, 4].map(providerPauseMs)).toEqual([5_000, 10_000, 20_000, 40_000]);
    expect(providerPauseMs(7)).toBe(PROVIDER_PAUSE_MAX_MS);
    expect(providerPauseMs(50)).toBe(PROVIDER_PAUSE_MAX_MS);

    await enqueue(4);
    const pauses: number[] = [];
    let now = T0;
    for (let i = 0; i < 4; i++) {
      resend.reply(resendError(503, "application_error"));
      const run = await sendDueEmails(db, { now });
      expect(run).toMatchObject({ claimed: 1, retried: 1, isPaused: true });
      const pausedUntil = run.pausedUntil ?? now;
      pauses.push(pausedUntil.getTime() - now.getTime());
      expect(await sendDueEmails(other, { now: new Date(pausedUntil.getTime() - 1) })).toMatchObject({
        claimed: 0,
      });
      now = pausedUntil;
    }
    expect(pauses).toEqual([5_000, 10_000, 20_000, 40_000]);
    expect(await providerState()).toMatchObject({ consecutiveFailures: 4 });
    expect(resend.received).toHaveLength(4);
  });

  it("a provider that does not answer in time is paused too", async () => {
    await enqueue(3);
    resend.reply({ kind: "hold" });
    const transport = createResendTransport({
      apiKey: "re_test_key",
      baseUrl: resend.baseUrl,
      timeoutMs: 100,
    });
    const run = await sendDueEmails(db, { now: T0, transport });
    expect(run).toMatchObject({ claimed: 1, retried: 1, isPaused: true, pausedUntil: at(5 * SECOND) });
    expect((await providerState())?.lastError).toBe("timed out after 100 ms");
  });

  it("a 422 refuses only its own e-mail: the provider is not paused and the others go", async () => {
    await enqueue(3);
    resend.reply(resendError(422, "validation_error", "Invalid `to` field."));
    const run = await sendDueEmails(db, { now: T0 });
    expect(run).toMatchObject({ claimed: 3, failed: 1, sent: 2, isPaused: false });
    expect(await providerPausedUntil(db.read, "resend", T0)).toBeNull();
  });
});

describe("recovery", () => {
  it("the first e-mail the provider takes again clears the pause, and the recovery is logged once whatever the number of senders", async () => {
    const { log, lines } = captureLog();
    await enqueue(6);
    resend.reply(resendError(500, "internal_server_error"));
    await sendDueEmails(db, { now: T0, log });
    resend.reply(resendError(502, "bad_gateway"));
    await sendDueEmails(other, { now: at(5 * SECOND), log });
    expect(await providerState()).toMatchObject({ consecutiveFailures: 2, pausedUntil: at(15 * SECOND) });

    // Two senders at once on one connection: two connections of one process must not hold
    // transactions at once (each BEGIN IMMEDIATE would wait for the other's, on one thread).
    const [a, b] = await Promise.all([
      sendDueEmails(db, { now: at(20 * SECOND), log }),
      sendDueEmails(db, { now: at(20 * SECOND), log }),
    ]);
    expect(a.sent + b.sent).toBe(4);
    expect(await providerState()).toMatchObject({
      consecutiveFailures: 0,
      pausedUntil: null,
      lastError: null,
    });

    const recoveries = lines().filter((line) =>
      String(line.msg).startsWith("e-mail provider answering again"),
    );
    expect(recoveries).toHaveLength(1);
    expect(recoveries[0]).toMatchObject({
      level: 30,
      provider: "resend",
      failedAttempts: 2,
      downForMs: 20 * SECOND,
      lastFailureAt: at(5 * SECOND).toISOString(),
    });
    expect(String(recoveries[0]?.lastError)).toContain("502");
    const pauses = lines().filter((line) => String(line.msg).startsWith("e-mail provider paused"));
    expect(pauses.map((line) => [line.pauseMs, line.consecutiveFailures])).toEqual([
      [5_000, 1],
      [10_000, 2],
    ]);
  });

  it("a success that left before the last failure was recorded does not lift the pause", async () => {
    await recordProviderFailure(db, {
      provider: "resend",
      error: "429",
      retryAfterMs: 30_000,
      startedAt: T0,
      now: at(2_000),
    });
    // Sent at T0 + 1 s, answered after the 429 of the send of T0: it says nothing of the provider since.
    expect(
      await recordProviderSuccess(db, { provider: "resend", startedAt: at(1_000), now: at(3_000) }),
    ).toBeNull();
    expect(await providerPausedUntil(db.read, "resend", at(3_000))).toEqual(at(32_000));
    // A send that left after it does.
    expect(
      await recordProviderSuccess(db, { provider: "resend", startedAt: at(32_000), now: at(32_500) }),
    ).toMatchObject({ failedAttempts: 1 });
    expect(await providerPausedUntil(db.read, "resend", at(32_500))).toBeNull();
  });

  it("parallel failures of one burst count as one failure, and a shorter pause never shortens a longer one", async () => {
    const first = await recordProviderFailure(db, {
      provider: "resend",
      error: "503",
      startedAt: T0,
      now: at(1_000),
    });
    const sameBurst = await recordProviderFailure(other, {
      provider: "resend",
      error: "429",
      retryAfterMs: 1_000,
      startedAt: at(500),
      now: at(1_200),
    });
    expect(first).toMatchObject({ consecutiveFailures: 1, isNewFailure: true, pausedUntil: at(6_000) });
    expect(sameBurst).toMatchObject({ consecutiveFailures: 1, isNewFailure: false, pausedUntil: at(6_000) });
    const later = await recordProviderFailure(db, {
      provider: "resend",
      error: "503",
      startedAt: at(6_000),
      now: at(6_100),
    });
    expect(later).toMatchObject({ consecutiveFailures: 2, isNewFailure: true, pausedUntil: at(16_100) });
  });

  it("failures recorded at the same moment by several senders count once and keep the longest pause", async () => {
    // Each sender's read and write of the state is one step: on PostgreSQL, without it, a 503's
    // 5 s pause written last would overwrite a 429's 30 s read before it.
    const senders = [db, other, db, other, db, other];
    const pauses = await Promise.all(
      senders.map((sender, i) =>
        recordProviderFailure(sender, {
          provider: "resend",
          error: i === 0 ? "429" : "503",
          ...(i === 0 ? { retryAfterMs: 30_000 } : {}),
          startedAt: T0,
          now: at(1_000),
        }),
      ),
    );
    expect(pauses.filter((pause) => pause.isNewFailure)).toHaveLength(1);
    expect(await providerState()).toMatchObject({ consecutiveFailures: 1, pausedUntil: at(31_000) });
  });
});

describe("the outbox's log", () => {
  it("logs every failure with its outbox id, attempt, error and whether it is retried, and never a code or a link", async () => {
    const code = "Secr3t-C0de_abcdefghijklmnopqrstuvwxyz01234";
    const { log, lines, raw } = captureLog();
    const [retried, refused] = await enqueue(2, code);
    resend.reply(resendError(503, "application_error"));
    await sendDueEmails(db, { now: T0, log });
    // A provider that echoes the link back in its error.
    resend.reply(
      resendError(422, "validation_error", `Invalid link http://localhost:3000/requests/17?token=${code}`),
    );
    await sendDueEmails(db, { now: at(10 * SECOND), log });

    const failures = lines().filter((line) => line.outboxId !== undefined && line.isRetried !== undefined);
    expect(failures.map((line) => [line.outboxId, line.attempt, line.isRetried, line.level])).toEqual([
      [retried, 1, true, 40],
      [refused, 1, false, 50],
    ]);
    expect(failures[0]?.error).toBe("503 application_error: application_error");
    expect(failures[0]?.nextAttemptAt).toBeDefined();
    expect(failures[1]?.error).toContain("Invalid link");
    expect(raw.join("\n")).not.toContain(code);
    expect(raw.join("\n")).not.toContain(encodeURIComponent(code));
    // Nor in what the outbox keeps of the error (the e-mail waiting for its retry still needs its code).
    expect((await rows()).map((row) => row.lastError)).toEqual([
      "503 application_error: application_error",
      "422 validation_error: Invalid link http://localhost:3000/requests/17?token=[code]",
    ]);
  });
});
