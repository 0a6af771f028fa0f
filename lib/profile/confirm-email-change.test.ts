import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Db, openDb } from "@/db/client";
import { accounts, emailChanges, sessions } from "@/db/schema";
import { openTestDb } from "@/db/testing";
import { findSessionAccount, startSession } from "@/lib/auth/sessions";
import { generateToken } from "@/lib/tokens";
import { confirmEmailChange, previewEmailChange } from "./confirm-email-change";
import { EMAIL_CHANGE_MAX_ATTEMPTS, EMAIL_CHANGE_TTL_MS } from "./email-change-rules";
import { getPendingEmailChange } from "./get-pending-email-change";
import { requestEmailChange } from "./request-email-change";
import { at, createAccount, emailOf, newestEmailTo, T0 } from "./testing/profile-fixtures";

let db: Db;
/** Folders of database files, removed once `db` is closed. */
const folders: string[] = [];

beforeEach(async () => {
  db = await openTestDb();
});
afterEach(async () => {
  await db.close();
  for (const folder of folders.splice(0)) fs.rmSync(folder, { recursive: true, force: true });
});

/** Replaces `db` with a database another connection can open too (`openDb(db.location)`): a file on SQLite. */
async function reopenSharedDb(prefix: string): Promise<void> {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  folders.push(folder);
  await db.close();
  db = await openTestDb(path.join(folder, "app.db"));
}

/** Requests a change of `accountId` to `newEmail` at T0 and returns the token e-mailed there. */
async function requestChange(accountId: number, newEmail: string, now = T0): Promise<string> {
  expect(await requestEmailChange(db, { accountId, newEmail, now })).toMatchObject({ ok: true });
  const token = (await newestEmailTo(db, newEmail))?.token;
  if (!token) throw new Error("no e-mail-change e-mail");
  return token;
}

const rowOf = async (accountId: number) => {
  const [row] = await db.read.select().from(emailChanges).where(eq(emailChanges.accountId, accountId));
  return row;
};
const WRONG = generateToken().token;

describe("previewEmailChange (opening the link)", () => {
  it("shows the old and the new address and changes nothing, however often it is opened", async () => {
    const paula = await createAccount(db);
    const token = await requestChange(paula.id, "paula.new@example.test");
    for (let i = 0; i < 3; i += 1) {
      expect(await previewEmailChange(db, { accountId: paula.id, token, now: at(1000) })).toEqual({
        ok: true,
        currentEmail: paula.email,
        newEmail: "paula.new@example.test",
        expiresAt: at(EMAIL_CHANGE_TTL_MS),
      });
    }
    expect(await emailOf(db, paula.id)).toBe(paula.email);
    expect(await rowOf(paula.id)).toMatchObject({ usedAt: null, attempts: 0 });
  });

  it("says why a link will not work, without counting a wrong one as an attempt", async () => {
    const paula = await createAccount(db);
    const token = await requestChange(paula.id, "paula.new@example.test");
    const preview = (t: string, now = at(1000)) =>
      previewEmailChange(db, { accountId: paula.id, token: t, now });
    expect(await preview(WRONG)).toEqual({ ok: false, reason: "not_found" });
    expect(await preview("")).toEqual({ ok: false, reason: "not_found" });
    expect((await rowOf(paula.id))?.attempts).toBe(0);
    expect(await preview(token, at(EMAIL_CHANGE_TTL_MS))).toEqual({ ok: false, reason: "expired" });
    await confirmEmailChange(db, { accountId: paula.id, token, now: at(1000) });
    expect(await preview(token)).toEqual({ ok: false, reason: "already_used" });
  });
});

describe("confirmEmailChange", () => {
  it("changes the address, spends the token and leaves nothing pending", async () => {
    const paula = await createAccount(db);
    const token = await requestChange(paula.id, "paula.new@example.test");
    expect(await confirmEmailChange(db, { accountId: paula.id, token, now: at(5000) })).toEqual({
      ok: true,
      previousEmail: paula.email,
      newEmail: "paula.new@example.test",
    });
    expect(await emailOf(db, paula.id)).toBe("paula.new@example.test");
    expect((await rowOf(paula.id))?.usedAt).toEqual(at(5000));
    expect(await getPendingEmailChange(db, paula.id, at(6000))).toBeNull();
  });

  it("clears a bounce or complaint mark, which was the old address's, and no other account's", async () => {
    const paula = await createAccount(db);
    const other = await createAccount(db);
    await db.transaction((tx) =>
      tx.update(accounts).set({ emailUndeliverable: "bounced", emailUndeliverableAt: T0 }),
    );
    const markOf = async (accountId: number) =>
      (
        await db.read
          .select({ kind: accounts.emailUndeliverable, at: accounts.emailUndeliverableAt })
          .from(accounts)
          .where(eq(accounts.id, accountId))
      )[0];
    const token = await requestChange(paula.id, "paula.reachable@example.test");
    // Asking for a new address is not enough: only a confirmed one is known to receive e-mail.
    expect(await markOf(paula.id)).toEqual({ kind: "bounced", at: T0 });
    await confirmEmailChange(db, { accountId: paula.id, token: WRONG, now: at(500) });
    expect(await markOf(paula.id)).toEqual({ kind: "bounced", at: T0 });
    expect(await confirmEmailChange(db, { accountId: paula.id, token, now: at(1000) })).toMatchObject({
      ok: true,
    });
    expect(await markOf(paula.id)).toEqual({ kind: null, at: null });
    expect(await markOf(other.id)).toEqual({ kind: "bounced", at: T0 });
  });

  it("ends every session of the account in the same step, and no other account's", async () => {
    const paula = await createAccount(db);
    const other = await createAccount(db);
    const paulaSessions = [
      await startSession(db, { accountId: paula.id }),
      await startSession(db, { accountId: paula.id }),
    ];
    const otherSession = await startSession(db, { accountId: other.id });
    const token = await requestChange(paula.id, "paula.moved@example.test");
    expect(await confirmEmailChange(db, { accountId: paula.id, token, now: at(1000) })).toMatchObject({
      ok: true,
    });
    expect(await db.read.select().from(sessions).where(eq(sessions.accountId, paula.id))).toEqual([]);
    for (const sessionId of paulaSessions)
      expect(await findSessionAccount(db, { sessionId, accountId: paula.id })).toBeNull();
    expect((await findSessionAccount(db, { sessionId: otherSession, accountId: other.id }))?.id).toBe(
      other.id,
    );
  });

  it("a token works once: the second confirmation is already_used", async () => {
    const paula = await createAccount(db);
    const token = await requestChange(paula.id, "paula.new@example.test");
    expect(await confirmEmailChange(db, { accountId: paula.id, token, now: at(1000) })).toMatchObject({
      ok: true,
    });
    expect(await confirmEmailChange(db, { accountId: paula.id, token, now: at(2000) })).toEqual({
      ok: false,
      reason: "already_used",
    });
  });

  it("expires 24 hours after the request (the clock is injected)", async () => {
    const paula = await createAccount(db);
    const token = await requestChange(paula.id, "paula.new@example.test");
    expect(
      await confirmEmailChange(db, { accountId: paula.id, token, now: at(EMAIL_CHANGE_TTL_MS) }),
    ).toEqual({
      ok: false,
      reason: "expired",
    });
    expect(await emailOf(db, paula.id)).toBe(paula.email);
    expect(await getPendingEmailChange(db, paula.id, at(EMAIL_CHANGE_TTL_MS))).toBeNull();
    // One millisecond earlier it still worked.
    expect(
      await confirmEmailChange(db, { accountId: paula.id, token, now: at(EMAIL_CHANGE_TTL_MS - 1) }),
    ).toMatchObject({ ok: true });
  });

  it("a wrong token counts as an attempt; the fifth locks the change, even for the right token", async () => {
    const paula = await createAccount(db);
    const token = await requestChange(paula.id, "paula.new@example.test");
    const confirm = (t: string) => confirmEmailChange(db, { accountId: paula.id, token: t, now: at(1000) });
    for (let attempt = 1; attempt < EMAIL_CHANGE_MAX_ATTEMPTS; attempt += 1) {
      expect(await confirm(WRONG)).toEqual({ ok: false, reason: "not_found" });
      expect((await rowOf(paula.id))?.attempts).toBe(attempt);
    }
    expect((await getPendingEmailChange(db, paula.id, at(1000)))?.isLocked).toBe(false);
    expect(await confirm(WRONG)).toEqual({ ok: false, reason: "locked" });
    expect((await getPendingEmailChange(db, paula.id, at(1000)))?.isLocked).toBe(true);

    expect(await confirm(token)).toEqual({ ok: false, reason: "locked" });
    expect(await confirm(WRONG)).toEqual({ ok: false, reason: "locked" });
    expect((await rowOf(paula.id))?.attempts).toBe(EMAIL_CHANGE_MAX_ATTEMPTS);
    expect(await previewEmailChange(db, { accountId: paula.id, token, now: at(1000) })).toEqual({
      ok: false,
      reason: "locked",
    });
    expect(await emailOf(db, paula.id)).toBe(paula.email);
  });

  it("a new link unlocks a locked change", async () => {
    const paula = await createAccount(db);
    await requestChange(paula.id, "paula.new@example.test");
    for (let i = 0; i < EMAIL_CHANGE_MAX_ATTEMPTS; i += 1) {
      await confirmEmailChange(db, { accountId: paula.id, token: WRONG, now: at(1000) });
    }
    const fresh = await requestChange(paula.id, "paula.new@example.test", at(2000));
    expect((await rowOf(paula.id))?.attempts).toBe(0);
    expect(await confirmEmailChange(db, { accountId: paula.id, token: fresh, now: at(3000) })).toMatchObject({
      ok: true,
    });
  });

  it("a wrong token with nothing pending is simply not_found", async () => {
    const paula = await createAccount(db);
    expect(await confirmEmailChange(db, { accountId: paula.id, token: WRONG, now: T0 })).toEqual({
      ok: false,
      reason: "not_found",
    });
  });

  it("works only for the account it was issued to: another account's token is refused and counted", async () => {
    const paula = await createAccount(db);
    const mallory = await createAccount(db);
    const paulasToken = await requestChange(paula.id, "paula.new@example.test");
    await requestChange(mallory.id, "mallory.new@example.test");

    expect(
      await previewEmailChange(db, { accountId: mallory.id, token: paulasToken, now: at(1000) }),
    ).toEqual({
      ok: false,
      reason: "not_found",
    });
    expect(
      await confirmEmailChange(db, { accountId: mallory.id, token: paulasToken, now: at(1000) }),
    ).toEqual({
      ok: false,
      reason: "not_found",
    });
    expect(await emailOf(db, mallory.id)).toBe(mallory.email);
    expect(await emailOf(db, paula.id)).toBe(paula.email);
    // The attempt counts against the signed-in account's own change, not Paula's.
    expect((await rowOf(mallory.id))?.attempts).toBe(1);
    expect(await rowOf(paula.id)).toMatchObject({ attempts: 0, usedAt: null });
    expect(
      await confirmEmailChange(db, { accountId: paula.id, token: paulasToken, now: at(2000) }),
    ).toMatchObject({
      ok: true,
    });
  });

  it("refuses an address another account took since the link was sent, without spending the token", async () => {
    const paula = await createAccount(db);
    const other = await createAccount(db);
    const token = await requestChange(paula.id, "wanted@example.test");
    await db.transaction(async (tx) => {
      await tx.update(accounts).set({ email: "wanted@example.test" }).where(eq(accounts.id, other.id));
    });

    expect(await previewEmailChange(db, { accountId: paula.id, token, now: at(1000) })).toEqual({
      ok: false,
      reason: "email_taken",
    });
    expect(await confirmEmailChange(db, { accountId: paula.id, token, now: at(1000) })).toEqual({
      ok: false,
      reason: "email_taken",
    });
    expect(await emailOf(db, paula.id)).toBe(paula.email);
    expect((await rowOf(paula.id))?.usedAt).toBeNull();
  });

  it("of two confirmations through two connections, the second loses", async () => {
    await reopenSharedDb("profile-");
    const second = openDb(db.location);
    try {
      const paula = await createAccount(db);
      const token = await requestChange(paula.id, "paula.new@example.test");
      const results = [];
      for (const connection of [db, second]) {
        results.push(await confirmEmailChange(connection, { accountId: paula.id, token, now: at(1000) }));
      }
      expect(results).toEqual([
        { ok: true, previousEmail: paula.email, newEmail: "paula.new@example.test" },
        { ok: false, reason: "already_used" },
      ]);
    } finally {
      await second.close();
    }
  });
});

describe("two concurrent confirmations in two processes", () => {
  const TSX = path.resolve("node_modules/.bin/tsx");
  const SCRIPT = path.resolve("lib/profile/testing/confirm-in-child-process.ts");

  function startConfirmer(args: string[]) {
    const child: ChildProcessWithoutNullStreams = spawn(TSX, [SCRIPT, ...args], { cwd: process.cwd() });
    let output = "";
    let stderr = "";
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    const ready = new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (chunk) => {
        output += chunk;
        if (output.startsWith("ready\n")) resolve();
      });
      child.on("exit", (code) => reject(new Error(`confirmer exited early (${code}): ${stderr}`)));
    });
    const result = new Promise<unknown>((resolve, reject) => {
      child.on("exit", (code) => {
        if (code !== 0) return reject(new Error(`confirmer failed (${code}): ${stderr}`));
        resolve(JSON.parse(output.slice("ready\n".length)));
      });
    });
    return { child, ready, result };
  }

  it("only one wins: the address changes once and the other is told already_used", async () => {
    await reopenSharedDb("profile-race-");
    const paula = await createAccount(db);
    const token = await requestChange(paula.id, "paula.race@example.test");
    const args = [db.location, String(paula.id), token, at(1000).toISOString()];
    const confirmers = [startConfirmer(args), startConfirmer(args)];
    await Promise.all(confirmers.map((c) => c.ready));
    // Both processes have the database open; release them together.
    for (const c of confirmers) c.child.stdin.write("go\n");
    const results = await Promise.all(confirmers.map((c) => c.result));

    expect(results.filter((r) => (r as { ok: boolean }).ok)).toEqual([
      { ok: true, previousEmail: paula.email, newEmail: "paula.race@example.test" },
    ]);
    expect(results.filter((r) => !(r as { ok: boolean }).ok)).toEqual([
      { ok: false, reason: "already_used" },
    ]);
    expect(await emailOf(db, paula.id)).toBe("paula.race@example.test");
  }, 30_000);
});
