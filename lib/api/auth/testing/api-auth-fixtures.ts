import { EventEmitter } from "node:events";
import { createRequire } from "node:module";
import { eq } from "drizzle-orm";
import { vi } from "vitest";
import type { Db } from "@/db/client";
import { accounts, apiConsumerKeys, apiSeenSignatures } from "@/db/schema";
import { createApiApplication } from "../create-api-application";
import { decideApiCredential } from "../decide-api-credential";
import { requestApiCredential } from "../request-api-credential";
import type { ApiAccessRule } from "../vocabulary";

export const T0 = new Date("2026-03-01T09:00:00.000Z");
/** T0 in unix seconds, as X-Ovh-Timestamp carries it. */
export const T0_S = T0.getTime() / 1000;
export const HOST = "contacts.example.test";

/** `ms` milliseconds after T0. */
export function at(ms: number): Date {
  return new Date(T0.getTime() + ms);
}

/** Gives the process an AUTH_SECRET for the application secrets' encryption (undo with vi.unstubAllEnvs). */
export function stubAuthSecret(secret = "test-auth-secret-0123456789abcdefghijkl"): void {
  vi.stubEnv("AUTH_SECRET", secret);
}

let sequence = 0;

/** An account with a unique customer ID (the password hash is never checked here). */
export async function createAccount(db: Db, name = "Alice API"): Promise<{ id: number; customerId: string }> {
  sequence += 1;
  const customerId = `ap${String(sequence).padStart(6, "0")}-ovh`;
  const [account] = await db.transaction((tx) =>
    tx
      .insert(accounts)
      .values({ customerId, name, email: `${customerId}@example.test`, passwordHash: "not-a-real-hash" })
      .returning({ id: accounts.id, customerId: accounts.customerId }),
  );
  if (!account) throw new Error("the account was not stored");
  return account;
}

/** An application of `accountId`, with its key and secret in clear. */
export async function createApplication(db: Db, accountId: number, name = "Batch tool") {
  const created = await createApiApplication(db, { accountId, name, description: "Moves contacts", now: T0 });
  if (!created.ok) throw new Error(`the application was refused: ${created.reason}`);
  return created;
}

/** A consumer key of the application, requested at T0 and left pending. */
export async function requestKey(
  db: Db,
  applicationKey: string,
  accessRules: ApiAccessRule[] = [{ method: "GET", path: "/*" }],
) {
  const requested = await requestApiCredential(db, { applicationKey, accessRules, now: T0 });
  if (!requested.ok) throw new Error(`the consumer key was refused: ${requested.reason}`);
  return requested;
}

/** An application of `accountId` and a consumer key of it validated by `accountId` at T0. */
export async function validatedKey(db: Db, accountId: number, accessRules?: ApiAccessRule[]) {
  const application = await createApplication(db, accountId);
  const { consumerKey, credentialToken } = await requestKey(db, application.applicationKey, accessRules);
  const decided = await decideApiCredential(db, { credentialToken, accountId, approve: true, now: T0 });
  if (!decided.ok) throw new Error(`the consumer key was not validated: ${decided.reason}`);
  return { application, consumerKey, credentialToken };
}

type OvhClient = {
  signRequest(method: string, url: string, body: string | null, timestamp: number | string): string;
  request(
    method: string,
    path: string,
    params: unknown,
    callback: (error: unknown, result: unknown) => void,
  ): void;
};

/** OVHcloud's official Node client (`@ovhcloud/node-ovh`, CommonJS), pointed at HOST under /api/1.0. */
export function officialClient(options: {
  appKey: string;
  appSecret: string;
  consumerKey?: string;
  apiTimeDiff?: number;
}): OvhClient {
  const ovh = createRequire(import.meta.url)("@ovhcloud/node-ovh") as (params: object) => OvhClient;
  return ovh({ ...options, host: HOST, basePath: "/api/1.0" });
}

/** The request `authenticateApiRequest` gets for a call signed with the official client's `signRequest`. */
export function signedByOfficialClient(options: {
  applicationKey: string;
  applicationSecret: string;
  consumerKey: string;
  method: string;
  /** Under /api/1.0, with its query: `/me/task/contactChange?state=done`. */
  path: string;
  body?: string;
  timestamp?: number;
}) {
  const { applicationKey, applicationSecret, consumerKey, method, body = "" } = options;
  const timestamp = String(options.timestamp ?? T0_S);
  const url = `https://${HOST}/api/1.0${options.path}`;
  const client = officialClient({ appKey: applicationKey, appSecret: applicationSecret, consumerKey });
  return {
    method,
    url,
    body,
    headers: {
      application: applicationKey,
      consumer: consumerKey,
      timestamp,
      signature: client.signRequest(method, url, body, timestamp),
    },
  };
}

/** What authentication writes: the seen signatures and the consumer keys' last use. */
export async function authenticationTraces(db: Db) {
  const seen = await db.read.select().from(apiSeenSignatures);
  const used = await db.read
    .select({ id: apiConsumerKeys.id, lastUsedAt: apiConsumerKeys.lastUsedAt })
    .from(apiConsumerKeys);
  return { seen: seen.length, lastUsed: used.filter((key) => key.lastUsedAt !== null).map((key) => key.id) };
}

/** A consumer key's row, found by id. */
export async function keyRow(db: Db, id: number) {
  const [row] = await db.read.select().from(apiConsumerKeys).where(eq(apiConsumerKeys.id, id));
  return row;
}

/** A request as the official client sent it, caught before it left: what the API route would receive. */
export type CaughtRequest = {
  method: string;
  url: string;
  body: string;
  headers: { application?: string; consumer?: string; timestamp?: string; signature?: string };
};

/**
 * Makes one call with the official client, its HTTPS transport replaced by a stub that answers
 * `GET /auth/time` with `serverTime` (unix seconds) and everything else with `null`; returns the
 * call as the server would receive it, the URL rebuilt as `https://{host}{path}`.
 */
export async function callWithOfficialClient(
  client: OvhClient,
  call: { method: string; path: string; params?: object; serverTime: number },
): Promise<CaughtRequest> {
  const https = createRequire(import.meta.url)("node:https") as typeof import("node:https");
  const caught: CaughtRequest[] = [];
  type Options = { host: string; path: string; method: string; headers: Record<string, string | number> };
  const spy = vi.spyOn(https, "request").mockImplementation(((
    options: Options,
    onResponse: (response: EventEmitter & { statusCode: number }) => void,
  ) => {
    let body = "";
    const request = Object.assign(new EventEmitter(), {
      write: (chunk: string) => {
        body += chunk;
      },
      end: () => {
        const isTime = options.path.endsWith("/auth/time");
        if (!isTime) {
          const header = (name: string) =>
            options.headers[name] === undefined ? undefined : String(options.headers[name]);
          caught.push({
            method: options.method,
            url: `https://${options.host}${options.path}`,
            body,
            headers: {
              application: header("X-Ovh-Application"),
              consumer: header("X-Ovh-Consumer"),
              timestamp: header("X-Ovh-Timestamp"),
              signature: header("X-Ovh-Signature"),
            },
          });
        }
        const response = Object.assign(new EventEmitter(), { statusCode: 200 });
        onResponse(response);
        response.emit("data", isTime ? String(call.serverTime) : "null");
        response.emit("end");
      },
    });
    return request;
  }) as never);
  try {
    await new Promise((resolve, reject) => {
      client.request(call.method, call.path, call.params ?? {}, (error, result) =>
        error ? reject(new Error(`the client failed: ${String(error)}`)) : resolve(result),
      );
    });
  } finally {
    spy.mockRestore();
  }
  const [request] = caught;
  if (!request) throw new Error("the client sent nothing");
  return request;
}
