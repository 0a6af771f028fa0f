import { and, eq, isNull, lt, or } from "drizzle-orm";
import type { Db } from "@/db/client";
import { providerTokens } from "@/db/schema";
import { clientAddressFrom, throttleKeyOfAddress } from "@/lib/client-address";
import type { ProviderScope } from "@/lib/provider/vocabulary";
import { attemptBlockedUntil, reserveAttempt } from "@/lib/throttle/reserve-attempt";
import { PROVIDER_TOKENS_PER_CLIENT, secondsUntil } from "@/lib/throttle/throttle-policy";
import { hashToken } from "@/lib/tokens";
import { PROVIDER_TOKEN_PATTERN } from "./provider-tokens";

/** The `errorCode`s authentication answers with. */
export const PROVIDER_AUTH_ERROR_CODES = [
  /** No bearer token, one this app never handed out, a revoked one, or a customer's credentials. */
  "INVALID_TOKEN",
  /** The token is valid but was not granted the scope the call needs. */
  "MISSING_SCOPE",
  /** Too many bad tokens from this client address: see Retry-After. */
  "TOO_MANY_REQUESTS",
] as const;
export type ProviderAuthErrorCode = (typeof PROVIDER_AUTH_ERROR_CODES)[number];

/** The token a call is made with, once authenticated. */
export type AuthenticatedToken = { id: number; name: string; scopes: ProviderScope[] };

export type ProviderAuthResult =
  | { ok: true; token: AuthenticatedToken }
  | {
      ok: false;
      status: 401 | 403 | 429;
      errorCode: ProviderAuthErrorCode;
      message: string;
      headers: Record<string, string>;
    };

/** The throttle scope of bad tokens; keyed by client address. */
export const PROVIDER_TOKEN_THROTTLE_SCOPE = "provider-token";

// Headers only a customer's automation client sends (OVH's signed calls): they never open this API,
// even beside a valid bearer token, so a customer's script cannot be mistaken for the provider's.
const CUSTOMER_HEADERS = ["x-ovh-application", "x-ovh-consumer", "x-ovh-signature", "x-ovh-timestamp"];

/** `lastUsedAt` is written at most this often, so a busy token costs no write per call. */
const LAST_USED_RESOLUTION_MS = 60_000;

const CHALLENGE = { "www-authenticate": 'Bearer realm="provisioning"' };

function refusal(
  status: 401 | 403 | 429,
  errorCode: ProviderAuthErrorCode,
  message: string,
  headers: Record<string, string> = status === 401 ? CHALLENGE : {},
): ProviderAuthResult {
  return { ok: false, status, errorCode, message, headers };
}

function tooMany(retryAt: Date, now: Date): ProviderAuthResult {
  return refusal(
    429,
    "TOO_MANY_REQUESTS",
    "Too many bad tokens from this address: retry after the time given.",
    {
      "retry-after": String(secondsUntil(retryAt, now)),
    },
  );
}

/**
 * Authenticates a call of the provisioning API (`/api/provider/v1`): the provider's systems only,
 * with a bearer token an operator created (`npm run provider-token`). 401 without
 * `Authorization: Bearer …`, with a token that is unknown or revoked, or with a customer's
 * credentials (a session cookie is simply not looked at; OVH-signed headers are refused); 403
 * when the token lacks `requiredScope`. Bad tokens are counted per client address, and an address
 * past PROVIDER_TOKENS_PER_CLIENT is answered 429 before its tokens are looked up.
 */
export async function authenticateProviderRequest(
  db: Db,
  request: Pick<Request, "headers">,
  requiredScope: ProviderScope,
  now = new Date(),
): Promise<ProviderAuthResult> {
  if (CUSTOMER_HEADERS.some((name) => request.headers.has(name))) {
    return refusal(
      401,
      "INVALID_TOKEN",
      "This API is for the provider's systems: it takes a provisioning token, never a customer's credentials.",
    );
  }
  const bearer = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(request.headers.get("authorization") ?? "")?.[1];
  if (!bearer) {
    return refusal(401, "INVALID_TOKEN", "Missing provisioning token: send Authorization: Bearer sc_prov_….");
  }
  // Anything else was never handed out: refused without a lookup, so it costs nothing to count.
  if (!PROVIDER_TOKEN_PATTERN.test(bearer)) {
    return refusal(401, "INVALID_TOKEN", "This is not a provisioning token.");
  }

  const keys = [
    { key: throttleKeyOfAddress(clientAddressFrom(request.headers)), policy: PROVIDER_TOKENS_PER_CLIENT },
  ];
  const blockedUntil = await attemptBlockedUntil(db, { scope: PROVIDER_TOKEN_THROTTLE_SCOPE, keys, now });
  if (blockedUntil) return tooMany(blockedUntil, now);

  const [row] = await db.read
    .select({
      id: providerTokens.id,
      name: providerTokens.name,
      scopes: providerTokens.scopes,
      revokedAt: providerTokens.revokedAt,
      lastUsedAt: providerTokens.lastUsedAt,
    })
    .from(providerTokens)
    .where(eq(providerTokens.tokenHash, hashToken(bearer)));
  if (!row || row.revokedAt !== null) {
    const counted = await reserveAttempt(db, { scope: PROVIDER_TOKEN_THROTTLE_SCOPE, keys, now });
    if (!counted.ok) return tooMany(counted.retryAt, now);
    return refusal(401, "INVALID_TOKEN", "This provisioning token is unknown or revoked.");
  }
  if (!row.scopes.includes(requiredScope)) {
    return refusal(403, "MISSING_SCOPE", `This token lacks the scope "${requiredScope}" this call needs.`);
  }

  // Read first: a token used within the last minute costs no write transaction at all (on SQLite
  // even a conditional UPDATE waits for the one writer), so busy calls do not queue behind writers.
  const isLastUseStale =
    row.lastUsedAt === null || row.lastUsedAt.getTime() < now.getTime() - LAST_USED_RESOLUTION_MS;
  if (isLastUseStale)
    await db.transaction((tx) =>
      tx
        .update(providerTokens)
        .set({ lastUsedAt: now })
        .where(
          and(
            eq(providerTokens.id, row.id),
            or(
              isNull(providerTokens.lastUsedAt),
              lt(providerTokens.lastUsedAt, new Date(now.getTime() - LAST_USED_RESOLUTION_MS)),
            ),
          ),
        ),
    );
  return { ok: true, token: { id: row.id, name: row.name, scopes: row.scopes } };
}
