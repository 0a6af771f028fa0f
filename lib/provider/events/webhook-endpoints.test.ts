import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Db } from "@/db/client";
import { webhookDeliveries, webhookEndpoints, webhookEvents } from "@/db/schema";
import { openTestDb } from "@/db/testing";
import { stubAuthSecret } from "@/lib/api/auth/testing/api-auth-fixtures";
import { MAX_WEBHOOK_DESCRIPTION_LENGTH, MAX_WEBHOOK_URL_LENGTH } from "./parse-webhook-endpoint-input";
import { recordWebhookEvent } from "./record-webhook-event";
import {
  createWebhookEndpoint,
  disableWebhookEndpoint,
  listWebhookDeliveries,
  listWebhookEndpoints,
} from "./webhook-endpoints";
import { openWebhookSecret } from "./webhook-secret";

const T0 = new Date("2026-05-04T08:00:00.000Z");

let db: Db;

beforeEach(async () => {
  stubAuthSecret();
  db = await openTestDb();
});

afterEach(async () => {
  vi.unstubAllEnvs();
  await db.close();
});

async function create(input: { url: string; description?: string; eventTypes?: unknown }) {
  // The input of the HTTP door is untrusted JSON: anything may come where a type is declared.
  return createWebhookEndpoint(db, input as Parameters<typeof createWebhookEndpoint>[1]);
}

async function createOk(input: Parameters<typeof create>[0]) {
  const result = await create(input);
  if (!result.ok) throw new Error(result.message);
  return result;
}

describe("registering an endpoint", () => {
  it("returns a whsec_ secret once and stores it only sealed, bound to its endpoint", async () => {
    const created = await createOk({
      url: " https://billing.example.test/hooks?source=contacts ",
      description: "  Billing  ",
      eventTypes: ["request.done", "service.contacts_changed", "request.done"],
    });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(created.endpoint).toEqual({
      id: expect.any(Number),
      url: "https://billing.example.test/hooks?source=contacts",
      description: "Billing",
      eventTypes: ["request.done", "service.contacts_changed"],
      createdAt: expect.any(Date),
      disabledAt: null,
    });
    const [row] = await db.read.select().from(webhookEndpoints);
    expect(row?.secretEncrypted).not.toContain(created.secret.slice(6));
    expect(openWebhookSecret(row?.secretEncrypted ?? "", created.endpoint.id)).toBe(created.secret);
    // Copied to another endpoint's row, the sealed secret does not open.
    expect(() => openWebhookSecret(row?.secretEncrypted ?? "", created.endpoint.id + 1)).toThrow();
    // Two endpoints never share a secret.
    expect((await createOk({ url: "https://billing.example.test/hooks" })).secret).not.toBe(created.secret);
  });

  it("takes every event type when none is given, and plain http (an internal network)", async () => {
    const created = await createOk({ url: "http://10.0.0.5:8080/events" });
    expect(created.endpoint).toMatchObject({
      url: "http://10.0.0.5:8080/events",
      description: "",
      eventTypes: null,
    });
  });

  const refused: [string, Parameters<typeof create>[0], string, RegExp][] = [
    ["no URL", { url: "" }, "invalid_url", /missing/],
    ["a relative URL", { url: "/hooks" }, "invalid_url", /not a valid absolute URL/],
    ["another scheme", { url: "ftp://example.test/hooks" }, "invalid_url", /https:\/\//],
    ["a javascript: URL", { url: "javascript:alert(1)" }, "invalid_url", /https:\/\//],
    [
      "a user and password in the URL",
      { url: "https://bob:pw@example.test/hooks" },
      "invalid_url",
      /user name or password/,
    ],
    ["a user in the URL", { url: "https://bob@example.test/hooks" }, "invalid_url", /user name or password/],
    ["a fragment", { url: "https://example.test/hooks#x" }, "invalid_url", /fragment/],
    [
      "a URL too long",
      { url: `https://example.test/${"a".repeat(MAX_WEBHOOK_URL_LENGTH)}` },
      "invalid_url",
      /longer than 2000/,
    ],
    ["a URL that is no text", { url: 42 as unknown as string }, "invalid_url", /missing/],
    [
      "a description too long",
      { url: "https://example.test/h", description: "d".repeat(MAX_WEBHOOK_DESCRIPTION_LENGTH + 1) },
      "invalid_description",
      /at most 200/,
    ],
    [
      "a description that is no text",
      { url: "https://example.test/h", description: { a: 1 } as unknown as string },
      "invalid_description",
      /text/,
    ],
    [
      "an unknown event type",
      { url: "https://example.test/h", eventTypes: ["request.eaten"] },
      "invalid_event_types",
      /Unknown event type "request.eaten"/,
    ],
    [
      "an empty list of event types",
      { url: "https://example.test/h", eventTypes: [] },
      "invalid_event_types",
      /at least one/,
    ],
    [
      "event types that are no list",
      { url: "https://example.test/h", eventTypes: "request.done" },
      "invalid_event_types",
      /at least one/,
    ],
  ];
  for (const [what, input, reason, message] of refused) {
    it(`refuses ${what} with a message, and registers nothing`, async () => {
      const result = await create(input);
      expect(result).toEqual({ ok: false, reason, message: expect.stringMatching(message) });
      expect(await db.read.select().from(webhookEndpoints)).toEqual([]);
    });
  }
});

describe("listing and disabling endpoints", () => {
  it("lists every endpoint without its secret, disabled ones with when", async () => {
    const first = await createOk({ url: "https://a.example.test/h" });
    const second = await createOk({ url: "https://b.example.test/h", eventTypes: ["request.created"] });
    expect(await disableWebhookEndpoint(db, first.endpoint.id, T0)).toBe(true);
    const listed = await listWebhookEndpoints(db);
    expect(listed).toEqual([{ ...first.endpoint, disabledAt: T0 }, second.endpoint]);
    expect(JSON.stringify(listed)).not.toMatch(/whsec_|secret/i);
  });

  it("disabling twice keeps the first date; an unknown endpoint is false and changes nothing", async () => {
    const { endpoint } = await createOk({ url: "https://a.example.test/h" });
    expect(await disableWebhookEndpoint(db, endpoint.id, T0)).toBe(true);
    expect(await disableWebhookEndpoint(db, endpoint.id, new Date(T0.getTime() + 1_000))).toBe(true);
    expect((await listWebhookEndpoints(db))[0]?.disabledAt).toEqual(T0);
    expect(await disableWebhookEndpoint(db, endpoint.id + 100, T0)).toBe(false);
    expect(await disableWebhookEndpoint(db, Number.NaN, T0)).toBe(false);
  });
});

describe("the delivery log", () => {
  async function writeEvents(count: number) {
    for (let i = 0; i < count; i++) {
      await db.transaction((tx) =>
        recordWebhookEvent(tx, { type: "request.created", data: { n: i }, at: new Date(T0.getTime() + i) }),
      );
    }
  }

  it("pages an endpoint's deliveries newest first, and only its own", async () => {
    const mine = await createOk({ url: "https://a.example.test/h" });
    const other = await createOk({ url: "https://b.example.test/h" });
    await writeEvents(5);
    const firstPage = (await listWebhookDeliveries(db, mine.endpoint.id, { limit: 3 })) ?? [];
    expect(firstPage).toHaveLength(3);
    const nextPage =
      (await listWebhookDeliveries(db, mine.endpoint.id, { before: firstPage[2]?.id, limit: 3 })) ?? [];
    expect(nextPage).toHaveLength(2);
    const all = [...firstPage, ...nextPage];
    const ids = all.map((delivery) => delivery.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    const events = await db.read.select().from(webhookEvents);
    expect(all.map((d) => d.messageId).sort()).toEqual(events.map((e) => e.messageId).sort());
    expect(all[0]).toMatchObject({
      eventType: "request.created",
      status: "pending",
      attempts: 0,
      lastStatusCode: null,
    });
    const otherIds = (
      await db.read
        .select({ id: webhookDeliveries.id })
        .from(webhookDeliveries)
        .where(eq(webhookDeliveries.endpointId, other.endpoint.id))
    ).map((row) => row.id);
    expect(ids.some((id) => otherIds.includes(id))).toBe(false);
  });

  it("is null for an unknown endpoint, and bounds a page however large it is asked", async () => {
    const { endpoint } = await createOk({ url: "https://a.example.test/h" });
    expect(await listWebhookDeliveries(db, endpoint.id + 1)).toBeNull();
    await writeEvents(3);
    expect(await listWebhookDeliveries(db, endpoint.id, { limit: 1e9 })).toHaveLength(3);
    expect(await listWebhookDeliveries(db, endpoint.id, { limit: -5 })).toHaveLength(1);
  });
});
