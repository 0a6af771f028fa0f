import { asc, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Db } from "@/db/client";
import { webhookDeliveries, webhookEndpoints, webhookEvents } from "@/db/schema";
import { stubAuthSecret } from "@/lib/api/auth/testing/api-auth-fixtures";
import { deliverDueWebhooks } from "@/lib/provider/events/deliver-webhooks";
import { startWebhookReceiver } from "@/lib/provider/events/testing/webhook-receiver";
import { createWebhookEndpoint, disableWebhookEndpoint } from "@/lib/provider/events/webhook-endpoints";
import type { WebhookEventType } from "@/lib/provider/vocabulary";
import { answerRequest } from "./answer-request";
import { cancelRequest } from "./cancel-request";
import { recordEvent } from "./request-context";
import { sweepExpiredRequests } from "./sweep-expired-requests";
import {
  ANNA,
  accountIdOf,
  askOne,
  at,
  BARTOSZ,
  CELINA,
  codeFor,
  DAWID,
  DAY,
  HOUR,
  openTestDb,
  requestRow,
  T0,
} from "./testing/confirming-fixtures";

let db: Db;

beforeEach(async () => {
  stubAuthSecret();
  db = await openTestDb();
});

afterEach(async () => {
  vi.unstubAllEnvs();
  await db.close();
});

async function addEndpoint(eventTypes: WebhookEventType[] | null = null): Promise<number> {
  const created = await createWebhookEndpoint(db, { url: "https://hooks.example.test/in", eventTypes });
  if (!created.ok) throw new Error(created.message);
  return created.endpoint.id;
}

async function events() {
  return db.read.select().from(webhookEvents).orderBy(asc(webhookEvents.id));
}

async function typesFor(endpointId: number): Promise<string[]> {
  const rows = await db.read
    .select({ type: webhookEvents.type })
    .from(webhookDeliveries)
    .innerJoin(webhookEvents, eq(webhookEvents.id, webhookDeliveries.eventId))
    .where(eq(webhookDeliveries.endpointId, endpointId))
    .orderBy(asc(webhookEvents.id));
  return rows.map((row) => row.type);
}

async function answerWithOwnCode(
  customerId: string,
  requestId: number,
  decision: "accepted" | "refused",
  now: Date,
) {
  return answerRequest(db, {
    requestId,
    actorId: await accountIdOf(db, customerId),
    token: await codeFor(db, requestId, customerId),
    decision,
    now,
  });
}

/** Anna (admin) hands the tech contact of example.pl from Bartosz to Dawid; Anna and Dawid confirm. */
const annaReplacesTech = () => askOne(db, ANNA, "example.pl", { tech: DAWID });

describe("events of a request's life", () => {
  it("each step writes its event, and an applied request the service's new contacts, with the request as the step left it", async () => {
    const endpoint = await addEndpoint();
    const id = await annaReplacesTech();
    await answerWithOwnCode(ANNA, id, "accepted", at(HOUR));
    await answerWithOwnCode(DAWID, id, "accepted", at(2 * HOUR));

    const written = await events();
    expect(written.map((event) => event.type)).toEqual([
      "request.created",
      "request.accepted",
      "request.accepted",
      "request.done",
      "service.contacts_changed",
    ]);
    const request = {
      id,
      service: { type: "domain", name: "example.pl" },
      contactTypes: ["tech"],
      askingAccount: ANNA,
      fromAccount: BARTOSZ,
      toAccount: DAWID,
      createdAt: T0.toISOString(),
      expiresAt: (await requestRow(db, id)).expiresAt.toISOString(),
    };
    expect(written.map((event) => event.payload)).toEqual([
      {
        type: "request.created",
        timestamp: T0.toISOString(),
        data: { request: { ...request, state: "pending", endedAt: null, endReason: null }, actor: ANNA },
      },
      {
        type: "request.accepted",
        timestamp: at(HOUR).toISOString(),
        data: { request: { ...request, state: "pending", endedAt: null, endReason: null }, actor: ANNA },
      },
      {
        type: "request.accepted",
        timestamp: at(2 * HOUR).toISOString(),
        data: { request: { ...request, state: "pending", endedAt: null, endReason: null }, actor: DAWID },
      },
      {
        type: "request.done",
        timestamp: at(2 * HOUR).toISOString(),
        data: {
          request: { ...request, state: "done", endedAt: at(2 * HOUR).toISOString(), endReason: null },
          actor: null,
        },
      },
      {
        type: "service.contacts_changed",
        timestamp: at(2 * HOUR).toISOString(),
        data: {
          service: { type: "domain", name: "example.pl" },
          contacts: { admin: ANNA, tech: DAWID, billing: CELINA },
          previous: { admin: ANNA, tech: BARTOSZ, billing: CELINA },
          cause: "request",
          requestId: id,
        },
      },
    ]);
    // One stable id per event, and one delivery each to the endpoint, due at once.
    expect(new Set(written.map((event) => event.messageId)).size).toBe(5);
    for (const event of written) expect(event.messageId).toMatch(/^msg_[\w-]{22}$/);
    const deliveries = await db.read
      .select()
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.endpointId, endpoint));
    expect(deliveries).toHaveLength(5);
    expect(deliveries.every((delivery) => delivery.status === "pending" && delivery.attempts === 0)).toBe(
      true,
    );
  });

  it("a refusal, a withdrawal and an expiry each end with their event", async () => {
    await addEndpoint();
    const refused = await annaReplacesTech();
    await answerWithOwnCode(DAWID, refused, "refused", at(HOUR));
    const cancelled = await askOne(db, ANNA, "example.pl", { tech: DAWID }, at(2 * HOUR));
    expect(
      await cancelRequest(db, {
        requestId: cancelled,
        actorId: await accountIdOf(db, ANNA),
        now: at(3 * HOUR),
      }),
    ).toEqual({
      ok: true,
    });
    const expired = await askOne(db, ANNA, "shop.example.pl", { tech: DAWID }, at(3 * HOUR));
    await sweepExpiredRequests(db, at(60 * DAY));

    const ends = (await events())
      .filter((event) => event.type !== "request.created")
      .map((event) => {
        const data = event.payload.data as {
          request: { id: number; state: string; endReason: string | null };
          actor: string | null;
        };
        return [event.type, data.request.id, data.request.state, data.request.endReason, data.actor];
      });
    expect(ends).toEqual([
      ["request.refused", refused, "refused", null, DAWID],
      ["request.cancelled", cancelled, "cancelled", "withdrawn", ANNA],
      ["request.expired", expired, "expired", null, null],
    ]);
  });

  it("wrong codes and resent e-mails are not told", async () => {
    await addEndpoint();
    const id = await annaReplacesTech();
    await answerRequest(db, {
      requestId: id,
      actorId: await accountIdOf(db, ANNA),
      token: "not-the-code",
      decision: "accepted",
      now: at(HOUR),
    });
    expect((await events()).map((event) => event.type)).toEqual(["request.created"]);
  });
});

describe("on the wire", () => {
  it("the provider's endpoint receives a request's whole life, signed, in order", async () => {
    let secret = "";
    const receiver = await startWebhookReceiver({ secret: () => secret });
    try {
      const created = await createWebhookEndpoint(db, { url: receiver.url });
      if (!created.ok) throw new Error(created.message);
      secret = created.secret;
      const id = await annaReplacesTech();
      await answerWithOwnCode(ANNA, id, "accepted", at(HOUR));
      await answerWithOwnCode(DAWID, id, "accepted", at(2 * HOUR));
      expect(await deliverDueWebhooks(db, { clock: () => at(2 * HOUR) })).toMatchObject({ delivered: 5 });
      expect(receiver.rejected).toBe(0);
      expect(receiver.verified.map((event) => (event.payload as { type: string }).type)).toEqual([
        "request.created",
        "request.accepted",
        "request.accepted",
        "request.done",
        "service.contacts_changed",
      ]);
      expect(receiver.verified.map((event) => event.messageId)).toEqual(
        (await events()).map((e) => e.messageId),
      );
    } finally {
      await receiver.close();
    }
  });
});

describe("in the step's own transaction", () => {
  it("with no endpoint registered a whole life writes no event and no delivery", async () => {
    const id = await annaReplacesTech();
    await answerWithOwnCode(ANNA, id, "accepted", at(HOUR));
    await answerWithOwnCode(DAWID, id, "accepted", at(2 * HOUR));
    expect((await requestRow(db, id)).state).toBe("done");
    expect(await events()).toEqual([]);
    expect(await db.read.select().from(webhookDeliveries)).toEqual([]);
  });

  it("a step rolled back leaves no event behind", async () => {
    await addEndpoint();
    const id = await annaReplacesTech();
    await expect(
      db.transaction(async (tx) => {
        await recordEvent(tx, { requestId: id, actorId: null, kind: "cancelled", at: at(HOUR) });
        throw new Error("the step failed after its event");
      }),
    ).rejects.toThrow("the step failed");
    expect((await events()).map((event) => event.type)).toEqual(["request.created"]);
    expect(await db.read.select().from(webhookDeliveries)).toHaveLength(1);
  });
});

describe("which endpoints take an event", () => {
  it("an endpoint gets only the types it asked for, a disabled one none, and an event no endpoint takes is not written", async () => {
    const everything = await addEndpoint(null);
    const doneOnly = await addEndpoint(["request.done", "service.contacts_changed"]);
    const disabled = await addEndpoint(null);
    await disableWebhookEndpoint(db, disabled, T0);

    const id = await annaReplacesTech();
    await answerWithOwnCode(ANNA, id, "accepted", at(HOUR));
    await answerWithOwnCode(DAWID, id, "accepted", at(2 * HOUR));

    expect(await typesFor(everything)).toEqual([
      "request.created",
      "request.accepted",
      "request.accepted",
      "request.done",
      "service.contacts_changed",
    ]);
    expect(await typesFor(doneOnly)).toEqual(["request.done", "service.contacts_changed"]);
    expect(await typesFor(disabled)).toEqual([]);

    // With only the filtered endpoint left, a creation is written nowhere.
    await disableWebhookEndpoint(db, everything, at(3 * HOUR));
    const before = (await events()).length;
    await askOne(db, ANNA, "shop.example.pl", { tech: DAWID }, at(3 * HOUR));
    expect(await events()).toHaveLength(before);
    expect((await db.read.select().from(webhookEndpoints)).length).toBe(3);
  });
});
