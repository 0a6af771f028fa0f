import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { eq, sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { type Db, rawRows } from "@/db/client";
import {
  accounts,
  changeRequests,
  confirmations,
  invoices,
  type NewService,
  outbox,
  requestEvents,
  services,
} from "@/db/schema";
import { DEMO_ACCOUNTS, seedDemoData } from "@/db/seed";
import { openTestDb } from "@/db/testing";
import { sendDueEmails } from "@/lib/email/outbox-sender";
import { type FakeResend, resendError, startFakeResend } from "@/lib/email/testing/fake-resend-server";
import { hashToken } from "@/lib/tokens";
import {
  type RequestContactChangeInput,
  type RequestContactChangeResult,
  requestContactChange,
} from "./request-contact-change";
import type { SubmissionJob, SubmissionWorkerMessage } from "./testing/request-contact-change.worker";

const T0 = new Date("2026-03-02T09:00:00.000Z");
const DAY = 86_400_000;
const HOUR = 3_600_000;
const at = (ms: number) => new Date(T0.getTime() + ms);

// Demo accounts (db/seed.ts). On example.pl Anna is admin, Bartosz tech, Celina billing;
// Celina has an invoice due in 10 days, Ewa one 20 days overdue, Anna a paid one.
const ANNA = "aa100001-ovh";
const BARTOSZ = "bb200002-ovh";
const CELINA = "cc300003-ovh";
const DAWID = "dd400004-ovh";
const EWA = "ee500005-ovh";

let db: Db;
let tempDirs: string[] = [];

async function freshDb(file = ":memory:"): Promise<Db> {
  const opened = await openTestDb(file);
  await seedDemoData(opened, T0);
  return opened;
}

beforeEach(async () => {
  db = await freshDb();
});

afterEach(async () => {
  vi.unstubAllEnvs();
  await db.close();
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
  tempDirs = [];
});

async function idOf(customerId: string): Promise<number> {
  const [row] = await db.read
    .select({ id: accounts.id })
    .from(accounts)
    .where(eq(accounts.customerId, customerId));
  if (!row) throw new Error(`no account ${customerId}`);
  return row.id;
}

async function summaryOf(customerId: string) {
  const demo = DEMO_ACCOUNTS.find((account) => account.customerId === customerId);
  if (!demo) throw new Error(`no demo account ${customerId}`);
  return { id: await idOf(customerId), customerId, name: demo.name };
}

async function serviceIdOf(name: string): Promise<number> {
  const [row] = await db.read
    .select({ id: services.id })
    .from(services)
    .where(eq(services.name, name))
    .limit(1);
  if (!row) throw new Error(`no service ${name}`);
  return row.id;
}

async function addService(values: Omit<NewService, "type"> & { type?: NewService["type"] }): Promise<number> {
  const [row] = await db.transaction((tx) =>
    tx
      .insert(services)
      .values({ type: "domain", ...values })
      .returning({ id: services.id }),
  );
  return (row as { id: number }).id;
}

let invoiceNumber = 0;
async function addInvoice(customerId: string, dueAt: Date, paidAt: Date | null = null): Promise<void> {
  invoiceNumber += 1;
  const values = {
    accountId: await idOf(customerId),
    reference: `TEST-${invoiceNumber}`,
    amountCents: 1_000,
    dueAt,
    paidAt,
  };
  await db.transaction(async (tx) => {
    await tx.insert(invoices).values(values);
  });
}

type Submission = {
  service?: string;
  serviceId?: number;
  fields: RequestContactChangeInput["fields"];
  shown?: RequestContactChangeInput["shown"];
  now?: Date;
};

async function submitAs(actor: string, submission: Submission): Promise<RequestContactChangeResult> {
  return requestContactChange(db, {
    actorId: await idOf(actor),
    serviceId: submission.serviceId ?? (await serviceIdOf(submission.service ?? "example.pl")),
    fields: submission.fields,
    shown: submission.shown,
    now: submission.now ?? T0,
  });
}

function registered(result: RequestContactChangeResult) {
  if (!result.ok) throw new Error(`expected requests, got ${JSON.stringify(result)}`);
  return result.requests;
}

/** Every row of the tables a submission may write, to compare before and after a refusal. */
async function snapshot() {
  const all = (table: string) => rawRows(db.read, sql`SELECT * FROM ${sql.raw(table)} ORDER BY id`);
  return {
    services: await all("services"),
    change_requests: await all("change_requests"),
    confirmations: await all("confirmations"),
    request_events: await all("request_events"),
    outbox: await all("outbox"),
  };
}

async function rowCounts() {
  const count = async (table: string) => {
    // Cast: PostgreSQL returns count(*), a bigint, as a string.
    const [row] = await rawRows<{ n: number }>(
      db.read,
      sql`SELECT CAST(count(*) AS integer) AS n FROM ${sql.raw(table)}`,
    );
    return (row as { n: number }).n;
  };
  return {
    change_requests: await count("change_requests"),
    confirmations: await count("confirmations"),
    request_events: await count("request_events"),
    outbox: await count("outbox"),
  };
}

/** Submits and checks that the refusal wrote nothing at all. */
async function expectRefusal(
  actor: string,
  submission: Submission,
  expected: RequestContactChangeResult,
): Promise<void> {
  const before = await snapshot();
  const result = await submitAs(actor, submission);
  expect(result).toEqual(expected);
  expect(await snapshot()).toEqual(before);
}

const invalid = (
  fieldErrors: Extract<RequestContactChangeResult, { reason: "invalid_fields" }>["fieldErrors"],
) => ({ ok: false, reason: "invalid_fields", fieldErrors }) as const;

async function requestRows() {
  return db.read.select().from(changeRequests).orderBy(changeRequests.id);
}

async function confirmationsOf(requestId: number) {
  return db.read
    .select()
    .from(confirmations)
    .where(eq(confirmations.requestId, requestId))
    .orderBy(confirmations.id);
}

async function outboxRows() {
  return db.read.select().from(outbox).orderBy(outbox.id);
}

describe("an administrator replaces the technical contact", () => {
  it("registers one pending request, a token per confirmer, one history event and their e-mails", async () => {
    const anna = await idOf(ANNA);
    const dawid = await idOf(DAWID);
    await db.transaction(async (tx) => {
      await tx.update(accounts).set({ language: "pl" }).where(eq(accounts.id, dawid));
    });
    const serviceId = await serviceIdOf("example.pl");

    const result = await submitAs(ANNA, { fields: { tech: DAWID } });

    const [request] = registered(result);
    expect(result).toEqual({
      ok: true,
      requests: [
        {
          id: request?.id,
          contactTypes: ["tech"],
          oldContact: await summaryOf(BARTOSZ),
          newContact: await summaryOf(DAWID),
          confirmers: [await summaryOf(ANNA), await summaryOf(DAWID)],
        },
      ],
    });

    const rows = await requestRows();
    expect(rows).toEqual([
      {
        id: request?.id,
        serviceId,
        // Anna administers the service: the request is on her list.
        serviceAdminId: anna,
        requestedById: anna,
        oldContactId: await idOf(BARTOSZ),
        newContactId: dawid,
        changesAdmin: false,
        changesTech: true,
        changesBilling: false,
        state: "pending",
        endReason: null,
        createdAt: T0,
        expiresAt: at(14 * DAY),
        endedAt: null,
        lastResentAt: null,
        batchId: null,
      },
    ]);
    // Nothing changes on the service until the request is confirmed.
    expect((await db.read.select().from(services).where(eq(services.id, serviceId)))[0]).toMatchObject({
      adminId: anna,
      techId: await idOf(BARTOSZ),
      billingId: await idOf(CELINA),
    });

    const tokens = await confirmationsOf(request?.id ?? -1);
    expect(tokens.map((c) => c.accountId)).toEqual([anna, dawid]);
    for (const confirmation of tokens) {
      expect(confirmation).toMatchObject({
        failedAttempts: 0,
        tokenIssuedAt: T0,
        decision: null,
        decidedAt: null,
      });
      expect(confirmation.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(new Set(tokens.map((c) => c.tokenHash)).size).toBe(2);

    expect(await db.read.select().from(requestEvents)).toEqual([
      {
        id: expect.any(Number),
        requestId: request?.id,
        actorId: anna,
        kind: "created",
        detail: { contactTypes: ["tech"], kind: "replace", confirmerIds: [anna, dawid] },
        at: T0,
      },
    ]);

    const mails = await outboxRows();
    expect(mails.map((m) => [m.toAddress, m.toAccountId, m.language, m.template, m.status])).toEqual([
      ["anna@example.test", anna, "en", "change-request", "pending"],
      ["dawid@example.test", dawid, "pl", "change-request", "pending"],
    ]);
    expect(mails.map((m) => m.subject)).toEqual([
      `Confirm or refuse the contact change for example.pl (request ${request?.id})`,
      `Potwierdź lub odrzuć zmianę kontaktu usługi example.pl (zlecenie nr ${request?.id})`,
    ]);
    for (const mail of mails) {
      expect(mail.nextAttemptAt).toEqual(T0);
      expect(mail.props).toMatchObject({
        requestId: request?.id,
        serviceName: "example.pl",
        serviceType: "domain",
        contactTypes: ["tech"],
        oldContact: { customerId: BARTOSZ, name: "Bartosz Wiśniewski" },
        newContact: { customerId: DAWID, name: "Dawid Kowalczyk" },
        requestedBy: { customerId: ANNA, name: "Anna Nowak" },
        expiresAt: at(14 * DAY).toISOString(),
      });
    }
    expect(mails.map((m) => (m.props.recipient as { customerId: string }).customerId)).toEqual([ANNA, DAWID]);

    // Each e-mail carries the code of its own recipient's confirmation.
    const codes = mails.map((m) => m.props.code as string);
    expect(codes[0]).not.toEqual(codes[1]);
    expect(codes.map((code) => hashToken(code))).toEqual(tokens.map((c) => c.tokenHash));

    // Only the outbox (until it is sent) may hold a code; everything else keeps hashes only.
    const atRest = JSON.stringify([
      await rawRows(db.read, sql`SELECT * FROM change_requests`),
      await rawRows(db.read, sql`SELECT * FROM confirmations`),
      await rawRows(db.read, sql`SELECT * FROM request_events`),
    ]);
    for (const code of codes) {
      expect(code.length).toBeGreaterThanOrEqual(40);
      expect(atRest).not.toContain(code);
    }
  });

  it("lets the request expire after REQUEST_EXPIRY_DAYS days, in the row and in the e-mails", async () => {
    vi.stubEnv("REQUEST_EXPIRY_DAYS", "3");
    await submitAs(ANNA, { fields: { tech: DAWID } });
    expect((await requestRows()).map((r) => r.expiresAt)).toEqual([at(3 * DAY)]);
    expect((await outboxRows()).map((m) => m.props.expiresAt)).toEqual([
      at(3 * DAY).toISOString(),
      at(3 * DAY).toISOString(),
    ]);
  });

  it("reads a customer ID typed with spaces and capitals as the lower-case account", async () => {
    const [request] = registered(await submitAs(ANNA, { fields: { tech: `  ${DAWID.toUpperCase()} ` } }));
    expect(request?.newContact).toEqual(await summaryOf(DAWID));
    expect((await requestRows()).map((r) => r.newContactId)).toEqual([await idOf(DAWID)]);
  });

  it("ignores untouched fields of a full form that still show their holders", async () => {
    const requests = registered(
      await submitAs(ANNA, {
        fields: { admin: ANNA, tech: DAWID, billing: CELINA },
        shown: { admin: ANNA, tech: BARTOSZ, billing: CELINA },
      }),
    );
    expect(requests.map((r) => r.contactTypes)).toEqual([["tech"]]);
    expect(await requestRows()).toHaveLength(1);
  });
});

describe("who must confirm", () => {
  it("an administrator taking billing back confirms alone", async () => {
    const anna = await idOf(ANNA);
    const requests = registered(await submitAs(ANNA, { fields: { billing: ANNA } }));
    expect(requests).toEqual([
      {
        id: expect.any(Number),
        contactTypes: ["billing"],
        oldContact: await summaryOf(CELINA),
        newContact: await summaryOf(ANNA),
        confirmers: [await summaryOf(ANNA)],
      },
    ]);
    expect(await requestRows()).toMatchObject([
      {
        requestedById: anna,
        oldContactId: await idOf(CELINA),
        newContactId: anna,
        changesAdmin: false,
        changesTech: false,
        changesBilling: true,
      },
    ]);
    expect((await confirmationsOf(requests[0]?.id ?? -1)).map((c) => c.accountId)).toEqual([anna]);
    expect((await outboxRows()).map((m) => m.toAddress)).toEqual(["anna@example.test"]);
    expect((await db.read.select().from(requestEvents)).map((e) => e.detail)).toEqual([
      { contactTypes: ["billing"], kind: "take_back", confirmerIds: [anna] },
    ]);
  });

  it("naming one account for tech and billing held by the same person makes one request for both", async () => {
    const serviceId = await addService({
      name: "twin.example.pl",
      adminId: await idOf(ANNA),
      techId: await idOf(BARTOSZ),
      billingId: await idOf(BARTOSZ),
    });
    const requests = registered(await submitAs(ANNA, { serviceId, fields: { tech: DAWID, billing: DAWID } }));
    expect(requests).toEqual([
      {
        id: expect.any(Number),
        contactTypes: ["tech", "billing"],
        oldContact: await summaryOf(BARTOSZ),
        newContact: await summaryOf(DAWID),
        confirmers: [await summaryOf(ANNA), await summaryOf(DAWID)],
      },
    ]);
    expect(await requestRows()).toMatchObject([
      { serviceId, changesAdmin: false, changesTech: true, changesBilling: true },
    ]);
    expect(await rowCounts()).toEqual({ change_requests: 1, confirmations: 2, request_events: 1, outbox: 2 });
    expect((await outboxRows()).map((m) => m.props.contactTypes)).toEqual([
      ["tech", "billing"],
      ["tech", "billing"],
    ]);
  });

  it("naming one account for tech and billing held by different people makes two requests", async () => {
    const requests = registered(await submitAs(ANNA, { fields: { tech: DAWID, billing: DAWID } }));
    expect(requests.map((r) => [r.contactTypes, r.oldContact.customerId, r.newContact.customerId])).toEqual([
      [["tech"], BARTOSZ, DAWID],
      [["billing"], CELINA, DAWID],
    ]);
    expect((await requestRows()).map((r) => [r.changesTech, r.changesBilling, r.oldContactId])).toEqual([
      [true, false, await idOf(BARTOSZ)],
      [false, true, await idOf(CELINA)],
    ]);
    expect(await rowCounts()).toEqual({ change_requests: 2, confirmations: 4, request_events: 2, outbox: 4 });
    const hashes = (await db.read.select().from(confirmations)).map((c) => c.tokenHash);
    expect(new Set(hashes).size).toBe(4);
  });

  it("an administrator handing the administrative contact over confirms with the new administrator", async () => {
    const requests = registered(await submitAs(ANNA, { fields: { admin: DAWID } }));
    expect(requests).toEqual([
      {
        id: expect.any(Number),
        contactTypes: ["admin"],
        oldContact: await summaryOf(ANNA),
        newContact: await summaryOf(DAWID),
        confirmers: [await summaryOf(ANNA), await summaryOf(DAWID)],
      },
    ]);
    expect(await requestRows()).toMatchObject([
      { changesAdmin: true, changesTech: false, changesBilling: false },
    ]);
  });

  it("a holder of all three contacts handing them to one account makes one request for all three", async () => {
    const requests = registered(
      await submitAs(ANNA, {
        service: "vps-42.example.net",
        fields: { admin: DAWID, tech: DAWID, billing: DAWID },
      }),
    );
    expect(requests.map((r) => [r.contactTypes, r.confirmers.map((c) => c.customerId)])).toEqual([
      [
        ["admin", "tech", "billing"],
        [ANNA, DAWID],
      ],
    ]);
    expect(await requestRows()).toMatchObject([
      { changesAdmin: true, changesTech: true, changesBilling: true },
    ]);
    expect(await rowCounts()).toEqual({ change_requests: 1, confirmations: 2, request_events: 1, outbox: 2 });
  });

  it("a technical contact replacing themself confirms with the new technical contact", async () => {
    const requests = registered(await submitAs(BARTOSZ, { fields: { tech: DAWID } }));
    expect(requests).toEqual([
      {
        id: expect.any(Number),
        contactTypes: ["tech"],
        oldContact: await summaryOf(BARTOSZ),
        newContact: await summaryOf(DAWID),
        confirmers: [await summaryOf(BARTOSZ), await summaryOf(DAWID)],
      },
    ]);
    expect((await confirmationsOf(requests[0]?.id ?? -1)).map((c) => c.accountId)).toEqual([
      await idOf(BARTOSZ),
      await idOf(DAWID),
    ]);
    expect(await requestRows()).toMatchObject([{ requestedById: await idOf(BARTOSZ), changesTech: true }]);
    expect(
      (await db.read.select().from(requestEvents)).map((e) => (e.detail as { kind: string }).kind),
    ).toEqual(["hand_over"]);
    expect((await outboxRows()).map((m) => m.toAddress)).toEqual([
      "bartosz@example.test",
      "dawid@example.test",
    ]);
  });

  it("a billing contact replacing themself confirms with the new billing contact", async () => {
    // Celina's invoice is due in 10 days: not overdue, so it does not block.
    const requests = registered(await submitAs(CELINA, { fields: { billing: DAWID } }));
    expect(requests).toEqual([
      {
        id: expect.any(Number),
        contactTypes: ["billing"],
        oldContact: await summaryOf(CELINA),
        newContact: await summaryOf(DAWID),
        confirmers: [await summaryOf(CELINA), await summaryOf(DAWID)],
      },
    ]);
    expect(await requestRows()).toMatchObject([
      { requestedById: await idOf(CELINA), changesAdmin: false, changesTech: false, changesBilling: true },
    ]);
    expect((await outboxRows()).map((m) => m.toAddress)).toEqual([
      "celina@example.test",
      "dawid@example.test",
    ]);
  });
});

describe("the edit form asks first before a hand-over of the administrator or a take-back", () => {
  const askFirst = async (
    actor: string,
    fields: RequestContactChangeInput["fields"],
    service = "example.pl",
  ) =>
    requestContactChange(db, {
      actorId: await idOf(actor),
      serviceId: await serviceIdOf(service),
      fields,
      askFirst: true,
      now: T0,
    });

  it("a hand-over of the administrator is shown with the rest of the form and registers nothing", async () => {
    const before = await snapshot();
    expect(await askFirst(ANNA, { admin: DAWID, tech: CELINA })).toEqual({
      ok: false,
      reason: "needs_confirmation",
      requests: [
        {
          kind: "hand_over",
          contactTypes: ["admin"],
          oldContact: await summaryOf(ANNA),
          newContact: await summaryOf(DAWID),
          confirmers: [await summaryOf(ANNA), await summaryOf(DAWID)],
        },
        {
          kind: "replace",
          contactTypes: ["tech"],
          oldContact: await summaryOf(BARTOSZ),
          newContact: await summaryOf(CELINA),
          confirmers: [await summaryOf(ANNA), await summaryOf(CELINA)],
        },
      ],
    });
    expect(await snapshot()).toEqual(before);
  });

  it("taking a contact back asks first", async () => {
    const result = await askFirst(ANNA, { billing: ANNA });
    expect(result).toMatchObject({ ok: false, reason: "needs_confirmation" });
    expect(await rowCounts()).toMatchObject({ change_requests: 0, outbox: 0 });
  });

  it("naming another technical contact registers at once", async () => {
    expect(await askFirst(ANNA, { tech: DAWID })).toMatchObject({ ok: true });
  });

  it("a refused field is reported before any confirmation", async () => {
    expect(await askFirst(ANNA, { admin: DAWID, tech: "not-a-customer-id" })).toEqual(
      invalid({ tech: { reason: "malformed_customer_id" } }),
    );
  });
});

describe("refused submissions change nothing", () => {
  it("a malformed customer ID", async () => {
    await expectRefusal(
      ANNA,
      { fields: { tech: "not-a-customer-id" } },
      invalid({ tech: { reason: "malformed_customer_id" } }),
    );
  });

  it("a customer ID no account has", async () => {
    await expectRefusal(
      ANNA,
      { fields: { tech: "zz999999-ovh" } },
      invalid({ tech: { reason: "unknown_account" } }),
    );
  });

  it("an edited field naming the current holder", async () => {
    // The form showed someone else (the holder changed meanwhile) and the user typed the holder.
    await expectRefusal(
      ANNA,
      { fields: { tech: BARTOSZ }, shown: { tech: CELINA } },
      invalid({ tech: { reason: "already_holder", customerId: BARTOSZ } }),
    );
    // Without what the form showed, a field naming the holder counts as edited too.
    await expectRefusal(
      ANNA,
      { fields: { tech: BARTOSZ } },
      invalid({ tech: { reason: "already_holder", customerId: BARTOSZ } }),
    );
  });

  it("an untouched field naming the current holder is simply nothing to change", async () => {
    await expectRefusal(
      ANNA,
      { fields: { tech: BARTOSZ }, shown: { tech: ` ${BARTOSZ} ` } },
      { ok: false, reason: "nothing_to_change" },
    );
    await expectRefusal(ANNA, { fields: {} }, { ok: false, reason: "nothing_to_change" });
  });

  it("a technical contact cannot name the billing or the administrative contact", async () => {
    await expectRefusal(
      BARTOSZ,
      { fields: { billing: DAWID } },
      invalid({ billing: { reason: "not_allowed" } }),
    );
    await expectRefusal(BARTOSZ, { fields: { admin: DAWID } }, invalid({ admin: { reason: "not_allowed" } }));
    // Nor take billing for themself.
    await expectRefusal(
      BARTOSZ,
      { fields: { billing: BARTOSZ } },
      invalid({ billing: { reason: "not_allowed" } }),
    );
    // Permission comes first: nothing about the payments of an account it may not name.
    await expectRefusal(
      BARTOSZ,
      { fields: { billing: EWA } },
      invalid({ billing: { reason: "not_allowed" } }),
    );
  });

  it("a field the actor may not change tells nothing about what was typed in it", async () => {
    // Not whether the customer ID exists, nor whether it is well formed, nor who holds the role.
    await expectRefusal(
      BARTOSZ,
      { fields: { billing: "zz999999-ovh" } },
      invalid({ billing: { reason: "not_allowed" } }),
    );
    await expectRefusal(
      BARTOSZ,
      { fields: { billing: "not an id" } },
      invalid({ billing: { reason: "not_allowed" } }),
    );
  });

  it("a read-only field that still names its holder is no change", async () => {
    await expectRefusal(
      BARTOSZ,
      { fields: { admin: ANNA, billing: CELINA } },
      { ok: false, reason: "nothing_to_change" },
    );
  });

  it("a billing contact cannot name the technical or the administrative contact", async () => {
    await expectRefusal(CELINA, { fields: { tech: DAWID } }, invalid({ tech: { reason: "not_allowed" } }));
    await expectRefusal(CELINA, { fields: { admin: DAWID } }, invalid({ admin: { reason: "not_allowed" } }));
  });

  it("one refused field refuses the whole form", async () => {
    await addInvoice(CELINA, at(-DAY));
    await expectRefusal(
      ANNA,
      { fields: { tech: DAWID, billing: EWA } },
      invalid({ billing: { reason: "billing_payments_overdue" } }),
    );
    await expectRefusal(
      ANNA,
      { fields: { tech: "zz999999-ovh", billing: "bad" } },
      invalid({ tech: { reason: "unknown_account" }, billing: { reason: "malformed_customer_id" } }),
    );
  });

  it("an account that is no contact of the service is told it does not exist", async () => {
    const notFound = { ok: false, reason: "not_found" } as const;
    await expectRefusal(DAWID, { fields: { tech: DAWID } }, notFound);
    await expectRefusal(EWA, { fields: { tech: "malformed" } }, notFound);
  });

  it("a service that does not exist is not found", async () => {
    await expectRefusal(
      ANNA,
      { serviceId: 999_999, fields: { tech: DAWID } },
      { ok: false, reason: "not_found" },
    );
  });
});

describe("billing changes check the payments of the asker and the current billing contact", () => {
  const overdue = invalid({ billing: { reason: "billing_payments_overdue" } });

  it("registers a new billing contact with an overdue invoice: only they learn it, when they accept", async () => {
    // Ewa's invoice is 20 days overdue; telling Anna so would make the form an oracle.
    const [request] = registered(await submitAs(ANNA, { fields: { billing: EWA } }));
    expect(request).toMatchObject({
      contactTypes: ["billing"],
      newContact: await summaryOf(EWA),
      confirmers: [await summaryOf(ANNA), await summaryOf(EWA)],
    });
    expect(await requestRows()).toMatchObject([
      { id: request?.id, state: "pending", newContactId: await idOf(EWA) },
    ]);
  });

  it("refuses when the current billing contact is behind, with the same reason", async () => {
    await addInvoice(CELINA, at(-DAY));
    await expectRefusal(ANNA, { fields: { billing: DAWID } }, overdue);
    await expectRefusal(CELINA, { fields: { billing: DAWID } }, overdue);
  });

  it("refuses when the asker is behind, with the same reason", async () => {
    await addInvoice(ANNA, at(-DAY));
    await expectRefusal(ANNA, { fields: { billing: DAWID } }, overdue);
    // Nor may they take billing back for themself.
    await expectRefusal(ANNA, { fields: { billing: ANNA } }, overdue);
  });

  it("a paid or a not yet due invoice does not block", async () => {
    // Anna's seeded invoice was due 30 days ago and is paid; Celina's falls due in 10 days.
    await addInvoice(CELINA, at(-5 * DAY), at(-6 * DAY));
    await addInvoice(ANNA, at(DAY));
    const requests = registered(await submitAs(ANNA, { fields: { billing: DAWID } }));
    expect(requests.map((r) => r.contactTypes)).toEqual([["billing"]]);

    expect(
      registered(await submitAs(ANNA, { service: "shop.example.pl", fields: { billing: ANNA } })),
    ).toHaveLength(1);
  });

  it("an invoice blocks once its due date has passed at the time of the submission", async () => {
    // An unpaid invoice of Celina's falls due at T0 + 10 days.
    await addInvoice(CELINA, at(10 * DAY));
    await expectRefusal(ANNA, { fields: { billing: DAWID }, now: at(10 * DAY + 1) }, overdue);
    expect(
      registered(await submitAs(ANNA, { fields: { billing: DAWID }, now: at(10 * DAY - 1) })),
    ).toHaveLength(1);
  });

  it("does not look at payments for a technical change", async () => {
    expect(registered(await submitAs(ANNA, { fields: { tech: EWA } }))).toHaveLength(1);
  });
});

describe("one pending request per service and contact type", () => {
  it("refuses a second request for the same type, naming the pending one", async () => {
    const [first] = registered(await submitAs(ANNA, { fields: { tech: DAWID } }));
    const pending = invalid({
      tech: { reason: "pending_request_exists", pendingRequestId: first?.id ?? -1 },
    });
    await expectRefusal(ANNA, { fields: { tech: EWA } }, pending);
    await expectRefusal(BARTOSZ, { fields: { tech: EWA } }, pending);
  });

  it("a request changing tech and billing blocks both types", async () => {
    const serviceId = await addService({
      name: "twin.example.pl",
      adminId: await idOf(ANNA),
      techId: await idOf(BARTOSZ),
      billingId: await idOf(BARTOSZ),
    });
    const [first] = registered(await submitAs(ANNA, { serviceId, fields: { tech: DAWID, billing: DAWID } }));
    await expectRefusal(
      ANNA,
      { serviceId, fields: { billing: ANNA } },
      invalid({ billing: { reason: "pending_request_exists", pendingRequestId: first?.id ?? -1 } }),
    );
  });

  it("a pending request for another type or another service does not block", async () => {
    registered(await submitAs(ANNA, { fields: { billing: DAWID } }));
    expect(registered(await submitAs(ANNA, { fields: { tech: DAWID } }))).toHaveLength(1);
    expect(
      registered(await submitAs(ANNA, { service: "shop.example.pl", fields: { billing: DAWID } })),
    ).toHaveLength(1);
    expect((await requestRows()).map((r) => r.state)).toEqual(["pending", "pending", "pending"]);
  });

  it("a pending request that is not yet expired still blocks", async () => {
    const [first] = registered(await submitAs(ANNA, { fields: { tech: DAWID } }));
    await expectRefusal(
      ANNA,
      { fields: { tech: EWA }, now: at(14 * DAY - 1) },
      invalid({ tech: { reason: "pending_request_exists", pendingRequestId: first?.id ?? -1 } }),
    );
  });

  it("an expired pending request no longer blocks and is recorded as expired", async () => {
    const [first] = registered(await submitAs(ANNA, { fields: { tech: DAWID } }));
    const later = at(15 * DAY);

    const [second] = registered(await submitAs(ANNA, { fields: { tech: EWA }, now: later }));

    expect(second?.id).not.toBe(first?.id);
    // Recorded as ended at its deadline, not when it was noticed.
    expect((await requestRows()).map((r) => [r.id, r.state, r.endedAt, r.newContactId])).toEqual([
      [first?.id, "expired", at(14 * DAY), await idOf(DAWID)],
      [second?.id, "pending", null, await idOf(EWA)],
    ]);
    expect(
      (await db.read.select().from(requestEvents).orderBy(requestEvents.id)).map((e) => [
        e.requestId,
        e.kind,
        e.actorId,
        e.at,
      ]),
    ).toEqual([
      [first?.id, "created", await idOf(ANNA), T0],
      [first?.id, "expired", null, at(14 * DAY)],
      [second?.id, "created", await idOf(ANNA), later],
    ]);
    // Everyone involved in the expired request is told: its confirmers and the old contact.
    expect(
      (await outboxRows())
        .filter((m) => m.template === "request-ended")
        .map((m) => [m.toAddress, m.props.requestId, m.props.outcome])
        .sort(),
    ).toEqual([
      ["anna@example.test", first?.id, "expired"],
      ["bartosz@example.test", first?.id, "expired"],
      ["dawid@example.test", first?.id, "expired"],
    ]);
  });

  it("a request expires at its deadline exactly", async () => {
    const [first] = registered(await submitAs(ANNA, { fields: { tech: DAWID } }));
    const [second] = registered(await submitAs(ANNA, { fields: { tech: EWA }, now: at(14 * DAY) }));
    expect((await requestRows()).map((r) => [r.id, r.state])).toEqual([
      [first?.id, "expired"],
      [second?.id, "pending"],
    ]);
  });

  it("the database itself refuses a second pending request for the same service and type", async () => {
    registered(await submitAs(ANNA, { fields: { tech: DAWID } }));
    const values = {
      serviceId: await serviceIdOf("example.pl"),
      serviceAdminId: await idOf(ANNA),
      requestedById: await idOf(ANNA),
      oldContactId: await idOf(BARTOSZ),
      newContactId: await idOf(EWA),
      changesTech: true,
      state: "pending" as const,
      createdAt: T0,
      expiresAt: at(DAY),
    };
    const insertSecond = () =>
      db.transaction(async (tx) => {
        await tx.insert(changeRequests).values(values);
      });
    // PostgreSQL's error (23505, naming the partial index) comes as the cause of drizzle's.
    await expect(insertSecond()).rejects.toThrow(
      db.dialect === "sqlite"
        ? expect.objectContaining({ code: "SQLITE_CONSTRAINT_UNIQUE" })
        : expect.objectContaining({
            cause: expect.objectContaining({ code: "23505", constraint: "change_requests_pending_tech_uq" }),
          }),
    );
  });
});

// Each submission runs in its own worker thread with its own connection to one database.
const WORKER_FILE = pathToFileURL(
  fileURLToPath(new URL("./testing/request-contact-change.worker.ts", import.meta.url)),
).href;
// tsx's ES module API, found through its package.json: `require.resolve` would pick its CommonJS
// build, which cannot register tsx's hooks in a worker on Node 20.
const TSX_API = (() => {
  const manifest = createRequire(import.meta.url).resolve("tsx/package.json");
  const { exports } = JSON.parse(fs.readFileSync(manifest, "utf8")) as {
    exports: { "./esm/api": { import: { default: string } } };
  };
  return pathToFileURL(path.join(path.dirname(manifest), exports["./esm/api"].import.default)).href;
})();
// Node 20 will not start a worker from a .ts file, so a tiny bootstrap loads it through tsx.
const BOOTSTRAP = `import(${JSON.stringify(TSX_API)}).then((api) => api.tsImport(${JSON.stringify(
  WORKER_FILE,
)}, ${JSON.stringify(WORKER_FILE)}));`;

type SubmissionWorkers = {
  /** Submits every input at the same moment, each from its own worker; results in input order. */
  race: (location: string, inputs: SubmissionJob["input"][]) => Promise<RequestContactChangeResult[]>;
  terminate: () => Promise<void>;
};

/** Starts `count` workers and waits until each has loaded the app's modules. */
async function startSubmissionWorkers(count: number): Promise<SubmissionWorkers> {
  const workers = Array.from({ length: count }, () => new Worker(BOOTSTRAP, { eval: true }));
  const next = (worker: Worker, kind: SubmissionWorkerMessage["kind"]) =>
    new Promise<SubmissionWorkerMessage>((resolve, reject) => {
      const onMessage = (message: SubmissionWorkerMessage) => {
        worker.off("error", onError);
        worker.off("message", onMessage);
        if (message.kind === kind) resolve(message);
        else reject(new Error(`worker said ${JSON.stringify(message)} instead of ${kind}`));
      };
      const onError = (error: Error) => {
        worker.off("message", onMessage);
        reject(error);
      };
      worker.on("message", onMessage);
      worker.once("error", onError);
    });
  try {
    await Promise.all(workers.map((worker) => next(worker, "loaded")));
  } catch (error) {
    await Promise.all(workers.map((worker) => worker.terminate()));
    throw error;
  }
  return {
    async race(location, inputs) {
      if (inputs.length > workers.length) throw new Error(`only ${workers.length} workers`);
      const gate = new SharedArrayBuffer(4);
      const busy = inputs.map((input, i) => ({ worker: workers[i] as Worker, input }));
      const ready = busy.map(({ worker }) => next(worker, "ready"));
      for (const { worker, input } of busy) {
        worker.postMessage({ location, input, gate } satisfies SubmissionJob);
      }
      await Promise.all(ready);
      // Every worker now blocks on the gate with its connection open: let them all go at once.
      const done = busy.map(({ worker }) => next(worker, "done"));
      Atomics.store(new Int32Array(gate), 0, 1);
      Atomics.notify(new Int32Array(gate), 0);
      const messages = await Promise.all(done);
      return messages.map(
        (message) => (message as Extract<SubmissionWorkerMessage, { kind: "done" }>).result,
      );
    },
    async terminate() {
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };
}

describe("concurrent submissions", () => {
  const WORKERS = 8;
  let pool: SubmissionWorkers;

  // Loading the app's modules through tsx in every worker takes tens of seconds on a busy machine.
  beforeAll(async () => {
    pool = await startSubmissionWorkers(WORKERS);
  }, 120_000);
  afterAll(async () => {
    await pool?.terminate();
  });

  /**
   * Replaces the test's database with one the workers can open too (a file on SQLite) and
   * returns where they find it.
   */
  async function openSharedDb(): Promise<string> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "request-contact-change-"));
    tempDirs.push(dir);
    await db.close();
    db = await freshDb(path.join(dir, "app.db"));
    return db.location;
  }

  async function expectOneWinner(results: RequestContactChangeResult[]): Promise<number> {
    const winners = results.filter((r) => r.ok);
    expect(winners).toHaveLength(1);
    const winnerId = registered(winners[0] as RequestContactChangeResult)[0]?.id ?? -1;
    for (const result of results.filter((r) => !r.ok)) {
      expect(result).toEqual(
        invalid({ tech: { reason: "pending_request_exists", pendingRequestId: winnerId } }),
      );
    }
    expect((await requestRows()).map((r) => [r.id, r.state, r.changesTech])).toEqual([
      [winnerId, "pending", true],
    ]);
    expect(await rowCounts()).toEqual({ change_requests: 1, confirmations: 2, request_events: 1, outbox: 2 });
    return winnerId;
  }

  it("of two submissions for the same service and type at the same moment, exactly one wins", async () => {
    const location = await openSharedDb();
    const serviceId = await serviceIdOf("example.pl");
    const results = await pool.race(location, [
      { actorId: await idOf(ANNA), serviceId, fields: { tech: DAWID }, now: T0.toISOString() },
      { actorId: await idOf(BARTOSZ), serviceId, fields: { tech: EWA }, now: T0.toISOString() },
    ]);
    expect(results).toHaveLength(2);
    await expectOneWinner(results);
  });

  it(`of ${WORKERS} concurrent submissions, exactly one wins and the others name it`, async () => {
    const location = await openSharedDb();
    const serviceId = await serviceIdOf("example.pl");
    const [anna, bartosz] = [await idOf(ANNA), await idOf(BARTOSZ)];
    const inputs = Array.from({ length: WORKERS }, (_, i) => ({
      actorId: i % 2 === 0 ? anna : bartosz,
      serviceId,
      fields: { tech: i % 3 === 0 ? EWA : DAWID },
      now: T0.toISOString(),
    }));
    const results = await pool.race(location, inputs);
    expect(results).toHaveLength(WORKERS);
    const winnerId = await expectOneWinner(results);
    expect((await db.read.select().from(confirmations)).every((c) => c.requestId === winnerId)).toBe(true);
  });

  it("concurrent submissions for different types of one service both win", async () => {
    const location = await openSharedDb();
    const serviceId = await serviceIdOf("example.pl");
    const results = await pool.race(location, [
      { actorId: await idOf(ANNA), serviceId, fields: { tech: DAWID }, now: T0.toISOString() },
      { actorId: await idOf(ANNA), serviceId, fields: { billing: DAWID }, now: T0.toISOString() },
    ]);
    expect(results.map((r) => r.ok && r.requests.map((q) => q.contactTypes))).toEqual([
      [["tech"]],
      [["billing"]],
    ]);
    expect(await rowCounts()).toEqual({ change_requests: 2, confirmations: 4, request_events: 2, outbox: 4 });
  });
});

describe("e-mails are never lost", () => {
  let resend: FakeResend;

  beforeEach(async () => {
    resend = await startFakeResend();
    vi.stubEnv("RESEND_API_KEY", "re_test_key");
    vi.stubEnv("RESEND_BASE_URL", resend.baseUrl);
    vi.stubEnv("EMAIL_FROM", "");
  });
  afterEach(async () => {
    await resend.close();
  });

  it("registers at once while the provider fails, then delivers each e-mail exactly once", async () => {
    resend.reply(resendError(500, "internal_server_error"));

    const [request] = registered(await submitAs(ANNA, { fields: { tech: DAWID } }));

    // Registered without touching the network: the e-mails wait in the outbox.
    expect(resend.received).toHaveLength(0);
    const queued = await outboxRows();
    expect(queued.map((m) => [m.toAddress, m.status])).toEqual([
      ["anna@example.test", "pending"],
      ["dawid@example.test", "pending"],
    ]);
    const codes = queued.map((m) => m.props.code as string);
    const keys = queued.map((m) => m.idempotencyKey);

    // The first failure pauses the provider: the other e-mail spends no attempt on it. (The grace
    // before a second claim is long, so a slow machine's first send still comes back first.)
    const failed = await sendDueEmails(db, { now: T0, probeGraceMs: 60_000 });
    expect(failed).toMatchObject({ claimed: 1, sent: 0, retried: 1, failed: 0, isPaused: true });
    expect((await outboxRows()).map((m) => [m.status, m.attempts])).toEqual([
      ["pending", 1],
      ["pending", 0],
    ]);
    expect(resend.deliveries.size).toBe(0);
    // Not due again before its backoff.
    expect(await sendDueEmails(db, { now: at(1_000) })).toMatchObject({ claimed: 0 });

    const retried = await sendDueEmails(db, { now: at(HOUR) });
    expect(retried).toMatchObject({ claimed: 2, sent: 2, retried: 0, failed: 0 });
    expect(await sendDueEmails(db, { now: at(2 * HOUR) })).toMatchObject({ claimed: 0 });

    const postsPerKey = (key: string) => resend.received.filter((r) => r.idempotencyKey === key).length;
    expect(keys.map(postsPerKey)).toEqual([2, 1]);
    expect(keys.map((key) => resend.deliveries.get(key))).toEqual([1, 1]);
    expect(resend.received).toHaveLength(3);
    // Each recipient got their own code.
    const delivered = keys.map((key) => resend.received.findLast((r) => r.idempotencyKey === key));
    expect(delivered.map((r) => r?.body.to)).toEqual(["anna@example.test", "dawid@example.test"]);
    expect(delivered[0]?.body.text).toContain(codes[0]);
    expect(delivered[1]?.body.text).toContain(codes[1]);
    const dawid = await idOf(DAWID);
    expect(hashToken(codes[1] ?? "")).toBe(
      (await confirmationsOf(request?.id ?? -1)).find((c) => c.accountId === dawid)?.tokenHash,
    );

    // Sent: the code no longer rests anywhere in the database.
    const sent = await outboxRows();
    expect(sent.map((m) => [m.status, m.props.code])).toEqual([
      ["sent", null],
      ["sent", null],
    ]);
    const everything = JSON.stringify(await snapshot());
    for (const code of codes) expect(everything).not.toContain(code);
  });
});
