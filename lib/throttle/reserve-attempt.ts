import { and, count, eq, gte, inArray, lt, max } from "drizzle-orm";
import { type Db, lockKey } from "@/db/client";
import { throttleAttempts } from "@/db/schema";
import { logFor } from "@/lib/log";
import { nextAttemptAt, type ThrottlePolicy } from "./throttle-policy";

const log = logFor("throttle");

/** One key an attempt is counted against, with its policy. */
export type ThrottleKey = { key: string; policy: ThrottlePolicy };

export type Reservation =
  | {
      ok: true;
      /** The attempt did not count (a right password, a right code): forget it. */
      release: () => Promise<void>;
    }
  /** Too many recent attempts for one of the keys; `retryAt` is when the next one is heard. */
  | { ok: false; retryAt: Date };

/**
 * Reserves one attempt against every key before the attempt is checked, in one transaction that
 * holds each key's lock: the count and the new row are one atomic step, so of 200 parallel guesses only
 * as many as the policy allows are ever checked (a read-then-write-after-the-check would let
 * them all through). The row stays as a counted failure unless the caller releases it.
 */
export async function reserveAttempt(
  db: Db,
  { scope, keys, now = new Date() }: { scope: string; keys: ThrottleKey[]; now?: Date },
): Promise<Reservation> {
  const outcome = await db.transaction(async (tx): Promise<{ retryAt: Date } | { ids: number[] }> => {
    // PostgreSQL: one transaction per key at a time, in every instance (SQLite's write lock does
    // the same); keys in one order so two reservations never wait for each other in a circle.
    for (const key of keys.map((k) => `${scope}|${k.key}`).sort()) await lockKey(tx, key);
    let retryAt: Date | null = null;
    for (const { key, policy } of keys) {
      const windowStart = new Date(now.getTime() - policy.windowMs);
      // Rows that left the window never count again.
      await tx
        .delete(throttleAttempts)
        .where(
          and(
            eq(throttleAttempts.scope, scope),
            eq(throttleAttempts.key, key),
            lt(throttleAttempts.at, windowStart),
          ),
        );
      const [counted = { count: 0, latest: null }] = await tx
        .select({ count: count(), latest: max(throttleAttempts.at) })
        .from(throttleAttempts)
        .where(and(eq(throttleAttempts.scope, scope), eq(throttleAttempts.key, key)));
      const next = nextAttemptAt(
        { count: counted.count, latest: counted.latest ? new Date(counted.latest) : null },
        policy,
        now,
      );
      if (next && (!retryAt || next > retryAt)) retryAt = next;
    }
    if (retryAt) return { retryAt };
    const ids: number[] = [];
    for (const { key } of keys) {
      const inserted = await tx
        .insert(throttleAttempts)
        .values({ scope, key, at: now })
        .returning({ id: throttleAttempts.id });
      ids.push(...inserted.map((row) => row.id));
    }
    return { ids };
  });
  if ("retryAt" in outcome) {
    log.warn(
      { scope, keys: keys.map((k) => k.key), retryAt: outcome.retryAt.toISOString() },
      "attempt refused: too many recent failures",
    );
    return { ok: false, retryAt: outcome.retryAt };
  }
  return {
    ok: true,
    release: async () => {
      await db.transaction(async (tx) => {
        await tx.delete(throttleAttempts).where(inArray(throttleAttempts.id, outcome.ids));
      });
    },
  };
}

/**
 * When the next attempt against `keys` is heard, or null when it is heard now: a read only, for
 * checks whose attempts are counted (reserveAttempt) only once they failed, where a few
 * parallel attempts slipping past the count cost nothing (a 256-bit token cannot be guessed).
 */
export async function attemptBlockedUntil(
  db: Db,
  { scope, keys, now = new Date() }: { scope: string; keys: ThrottleKey[]; now?: Date },
): Promise<Date | null> {
  let retryAt: Date | null = null;
  for (const { key, policy } of keys) {
    const [counted = { count: 0, latest: null }] = await db.read
      .select({ count: count(), latest: max(throttleAttempts.at) })
      .from(throttleAttempts)
      .where(
        and(
          eq(throttleAttempts.scope, scope),
          eq(throttleAttempts.key, key),
          gte(throttleAttempts.at, new Date(now.getTime() - policy.windowMs)),
        ),
      );
    const next = nextAttemptAt(
      { count: counted.count, latest: counted.latest ? new Date(counted.latest) : null },
      policy,
      now,
    );
    if (next && (!retryAt || next > retryAt)) retryAt = next;
  }
  return retryAt;
}

/** Forgets every counted attempt of `key` (e.g. an account's failures once its owner signs in). */
export async function clearAttempts(db: Db, { scope, key }: { scope: string; key: string }): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .delete(throttleAttempts)
      .where(and(eq(throttleAttempts.scope, scope), eq(throttleAttempts.key, key)));
  });
}

/** Deletes attempts older than any policy's window; run by the periodic sweep. */
export async function pruneThrottleAttempts(
  db: Db,
  { olderThanMs = 24 * 60 * 60_000, now = new Date() } = {},
): Promise<number> {
  const pruned = await db.transaction(async (tx) =>
    tx
      .delete(throttleAttempts)
      .where(lt(throttleAttempts.at, new Date(now.getTime() - olderThanMs)))
      .returning({ id: throttleAttempts.id }),
  );
  return pruned.length;
}
