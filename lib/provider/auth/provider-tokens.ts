import { and, desc, eq, isNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { providerTokens } from "@/db/schema";
import { PROVIDER_SCOPES, type ProviderScope } from "@/lib/provider/vocabulary";
import { generateToken, hashToken } from "@/lib/tokens";

/**
 * Provisioning tokens (SPEC.md "Provider integration"): bearer tokens an operator creates with
 * `npm run provider-token` for the provider's own systems. The prefix makes a leaked token easy to
 * recognise (secret scanners, logs) and tells it apart from anything a customer holds.
 */
export const PROVIDER_TOKEN_PREFIX = "sc_prov_";

/** A token as handed out: the prefix and 32 random bytes, base64url. */
export const PROVIDER_TOKEN_PATTERN = /^sc_prov_[A-Za-z0-9_-]{43}$/;

/** A token as an operator sees it listed: never the secret, which is stored hashed. */
export type ProviderTokenView = {
  id: number;
  name: string;
  scopes: ProviderScope[];
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
};

export type CreateProviderTokenResult =
  /** `token` is shown this once; only its SHA-256 hash is kept. */
  | { ok: true; token: string; view: ProviderTokenView }
  | { ok: false; reason: "invalid_name" | "invalid_scopes"; message: string };

const MAX_NAME_LENGTH = 100;

function toView(row: typeof providerTokens.$inferSelect): ProviderTokenView {
  return {
    id: row.id,
    name: row.name,
    scopes: row.scopes,
    createdAt: row.createdAt,
    lastUsedAt: row.lastUsedAt,
    revokedAt: row.revokedAt,
  };
}

/** Creates a token with a name (who uses it, for the list) and one or more scopes. */
export async function createProviderToken(
  db: Db,
  { name, scopes, now = new Date() }: { name: string; scopes: readonly string[]; now?: Date },
): Promise<CreateProviderTokenResult> {
  const trimmed = name.trim();
  if (trimmed === "" || trimmed.length > MAX_NAME_LENGTH || trimmed.includes("\u0000")) {
    return {
      ok: false,
      reason: "invalid_name",
      message: `A token needs a name of 1 to ${MAX_NAME_LENGTH} characters.`,
    };
  }
  const unknown = scopes.filter((scope) => !(PROVIDER_SCOPES as readonly string[]).includes(scope));
  if (scopes.length === 0 || unknown.length > 0) {
    return {
      ok: false,
      reason: "invalid_scopes",
      message: `${unknown.length > 0 ? `Unknown scope ${unknown.map((s) => `"${s}"`).join(", ")}. ` : "A token needs at least one scope. "}Scopes: ${PROVIDER_SCOPES.join(", ")}.`,
    };
  }
  // In PROVIDER_SCOPES' order, once each: the list reads the same however they were typed.
  const granted = PROVIDER_SCOPES.filter((scope) => scopes.includes(scope));
  const token = `${PROVIDER_TOKEN_PREFIX}${generateToken().token}`;
  const [row] = await db.transaction((tx) =>
    tx
      .insert(providerTokens)
      .values({ name: trimmed, tokenHash: hashToken(token), scopes: granted, createdAt: now })
      .returning(),
  );
  return { ok: true, token, view: toView(row as typeof providerTokens.$inferSelect) };
}

/** Every token, newest first, revoked ones too (their use stays on record). */
export async function listProviderTokens(db: Db): Promise<ProviderTokenView[]> {
  const rows = await db.read.select().from(providerTokens).orderBy(desc(providerTokens.id));
  return rows.map(toView);
}

/**
 * Revokes a token: every call with it is refused from now on, in every instance (each call looks
 * the token up). False when there is no such token or it was already revoked.
 */
export async function revokeProviderToken(db: Db, id: number, now = new Date()): Promise<boolean> {
  if (!Number.isSafeInteger(id) || id < 1) return false;
  const revoked = await db.transaction((tx) =>
    tx
      .update(providerTokens)
      .set({ revokedAt: now })
      .where(and(eq(providerTokens.id, id), isNull(providerTokens.revokedAt)))
      .returning({ id: providerTokens.id }),
  );
  return revoked.length === 1;
}
