import { and, eq, isNull, lt } from "drizzle-orm";
import type { Db } from "@/db/client";
import { apiApplications, apiConsumerKeys, apiSeenSignatures } from "@/db/schema";
import { hashToken } from "@/lib/tokens";
import { isCallGranted } from "./access-rules";
import { decryptApplicationSecret } from "./application-secret-cipher";
import { isSameSignature, ovhSignature } from "./ovh-signature";
import { API_AUTH_ERRORS, type ApiAuthErrorCode } from "./reason-codes";

/** The path every API route lives under; access rules name paths relative to it. */
export const API_BASE_PATH = "/api/1.0";
/** How far X-Ovh-Timestamp may be from the server's clock, in seconds. */
export const API_TIMESTAMP_SKEW_S = 180;
/**
 * How long an accepted signature is remembered. A signature carries its timestamp, which is
 * accepted for SKEW on either side of the clock, so it could be replayed for at most twice SKEW
 * after it was first seen; after that the timestamp check refuses it by itself.
 */
export const SEEN_SIGNATURE_RETENTION_MS = 2 * API_TIMESTAMP_SKEW_S * 1000;
// Every this-many-th accepted request also purges the signatures nobody needs to remember.
const PURGE_EVERY = 256;

/** The X-Ovh-* headers of a request, as received (absent or empty when not sent). */
export type ApiRequestHeaders = {
  application?: string | null;
  consumer?: string | null;
  timestamp?: string | null;
  signature?: string | null;
};

export type AuthenticateApiRequestInput = {
  /** The HTTP method, as received. */
  method: string;
  /**
   * The URL the client signed: `https://{host without port}/api/1.0/{path}?{query}`, with the
   * path and query exactly as received.
   */
  url: string;
  /** The raw request body; `""` when there is none. */
  body: string;
  headers: ApiRequestHeaders;
  now?: Date;
};

/** An authentication failure, answered as OVH answers it: `{message, errorCode}` with `status`. */
export type ApiAuthFailure = { ok: false; status: 400 | 403; errorCode: ApiAuthErrorCode; message: string };

export type AuthenticateApiRequestResult =
  /** The request acts for `accountId`, within its consumer key's access rules. */
  { ok: true; accountId: number; applicationId: number; consumerKeyId: number } | ApiAuthFailure;

function failure(errorCode: ApiAuthErrorCode): ApiAuthFailure {
  return { ok: false, errorCode, ...API_AUTH_ERRORS[errorCode] };
}

/**
 * The path an access rule is matched against: the URL's path relative to {@link API_BASE_PATH},
 * without the query (`/me/task/contactChange/12`). Null when the URL is not under it, or when a
 * URL parser would read another path from it (`..` or `%2e%2e` segments, characters it would
 * escape): such a path could match a rule and then be routed elsewhere, so it matches none.
 */
export function apiPathOf(url: string): string | null {
  const raw = /^https:\/\/[^/?#]+(\/[^?#]*)/.exec(url)?.[1];
  if (raw === undefined || !raw.startsWith(`${API_BASE_PATH}/`)) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  return parsed.pathname === raw ? raw.slice(API_BASE_PATH.length) : null;
}

function isFreshTimestamp(timestamp: string | null | undefined, now: Date): boolean {
  if (!timestamp || !/^\d{1,15}$/.test(timestamp)) return false;
  return Math.abs(Number(timestamp) - now.getTime() / 1000) <= API_TIMESTAMP_SKEW_S;
}

/**
 * Authenticates a request signed as OVH's clients sign them, and decides whether its consumer key
 * may make this call. In order: the application (X-Ovh-Application) must exist and not be revoked
 * (INVALID_KEY); the consumer key (X-Ovh-Consumer) must be one of that application's, validated and
 * not revoked (INVALID_CREDENTIAL); X-Ovh-Timestamp within {@link API_TIMESTAMP_SKEW_S} seconds of
 * `now` (INVALID_TIMESTAMP); X-Ovh-Signature the request's signature (INVALID_SIGNATURE); an access
 * rule must cover the method and path (NOT_GRANTED_CALL); and the signature must not have been
 * accepted before (REPLAYED_REQUEST). Only an accepted request writes anything: its signature, kept
 * {@link SEEN_SIGNATURE_RETENTION_MS} to refuse replays, and the key's `lastUsedAt`.
 *
 * Identical requests in the same second carry the same signature (OVH's scheme has no nonce), so
 * the second of two identical POST, PUT or DELETE calls is refused as a replay; GETs are not
 * recorded.
 */
export async function authenticateApiRequest(
  db: Db,
  input: AuthenticateApiRequestInput,
): Promise<AuthenticateApiRequestResult> {
  const now = input.now ?? new Date();
  const { application: applicationKey, consumer, timestamp, signature } = input.headers;
  if (!applicationKey) return failure("INVALID_KEY");
  // One lookup: the application, and the consumer key only if it is this application's.
  const [found] = await db.read
    .select({
      applicationId: apiApplications.id,
      applicationSecretEncrypted: apiApplications.applicationSecretEncrypted,
      applicationRevokedAt: apiApplications.revokedAt,
      key: {
        id: apiConsumerKeys.id,
        accountId: apiConsumerKeys.accountId,
        state: apiConsumerKeys.state,
        accessRules: apiConsumerKeys.accessRules,
        revokedAt: apiConsumerKeys.revokedAt,
        lastUsedAt: apiConsumerKeys.lastUsedAt,
      },
    })
    .from(apiApplications)
    .leftJoin(
      apiConsumerKeys,
      and(
        eq(apiConsumerKeys.applicationId, apiApplications.id),
        eq(apiConsumerKeys.consumerKeyHash, hashToken(consumer ?? "")),
      ),
    )
    .where(eq(apiApplications.applicationKey, applicationKey));
  if (!found || found.applicationRevokedAt !== null) return failure("INVALID_KEY");
  const { key } = found;
  if (!consumer || !key || key.state !== "validated" || key.revokedAt !== null || key.accountId === null) {
    return failure("INVALID_CREDENTIAL");
  }
  const accountId = key.accountId;
  if (!timestamp || !isFreshTimestamp(timestamp, now)) return failure("INVALID_TIMESTAMP");

  const expected = ovhSignature({
    applicationSecret: decryptApplicationSecret(found.applicationSecretEncrypted, applicationKey),
    consumerKey: consumer,
    method: input.method,
    url: input.url,
    body: input.body,
    timestamp,
  });
  if (!signature || !isSameSignature(expected, signature)) return failure("INVALID_SIGNATURE");
  const path = apiPathOf(input.url);
  if (path === null || !isCallGranted(key.accessRules, input.method, path))
    return failure("NOT_GRANTED_CALL");

  // A polling script's GETs write nothing while the key's last use is recent: `lastUsedAt` is for
  // people (Profile › API access), and a write per read would queue behind every other writer.
  if (
    isReadOnly(input.method) &&
    key.lastUsedAt !== null &&
    now.getTime() - key.lastUsedAt.getTime() < LAST_USE_PRECISION_MS
  ) {
    return { ok: true, accountId, applicationId: found.applicationId, consumerKeyId: key.id };
  }
  return db.transaction(async (tx) => {
    // A replayed GET only reads again what its sender was shown, and scripts poll the same task
    // more than once a second: only calls that change something are taken once.
    const [seen] = isReadOnly(input.method)
      ? [null]
      : await tx
          .insert(apiSeenSignatures)
          .values({ consumerKeyId: key.id, signature: expected, seenAt: now })
          .onConflictDoNothing()
          .returning({ id: apiSeenSignatures.id });
    if (seen === undefined) return failure("REPLAYED_REQUEST");
    const [used] = await tx
      .update(apiConsumerKeys)
      .set({ lastUsedAt: now })
      .where(
        and(
          eq(apiConsumerKeys.id, key.id),
          eq(apiConsumerKeys.state, "validated"),
          isNull(apiConsumerKeys.revokedAt),
        ),
      )
      .returning({ id: apiConsumerKeys.id });
    // Revoked (with its application, or by itself) since it was read.
    if (!used) return failure("INVALID_CREDENTIAL");
    if (seen && seen.id % PURGE_EVERY === 0) {
      await tx.delete(apiSeenSignatures).where(lt(apiSeenSignatures.seenAt, retentionCutoff(now)));
    }
    return { ok: true, accountId, applicationId: found.applicationId, consumerKeyId: key.id } as const;
  });
}

/** How stale a key's `lastUsedAt` may be: GETs within this of the last recorded use write nothing. */
export const LAST_USE_PRECISION_MS = 60_000;

const isReadOnly = (method: string) => method.toUpperCase() === "GET";

function retentionCutoff(now: Date): Date {
  return new Date(now.getTime() - SEEN_SIGNATURE_RETENTION_MS);
}

/**
 * Deletes the signatures seen more than {@link SEEN_SIGNATURE_RETENTION_MS} before `now` (their
 * timestamps are refused by now anyway); returns how many. authenticateApiRequest does it too,
 * every few hundred requests; housekeeping can call it on its schedule.
 */
export async function purgeSeenSignatures(db: Db, now: Date = new Date()): Promise<number> {
  const purged = await db.transaction((tx) =>
    tx
      .delete(apiSeenSignatures)
      .where(lt(apiSeenSignatures.seenAt, retentionCutoff(now)))
      .returning({ id: apiSeenSignatures.id }),
  );
  return purged.length;
}
