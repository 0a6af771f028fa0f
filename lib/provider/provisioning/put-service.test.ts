import { count } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Db, openDb } from "@/db/client";
import { webhookEvents } from "@/db/schema";
import { findServiceForContact } from "@/lib/api/ovh/find-service-for-contact";
import { listRequests } from "@/lib/requests/list-requests";
import { requestContactChange } from "@/lib/requests/request-contact-change";
import {
  ANNA,
  accountIdOf,
  askOne,
  BARTOSZ,
  CELINA,
  DAWID,
  EWA,
  endedMailsOf,
  eventsOf,
  openTestDb,
  requestRow,
  serviceIdOf,
  snapshot,
  T0,
} from "@/lib/requests/testing/confirming-fixtures";
import { getServiceForContact } from "@/lib/services/get-service";
import { listServices } from "@/lib/services/list-services";
import type { ServiceInput } from "./provisioning-schemas";
import { getService, putService, removeService } from "./put-service";
import { addWebhookEndpoint, webhookEventsOf } from "./testing/provisioning-fixtures";

let db: Db;
beforeEach(async () => {
  db = await openTestDb();
  await addWebhookEndpoint(db);
});
afterEach(async () => {
  await db.close();
});

const EXAMPLE = { type: "domain", name: "example.pl" } as const;
const service = (overrides: Partial<ServiceInput> = {}): ServiceInput => ({
  type: "domain",
  name: "new.example.pl",
  contactAdmin: ANNA,
  contactTech: BARTOSZ,
  contactBilling: CELINA,
  ...overrides,
});
const eventCount = async () => (await db.read.select({ n: count() }).from(webhookEvents))[0]?.n;
const LATER = new Date(T0.getTime() + 60_000);

describe("putService", () => {
  it("creates a service, tells the provider's endpoints, and getService shows it", async () => {
    const result = await putService(db, service(), T0);
    const shown = { ...service() };
    expect(result).toEqual({ ok: true, created: true, service: shown, cancelledRequestIds: [] });
    expect(await getService(db, { type: "domain", name: "new.example.pl" })).toEqual(shown);
    expect(await webhookEventsOf(db)).toEqual([
      {
        type: "service.contacts_changed",
        data: {
          service: { type: "domain", name: "new.example.pl" },
          contacts: { admin: ANNA, tech: BARTOSZ, billing: CELINA },
          previous: null,
          cause: "provider",
        },
        deliveries: 1,
      },
    ]);
  });

  it("refuses a contact naming no account, naming the field, and changes nothing", async () => {
    const before = await snapshot(db);
    expect(await putService(db, service({ contactTech: "zz999999-ovh" }), T0)).toEqual({
      ok: false,
      reason: "unknown_account",
      field: "contactTech",
      message: "contactTech: no account has the customer ID zz999999-ovh",
    });
    expect(
      await putService(db, { ...EXAMPLE, ...service({ contactBilling: "zz999999-ovh" }) }, T0),
    ).toMatchObject({ ok: false, field: "contactBilling" });
    expect(await snapshot(db)).toEqual(before);
    expect(await eventCount()).toBe(0);
  });

  it("the same input twice changes nothing and tells nothing the second time", async () => {
    await putService(db, service(), T0);
    const before = await snapshot(db);
    const result = await putService(db, service(), LATER);
    expect(result).toMatchObject({ ok: true, created: false, cancelledRequestIds: [] });
    expect(await snapshot(db)).toEqual(before);
    expect(await eventCount()).toBe(1);
  });

  it("the same name under another type is another service", async () => {
    await putService(db, service(), T0);
    expect(await putService(db, service({ type: "web_hosting" }), T0)).toMatchObject({ created: true });
  });

  it("changes the contacts at once, cancelling the pending requests it makes stale, everyone told", async () => {
    // Anna asks for a new billing contact (stale once billing changes) and a new tech (still valid).
    const billingRequest = await askOne(db, ANNA, "example.pl", { billing: DAWID });
    const techRequest = await askOne(db, ANNA, "example.pl", { tech: DAWID });
    const result = await putService(db, service({ ...EXAMPLE, contactBilling: EWA }), LATER);
    expect(result).toEqual({
      ok: true,
      created: false,
      service: service({ ...EXAMPLE, contactBilling: EWA }),
      cancelledRequestIds: [billingRequest],
    });
    expect(await requestRow(db, billingRequest)).toMatchObject({
      state: "cancelled",
      endReason: "old_contact_changed",
    });
    expect((await eventsOf(db, billingRequest)).at(-1)).toEqual([
      "cancelled",
      null,
      { reason: "old_contact_changed" },
      LATER,
    ]);
    // Each confirmer and the old contact gets the request-ended e-mail.
    expect(
      (await endedMailsOf(db, billingRequest)).map(([to, , , outcome, reason]) => [to, outcome, reason]),
    ).toEqual([
      ["anna@example.test", "cancelled", "old_contact_changed"],
      ["celina@example.test", "cancelled", "old_contact_changed"],
      ["dawid@example.test", "cancelled", "old_contact_changed"],
    ]);
    expect(await requestRow(db, techRequest)).toMatchObject({ state: "pending" });
    // The requests' own steps are events too (lib/requests); here the service's change.
    const serviceEvents = (await webhookEventsOf(db)).filter((event) => event.type.startsWith("service."));
    expect(serviceEvents.map((event) => event.data)).toEqual([
      {
        service: EXAMPLE,
        contacts: { admin: ANNA, tech: BARTOSZ, billing: EWA },
        previous: { admin: ANNA, tech: BARTOSZ, billing: CELINA },
        cause: "provider",
      },
    ]);
  });

  it("a request the new administrator no longer allows ends too", async () => {
    const techRequest = await askOne(db, ANNA, "example.pl", { tech: DAWID });
    const result = await putService(db, service({ ...EXAMPLE, contactAdmin: EWA }), LATER);
    expect(result).toMatchObject({ ok: true, cancelledRequestIds: [techRequest] });
    expect(await requestRow(db, techRequest)).toMatchObject({ endReason: "requester_no_longer_allowed" });
  });

  it("two PUTs of one new service at once create it once and neither fails", async () => {
    const other = db.dialect === "postgres" ? openDb(db.location) : db;
    try {
      const results = await Promise.all([putService(db, service(), T0), putService(other, service(), T0)]);
      expect(results.map((result) => result.ok && result.created).sort()).toEqual([false, true]);
      expect(await eventCount()).toBe(1);
    } finally {
      if (other !== db) await other.close();
    }
  });
});

describe("removeService", () => {
  it("cancels the pending requests with the reason service_removed, everyone told, and tells the endpoints", async () => {
    const request = await askOne(db, ANNA, "example.pl", { tech: DAWID });
    const result = await removeService(db, EXAMPLE, LATER);
    expect(result).toEqual({ ok: true, cancelledRequestIds: [request] });
    expect(await requestRow(db, request)).toMatchObject({ state: "cancelled", endReason: "service_removed" });
    expect(
      (await endedMailsOf(db, request)).map(([to, , , outcome, reason]) => [to, outcome, reason]),
    ).toEqual([
      ["anna@example.test", "cancelled", "service_removed"],
      ["bartosz@example.test", "cancelled", "service_removed"],
      ["dawid@example.test", "cancelled", "service_removed"],
    ]);
    const events = await webhookEventsOf(db);
    expect(events.map((event) => event.type)).toEqual([
      "request.created",
      "request.cancelled",
      "service.removed",
    ]);
    expect(events.at(-1)).toEqual({
      type: "service.removed",
      data: { service: EXAMPLE, contacts: { admin: ANNA, tech: BARTOSZ, billing: CELINA } },
      deliveries: 1,
    });
  });

  it("hides the service from its contacts everywhere, while its requests' history stays in My requests", async () => {
    const request = await askOne(db, ANNA, "example.pl", { tech: DAWID });
    const serviceId = await serviceIdOf(db, "example.pl");
    const anna = await accountIdOf(db, ANNA);
    await removeService(db, EXAMPLE, LATER);

    expect(await getService(db, EXAMPLE)).toBeNull();
    expect(await getServiceForContact(db, serviceId, anna)).toBeNull();
    expect(await findServiceForContact(db, { ...EXAMPLE, accountId: anna })).toBeNull();
    const listed = await listServices(db, anna, { search: "", type: null, role: null, cursor: null });
    expect(listed.rows.map((row) => row.name)).toEqual(["shop.example.pl", "vps-42.example.net"]);
    const searched = await listServices(db, anna, {
      search: "example.pl",
      type: null,
      role: null,
      cursor: null,
    });
    expect(searched.rows.map((row) => row.name)).toEqual(["shop.example.pl"]);
    expect(
      await requestContactChange(db, { actorId: anna, serviceId, fields: { tech: DAWID }, now: LATER }),
    ).toEqual({ ok: false, reason: "not_found" });
    const requests = await listRequests(db, anna, { status: "all", cursor: null }, LATER);
    expect(requests.rows.map((row) => row.id)).toEqual([request]);
  });

  it("a service not there, or already removed, is not found and nothing changes", async () => {
    await removeService(db, EXAMPLE, LATER);
    const before = await snapshot(db);
    const events = await eventCount();
    expect(await removeService(db, EXAMPLE, LATER)).toMatchObject({ ok: false, reason: "not_found" });
    expect(await removeService(db, { type: "vps", name: "example.pl" }, LATER)).toMatchObject({
      ok: false,
      reason: "not_found",
    });
    expect(await snapshot(db)).toEqual(before);
    expect(await eventCount()).toBe(events);
  });

  it("a PUT brings a removed service back, as new for the provider's systems", async () => {
    await removeService(db, EXAMPLE, LATER);
    const result = await putService(db, service({ ...EXAMPLE }), LATER);
    expect(result).toMatchObject({ ok: true, created: true });
    expect(await getService(db, EXAMPLE)).toEqual(service({ ...EXAMPLE }));
    expect((await webhookEventsOf(db)).at(-1)).toMatchObject({
      type: "service.contacts_changed",
      data: { previous: null },
    });
    const anna = await accountIdOf(db, ANNA);
    expect(await getServiceForContact(db, await serviceIdOf(db, "example.pl"), anna)).not.toBeNull();
  });
});
