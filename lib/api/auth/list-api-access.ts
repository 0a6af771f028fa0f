import { and, desc, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { apiApplications, apiConsumerKeys } from "@/db/schema";
import type { ApiAccessRule } from "./vocabulary";

/** An application as its owner's profile lists it: never its secret. */
export type ApiApplicationSummary = {
  id: number;
  applicationKey: string;
  name: string;
  description: string;
  createdAt: Date;
  revokedAt: Date | null;
};

/** A consumer key acting for the account, as its profile lists it. */
export type ApiConsumerKeySummary = {
  id: number;
  applicationId: number;
  applicationName: string;
  accessRules: ApiAccessRule[];
  state: "validated";
  createdAt: Date;
  /** When the account approved it. */
  validatedAt: Date;
  lastUsedAt: Date | null;
  /** Set when the key, or its application, was revoked: it no longer works. */
  revokedAt: Date | null;
};

export type ApiAccess = { applications: ApiApplicationSummary[]; consumerKeys: ApiConsumerKeySummary[] };

/**
 * The profile's "API access": the applications the account owns and the consumer keys it approved
 * (those that act for it, whichever application they belong to), newest first, revoked ones
 * included with their `revokedAt`. Refused and pending keys act for no one and are not listed.
 */
export async function listApiAccess(db: Db, accountId: number): Promise<ApiAccess> {
  const applications = await db.read
    .select({
      id: apiApplications.id,
      applicationKey: apiApplications.applicationKey,
      name: apiApplications.name,
      description: apiApplications.description,
      createdAt: apiApplications.createdAt,
      revokedAt: apiApplications.revokedAt,
    })
    .from(apiApplications)
    .where(eq(apiApplications.accountId, accountId))
    .orderBy(desc(apiApplications.id));
  const keys = await db.read
    .select({
      id: apiConsumerKeys.id,
      applicationId: apiConsumerKeys.applicationId,
      applicationName: apiApplications.name,
      accessRules: apiConsumerKeys.accessRules,
      createdAt: apiConsumerKeys.createdAt,
      decidedAt: apiConsumerKeys.decidedAt,
      lastUsedAt: apiConsumerKeys.lastUsedAt,
      revokedAt: apiConsumerKeys.revokedAt,
    })
    .from(apiConsumerKeys)
    .innerJoin(apiApplications, eq(apiApplications.id, apiConsumerKeys.applicationId))
    .where(and(eq(apiConsumerKeys.accountId, accountId), eq(apiConsumerKeys.state, "validated")))
    .orderBy(desc(apiConsumerKeys.id));
  return {
    applications,
    consumerKeys: keys.map(({ decidedAt, ...key }) => ({
      ...key,
      state: "validated" as const,
      // A validated key always has its decision's time.
      validatedAt: decidedAt ?? key.createdAt,
    })),
  };
}
