import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { type Db, migrateDb, openDb } from "@/db/client";
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
  const opened = openDb(file);
  migrateDb(opened);
  await seedDemoData(opened, T0);
  return opened;
}

beforeEach(async () => {
  db = await freshDb();
});

afterEach(() => {
  vi.unstubAllEnvs();
  db.$client.close();
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
  tempDirs = [];
});

function idOf(customerId: string): number {
  const row = db.select({ id: accounts.id }).from(accounts).where(eq(accounts.customerId, customerId)).get();
  if (!row) throw new Error(`no account ${customerId}`);
  return row.id;
}

function summaryOf(customerId: string) {
  const demo = DEMO_ACCOUNTS.find((account) => account.customerId === customerId);
  if (!demo) throw new Error(`no demo account ${customerId}`);
  return { id: idOf(customerId), customerId, name: demo.name };
}

function serviceIdOf(name: string): number {
  const row = db.select({ id: services.id }).from(services).where(eq(services.name, name)).get();
  if (!row) throw new Error(`no service ${name}`);
  return row.id;
}

function addService(values: Omit<NewService, "type"> & { type?: NewService["type"] }): number {
  return db
    .insert(services)
    .values({ type: "domain", ...values })
    .returning({ id: services.id })
    .get().id;
}

let invoiceNumber = 0;
function addInvoice(customerId: string, dueAt: Date, paidAt: Date | null = null): void {
  invoiceNumber += 1;
  db.insert(invoices)
    .values({
      accountId: idOf(customerId),
      reference: `TEST-${invoiceNumber}`,
      amountCents: 1_000,
      dueAt,
      paidAt,
    })
    .run();
}

type Submission = {
  service?: string;
  serviceId?: number;
  fields: RequestContactChangeInput["fields"];
  shown?: RequestContactChangeInput["shown"];
  now?: Date;
};

function submitAs(actor: string, submission: Submission): RequestContactChangeResult {
  return requestContactChange(db, {
    actorId: idOf(actor),
    serviceId: submission.serviceId ?? serviceIdOf(submission.service ?? "example.pl"),
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
function snapshot() {
  const all = (table: string) => db.$client.prepare(`SELECT * FROM ${table} ORDER BY id`).all();
  return {
    services: all("services"),
    change_requests: all("change_requests"),
    confirmations: all("confirmations"),
    request_events: all("request_events"),
    outbox: all("outbox"),
  };
}

function rowCounts() {
  const count = (table: string) =>
    (db.$client.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  return {
    change_requests: count("change_requests"),
    confirmations: count("confirmations"),
    request_events: count("request_events"),
    outbox: count("outbox"),
  };
}

/** Submits and checks that the refusal wrote nothing at all. */
function expectRefusal(actor: string, submission: Submission, expected: RequestContactChangeResult): void {
  const before = snapshot();
  const result = submitAs(actor, submission);
  expect(result).toEqual(expected);
  expect(snapshot()).toEqual(before);
}

const invalid = (
  fieldErrors: Extract<RequestContactChangeResult, { reason: "invalid_fields" }>["fieldErrors"],
) => ({ ok: false, reason: "invalid_fields", fieldErrors }) as const;

function requestRows() {
  return db.select().from(changeRequests).orderBy(changeRequests.id).all();
}

function confirmationsOf(requestId: number) {
  return db
    .select()
    .from(confirmations)
    .where(eq(confirmations.requestId, requestId))
    .orderBy(confirmations.id)
    .all();
}

function outboxRows() {
  return db.select().from(outbox).orderBy(outbox.id).all();
}

describe("an administrator replaces the technical contact", () => {
  it("registers one pending request, a token per confirmer, one history event and their e-mails", () => {
    const anna = idOf(ANNA);
    const dawid = idOf(DAWID);
    db.update(accounts).set({ language: "pl" }).where(eq(accounts.id, dawid)).run();
    const serviceId = serviceIdOf("example.pl");

    const result = submitAs(ANNA, { fields: { tech: DAWID } });

    const [request] = registered(result);
    expect(result).toEqual({
      ok: true,
      requests: [
        {
          id: request?.id,
          contactTypes: ["tech"],
          oldContact: summaryOf(BARTOSZ),
          newContact: summaryOf(DAWID),
          confirmers: [summaryOf(ANNA), summaryOf(DAWID)],
        },
      ],
    });

    const rows = requestRows();
    expect(rows).toEqual([
      {
        id: request?.id,
        serviceId,
        requestedById: anna,
        oldContactId: idOf(BARTOSZ),
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
      },
    ]);
    // Nothing changes on the service until the request is confirmed.
    expect(db.select().from(services).where(eq(services.id, serviceId)).get()).toMatchObject({
      adminId: anna,
      techId: idOf(BARTOSZ),
      billingId: idOf(CELINA),
    });

    const tokens = confirmationsOf(request?.id ?? -1);
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

    expect(db.select().from(requestEvents).all()).toEqual([
      {
        id: expect.any(Number),
        requestId: request?.id,
        actorId: anna,
        kind: "created",
        detail: { contactTypes: ["tech"], kind: "replace", confirmerIds: [anna, dawid] },
        at: T0,
      },
    ]);

    const mails = outboxRows();
    expect(mails.map((m) => [m.toAddress, m.toAccountId, m.language, m.template, m.status])).toEqual([
      ["anna@example.test", anna, "en", "change-request", "pending"],
      ["dawid@example.test", dawid, "pl", "change-request", "pending"],
    ]);
    expect(mails.map((m) => m.subject)).toEqual([
      `Confirm or refuse the contact change for example.pl (request ${request?.id})`,
      `Potwierdź lub odrzuć zmianę kontaktu usługi example.pl (zgłoszenie nr ${request?.id})`,
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
      db.$client.prepare("SELECT * FROM change_requests").all(),
      db.$client.prepare("SELECT * FROM confirmations").all(),
      db.$client.prepare("SELECT * FROM request_events").all(),
    ]);
    for (const code of codes) {
      expect(code.length).toBeGreaterThanOrEqual(40);
      expect(atRest).not.toContain(code);
    }
  });

  it("lets the request expire after REQUEST_EXPIRY_DAYS days, in the row and in the e-mails", () => {
    vi.stubEnv("REQUEST_EXPIRY_DAYS", "3");
    submitAs(ANNA, { fields: { tech: DAWID } });
    expect(requestRows().map((r) => r.expiresAt)).toEqual([at(3 * DAY)]);
    expect(outboxRows().map((m) => m.props.expiresAt)).toEqual([
      at(3 * DAY).toISOString(),
      at(3 * DAY).toISOString(),
    ]);
  });

  it("reads a customer ID typed with spaces and capitals as the lower-case account", () => {
    const [request] = registered(submitAs(ANNA, { fields: { tech: `  ${DAWID.toUpperCase()} ` } }));
    expect(request?.newContact).toEqual(summaryOf(DAWID));
    expect(requestRows().map((r) => r.newContactId)).toEqual([idOf(DAWID)]);
  });

  it("ignores untouched fields of a full form that still show their holders", () => {
    const requests = registered(
      submitAs(ANNA, {
        fields: { admin: ANNA, tech: DAWID, billing: CELINA },
        shown: { admin: ANNA, tech: BARTOSZ, billing: CELINA },
      }),
    );
    expect(requests.map((r) => r.contactTypes)).toEqual([["tech"]]);
    expect(requestRows()).toHaveLength(1);
  });
});

describe("who must confirm", () => {
  it("an administrator taking billing back confirms alone", () => {
    const anna = idOf(ANNA);
    const requests = registered(submitAs(ANNA, { fields: { billing: ANNA } }));
    expect(requests).toEqual([
      {
        id: expect.any(Number),
        contactTypes: ["billing"],
        oldContact: summaryOf(CELINA),
        newContact: summaryOf(ANNA),
        confirmers: [summaryOf(ANNA)],
      },
    ]);
    expect(requestRows()).toMatchObject([
      {
        requestedById: anna,
        oldContactId: idOf(CELINA),
        newContactId: anna,
        changesAdmin: false,
        changesTech: false,
        changesBilling: true,
      },
    ]);
    expect(confirmationsOf(requests[0]?.id ?? -1).map((c) => c.accountId)).toEqual([anna]);
    expect(outboxRows().map((m) => m.toAddress)).toEqual(["anna@example.test"]);
    expect(
      db
        .select()
        .from(requestEvents)
        .all()
        .map((e) => e.detail),
    ).toEqual([{ contactTypes: ["billing"], kind: "take_back", confirmerIds: [anna] }]);
  });

  it("naming one account for tech and billing held by the same person makes one request for both", () => {
    const serviceId = addService({
      name: "twin.example.pl",
      adminId: idOf(ANNA),
      techId: idOf(BARTOSZ),
      billingId: idOf(BARTOSZ),
    });
    const requests = registered(submitAs(ANNA, { serviceId, fields: { tech: DAWID, billing: DAWID } }));
    expect(requests).toEqual([
      {
        id: expect.any(Number),
        contactTypes: ["tech", "billing"],
        oldContact: summaryOf(BARTOSZ),
        newContact: summaryOf(DAWID),
        confirmers: [summaryOf(ANNA), summaryOf(DAWID)],
      },
    ]);
    expect(requestRows()).toMatchObject([
      { serviceId, changesAdmin: false, changesTech: true, changesBilling: true },
    ]);
    expect(rowCounts()).toEqual({ change_requests: 1, confirmations: 2, request_events: 1, outbox: 2 });
    expect(outboxRows().map((m) => m.props.contactTypes)).toEqual([
      ["tech", "billing"],
      ["tech", "billing"],
    ]);
  });

  it("naming one account for tech and billing held by different people makes two requests", () => {
    const requests = registered(submitAs(ANNA, { fields: { tech: DAWID, billing: DAWID } }));
    expect(requests.map((r) => [r.contactTypes, r.oldContact.customerId, r.newContact.customerId])).toEqual([
      [["tech"], BARTOSZ, DAWID],
      [["billing"], CELINA, DAWID],
    ]);
    expect(requestRows().map((r) => [r.changesTech, r.changesBilling, r.oldContactId])).toEqual([
      [true, false, idOf(BARTOSZ)],
      [false, true, idOf(CELINA)],
    ]);
    expect(rowCounts()).toEqual({ change_requests: 2, confirmations: 4, request_events: 2, outbox: 4 });
    const hashes = db
      .select()
      .from(confirmations)
      .all()
      .map((c) => c.tokenHash);
    expect(new Set(hashes).size).toBe(4);
  });

  it("an administrator handing the administrative contact over confirms with the new administrator", () => {
    const requests = registered(submitAs(ANNA, { fields: { admin: DAWID } }));
    expect(requests).toEqual([
      {
        id: expect.any(Number),
        contactTypes: ["admin"],
        oldContact: summaryOf(ANNA),
        newContact: summaryOf(DAWID),
        confirmers: [summaryOf(ANNA), summaryOf(DAWID)],
      },
    ]);
    expect(requestRows()).toMatchObject([{ changesAdmin: true, changesTech: false, changesBilling: false }]);
  });

  it("a holder of all three contacts handing them to one account makes one request for all three", () => {
    const requests = registered(
      submitAs(ANNA, {
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
    expect(requestRows()).toMatchObject([{ changesAdmin: true, changesTech: true, changesBilling: true }]);
    expect(rowCounts()).toEqual({ change_requests: 1, confirmations: 2, request_events: 1, outbox: 2 });
  });

  it("a technical contact replacing themself confirms with the new technical contact", () => {
    const requests = registered(submitAs(BARTOSZ, { fields: { tech: DAWID } }));
    expect(requests).toEqual([
      {
        id: expect.any(Number),
        contactTypes: ["tech"],
        oldContact: summaryOf(BARTOSZ),
        newContact: summaryOf(DAWID),
        confirmers: [summaryOf(BARTOSZ), summaryOf(DAWID)],
      },
    ]);
    expect(confirmationsOf(requests[0]?.id ?? -1).map((c) => c.accountId)).toEqual([
      idOf(BARTOSZ),
      idOf(DAWID),
    ]);
    expect(requestRows()).toMatchObject([{ requestedById: idOf(BARTOSZ), changesTech: true }]);
    expect(
      db
        .select()
        .from(requestEvents)
        .all()
        .map((e) => (e.detail as { kind: string }).kind),
    ).toEqual(["hand_over"]);
    expect(outboxRows().map((m) => m.toAddress)).toEqual(["bartosz@example.test", "dawid@example.test"]);
  });

  it("a billing contact replacing themself confirms with the new billing contact", () => {
    // Celina's invoice is due in 10 days: not overdue, so it does not block.
    const requests = registered(submitAs(CELINA, { fields: { billing: DAWID } }));
    expect(requests).toEqual([
      {
        id: expect.any(Number),
        contactTypes: ["billing"],
        oldContact: summaryOf(CELINA),
        newContact: summaryOf(DAWID),
        confirmers: [summaryOf(CELINA), summaryOf(DAWID)],
      },
    ]);
    expect(requestRows()).toMatchObject([
      { requestedById: idOf(CELINA), changesAdmin: false, changesTech: false, changesBilling: true },
    ]);
    expect(outboxRows().map((m) => m.toAddress)).toEqual(["celina@example.test", "dawid@example.test"]);
  });
});

describe("refused submissions change nothing", () => {
  it("a malformed customer ID", () => {
    expectRefusal(
      ANNA,
      { fields: { tech: "not-a-customer-id" } },
      invalid({ tech: { reason: "malformed_customer_id" } }),
    );
  });

  it("a customer ID no account has", () => {
    expectRefusal(
      ANNA,
      { fields: { tech: "zz999999-ovh" } },
      invalid({ tech: { reason: "unknown_account" } }),
    );
  });

  it("an edited field naming the current holder", () => {
    // The form showed someone else (the holder changed meanwhile) and the user typed the holder.
    expectRefusal(
      ANNA,
      { fields: { tech: BARTOSZ }, shown: { tech: CELINA } },
      invalid({ tech: { reason: "already_holder", customerId: BARTOSZ } }),
    );
    // Without what the form showed, a field naming the holder counts as edited too.
    expectRefusal(
      ANNA,
      { fields: { tech: BARTOSZ } },
      invalid({ tech: { reason: "already_holder", customerId: BARTOSZ } }),
    );
  });

  it("an untouched field naming the current holder is simply nothing to change", () => {
    expectRefusal(
      ANNA,
      { fields: { tech: BARTOSZ }, shown: { tech: ` ${BARTOSZ} ` } },
      { ok: false, reason: "nothing_to_change" },
    );
    expectRefusal(ANNA, { fields: {} }, { ok: false, reason: "nothing_to_change" });
  });

  it("a technical contact cannot name the billing or the administrative contact", () => {
    expectRefusal(BARTOSZ, { fields: { billing: DAWID } }, invalid({ billing: { reason: "not_allowed" } }));
    expectRefusal(BARTOSZ, { fields: { admin: DAWID } }, invalid({ admin: { reason: "not_allowed" } }));
    // Nor take billing for themself.
    expectRefusal(BARTOSZ, { fields: { billing: BARTOSZ } }, invalid({ billing: { reason: "not_allowed" } }));
    // Permission comes first: nothing about the payments of an account it may not name.
    expectRefusal(BARTOSZ, { fields: { billing: EWA } }, invalid({ billing: { reason: "not_allowed" } }));
  });

  it("a field the actor may not change tells nothing about what was typed in it", () => {
    // Not whether the customer ID exists, nor whether it is well formed, nor who holds the role.
    expectRefusal(
      BARTOSZ,
      { fields: { billing: "zz999999-ovh" } },
      invalid({ billing: { reason: "not_allowed" } }),
    );
    expectRefusal(
      BARTOSZ,
      { fields: { billing: "not an id" } },
      invalid({ billing: { reason: "not_allowed" } }),
    );
  });

  it("a read-only field that still names its holder is no change", () => {
    expectRefusal(
      BARTOSZ,
      { fields: { admin: ANNA, billing: CELINA } },
      { ok: false, reason: "nothing_to_change" },
    );
  });

  it("a billing contact cannot name the technical or the administrative contact", () => {
    expectRefusal(CELINA, { fields: { tech: DAWID } }, invalid({ tech: { reason: "not_allowed" } }));
    expectRefusal(CELINA, { fields: { admin: DAWID } }, invalid({ admin: { reason: "not_allowed" } }));
  });

  it("one refused field refuses the whole form", () => {
    addInvoice(CELINA, at(-DAY));
    expectRefusal(
      ANNA,
      { fields: { tech: DAWID, billing: EWA } },
      invalid({ billing: { reason: "billing_payments_overdue" } }),
    );
    expectRefusal(
      ANNA,
      { fields: { tech: "zz999999-ovh", billing: "bad" } },
      invalid({ tech: { reason: "unknown_account" }, billing: { reason: "malformed_customer_id" } }),
    );
  });

  it("an account that is no contact of the service is told it does not exist", () => {
    const notFound = { ok: false, reason: "not_found" } as const;
    expectRefusal(DAWID, { fields: { tech: DAWID } }, notFound);
    expectRefusal(EWA, { fields: { tech: "malformed" } }, notFound);
  });

  it("a service that does not exist is not found", () => {
    expectRefusal(ANNA, { serviceId: 999_999, fields: { tech: DAWID } }, { ok: false, reason: "not_found" });
  });
});

describe("billing changes check the payments of the asker and the current billing contact", () => {
  const overdue = invalid({ billing: { reason: "billing_payments_overdue" } });

  it("registers a new billing contact with an overdue invoice: only they learn it, when they accept", () => {
    // Ewa's invoice is 20 days overdue; telling Anna so would make the form an oracle.
    const [request] = registered(submitAs(ANNA, { fields: { billing: EWA } }));
    expect(request).toMatchObject({
      contactTypes: ["billing"],
      newContact: summaryOf(EWA),
      confirmers: [summaryOf(ANNA), summaryOf(EWA)],
    });
    expect(requestRows()).toMatchObject([{ id: request?.id, state: "pending", newContactId: idOf(EWA) }]);
  });

  it("refuses when the current billing contact is behind, with the same reason", () => {
    addInvoice(CELINA, at(-DAY));
    expectRefusal(ANNA, { fields: { billing: DAWID } }, overdue);
    expectRefusal(CELINA, { fields: { billing: DAWID } }, overdue);
  });

  it("refuses when the asker is behind, with the same reason", () => {
    addInvoice(ANNA, at(-DAY));
    expectRefusal(ANNA, { fields: { billing: DAWID } }, overdue);
    // Nor may they take billing back for themself.
    expectRefusal(ANNA, { fields: { billing: ANNA } }, overdue);
  });

  it("a paid or a not yet due invoice does not block", () => {
    // Anna's seeded invoice was due 30 days ago and is paid; Celina's falls due in 10 days.
    addInvoice(CELINA, at(-5 * DAY), at(-6 * DAY));
    addInvoice(ANNA, at(DAY));
    const requests = registered(submitAs(ANNA, { fields: { billing: DAWID } }));
    expect(requests.map((r) => r.contactTypes)).toEqual([["billing"]]);

    expect(
      registered(submitAs(ANNA, { service: "shop.example.pl", fields: { billing: ANNA } })),
    ).toHaveLength(1);
  });

  it("an invoice blocks once its due date has passed at the time of the submission", () => {
    // An unpaid invoice of Celina's falls due at T0 + 10 days.
    addInvoice(CELINA, at(10 * DAY));
    expectRefusal(ANNA, { fields: { billing: DAWID }, now: at(10 * DAY + 1) }, overdue);
    expect(registered(submitAs(ANNA, { fields: { billing: DAWID }, now: at(10 * DAY - 1) }))).toHaveLength(1);
  });

  it("does not look at payments for a technical change", () => {
    expect(registered(submitAs(ANNA, { fields: { tech: EWA } }))).toHaveLength(1);
  });
});

describe("one pending request per service and contact type", () => {
  it("refuses a second request for the same type, naming the pending one", () => {
    const [first] = registered(submitAs(ANNA, { fields: { tech: DAWID } }));
    const pending = invalid({
      tech: { reason: "pending_request_exists", pendingRequestId: first?.id ?? -1 },
    });
    expectRefusal(ANNA, { fields: { tech: EWA } }, pending);
    expectRefusal(BARTOSZ, { fields: { tech: EWA } }, pending);
  });

  it("a request changing tech and billing blocks both types", () => {
    const serviceId = addService({
      name: "twin.example.pl",
      adminId: idOf(ANNA),
      techId: idOf(BARTOSZ),
      billingId: idOf(BARTOSZ),
    });
    const [first] = registered(submitAs(ANNA, { serviceId, fields: { tech: DAWID, billing: DAWID } }));
    expectRefusal(
      ANNA,
      { serviceId, fields: { billing: ANNA } },
      invalid({ billing: { reason: "pending_request_exists", pendingRequestId: first?.id ?? -1 } }),
    );
  });

  it("a pending request for another type or another service does not block", () => {
    registered(submitAs(ANNA, { fields: { billing: DAWID } }));
    expect(registered(submitAs(ANNA, { fields: { tech: DAWID } }))).toHaveLength(1);
    expect(
      registered(submitAs(ANNA, { service: "shop.example.pl", fields: { billing: DAWID } })),
    ).toHaveLength(1);
    expect(requestRows().map((r) => r.state)).toEqual(["pending", "pending", "pending"]);
  });

  it("a pending request that is not yet expired still blocks", () => {
    const [first] = registered(submitAs(ANNA, { fields: { tech: DAWID } }));
    expectRefusal(
      ANNA,
      { fields: { tech: EWA }, now: at(14 * DAY - 1) },
      invalid({ tech: { reason: "pending_request_exists", pendingRequestId: first?.id ?? -1 } }),
    );
  });

  it("an expired pending request no longer blocks and is recorded as expired", () => {
    const [first] = registered(submitAs(ANNA, { fields: { tech: DAWID } }));
    const later = at(15 * DAY);

    const [second] = registered(submitAs(ANNA, { fields: { tech: EWA }, now: later }));

    expect(second?.id).not.toBe(first?.id);
    // Recorded as ended at its deadline, not when it was noticed.
    expect(requestRows().map((r) => [r.id, r.state, r.endedAt, r.newContactId])).toEqual([
      [first?.id, "expired", at(14 * DAY), idOf(DAWID)],
      [second?.id, "pending", null, idOf(EWA)],
    ]);
    expect(
      db
        .select()
        .from(requestEvents)
        .orderBy(requestEvents.id)
        .all()
        .map((e) => [e.requestId, e.kind, e.actorId, e.at]),
    ).toEqual([
      [first?.id, "created", idOf(ANNA), T0],
      [first?.id, "expired", null, at(14 * DAY)],
      [second?.id, "created", idOf(ANNA), later],
    ]);
    // Everyone involved in the expired request is told: its confirmers and the old contact.
    expect(
      outboxRows()
        .filter((m) => m.template === "request-ended")
        .map((m) => [m.toAddress, m.props.requestId, m.props.outcome])
        .sort(),
    ).toEqual([
      ["anna@example.test", first?.id, "expired"],
      ["bartosz@example.test", first?.id, "expired"],
      ["dawid@example.test", first?.id, "expired"],
    ]);
  });

  it("a request expires at its deadline exactly", () => {
    const [first] = registered(submitAs(ANNA, { fields: { tech: DAWID } }));
    const [second] = registered(submitAs(ANNA, { fields: { tech: EWA }, now: at(14 * DAY) }));
    expect(requestRows().map((r) => [r.id, r.state])).toEqual([
      [first?.id, "expired"],
      [second?.id, "pending"],
    ]);
  });

  it("the database itself refuses a second pending request for the same service and type", () => {
    registered(submitAs(ANNA, { fields: { tech: DAWID } }));
    const insertSecond = () =>
      db
        .insert(changeRequests)
        .values({
          serviceId: serviceIdOf("example.pl"),
          requestedById: idOf(ANNA),
          oldContactId: idOf(BARTOSZ),
          newContactId: idOf(EWA),
          changesTech: true,
          state: "pending",
          createdAt: T0,
          expiresAt: at(DAY),
        })
        .run();
    expect(insertSecond).toThrow(expect.objectContaining({ code: "SQLITE_CONSTRAINT_UNIQUE" }));
  });
});

// Each submission runs in its own worker thread with its own connection to one database file.
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
  race: (dbFile: string, inputs: SubmissionJob["input"][]) => Promise<RequestContactChangeResult[]>;
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
    async race(dbFile, inputs) {
      if (inputs.length > workers.length) throw new Error(`only ${workers.length} workers`);
      const gate = new SharedArrayBuffer(4);
      const busy = inputs.map((input, i) => ({ worker: workers[i] as Worker, input }));
      const ready = busy.map(({ worker }) => next(worker, "ready"));
      for (const { worker, input } of busy) {
        worker.postMessage({ dbFile, input, gate } satisfies SubmissionJob);
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

  beforeAll(async () => {
    pool = await startSubmissionWorkers(WORKERS);
  }, 60_000);
  afterAll(async () => {
    await pool?.terminate();
  });

  async function sharedDbFile(): Promise<string> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "request-contact-change-"));
    tempDirs.push(dir);
    const file = path.join(dir, "app.db");
    db.$client.close();
    db = await freshDb(file);
    return file;
  }

  function expectOneWinner(results: RequestContactChangeResult[]): number {
    const winners = results.filter((r) => r.ok);
    expect(winners).toHaveLength(1);
    const winnerId = registered(winners[0] as RequestContactChangeResult)[0]?.id ?? -1;
    for (const result of results.filter((r) => !r.ok)) {
      expect(result).toEqual(
        invalid({ tech: { reason: "pending_request_exists", pendingRequestId: winnerId } }),
      );
    }
    expect(requestRows().map((r) => [r.id, r.state, r.changesTech])).toEqual([[winnerId, "pending", true]]);
    expect(rowCounts()).toEqual({ change_requests: 1, confirmations: 2, request_events: 1, outbox: 2 });
    return winnerId;
  }

  it("of two submissions for the same service and type at the same moment, exactly one wins", async () => {
    const file = await sharedDbFile();
    const serviceId = serviceIdOf("example.pl");
    const results = await pool.race(file, [
      { actorId: idOf(ANNA), serviceId, fields: { tech: DAWID }, now: T0.toISOString() },
      { actorId: idOf(BARTOSZ), serviceId, fields: { tech: EWA }, now: T0.toISOString() },
    ]);
    expect(results).toHaveLength(2);
    expectOneWinner(results);
  });

  it(`of ${WORKERS} concurrent submissions, exactly one wins and the others name it`, async () => {
    const file = await sharedDbFile();
    const serviceId = serviceIdOf("example.pl");
    const inputs = Array.from({ length: WORKERS }, (_, i) => ({
      actorId: idOf(i % 2 === 0 ? ANNA : BARTOSZ),
      serviceId,
      fields: { tech: i % 3 === 0 ? EWA : DAWID },
      now: T0.toISOString(),
    }));
    const results = await pool.race(file, inputs);
    expect(results).toHaveLength(WORKERS);
    const winnerId = expectOneWinner(results);
    expect(
      db
        .select()
        .from(confirmations)
        .all()
        .every((c) => c.requestId === winnerId),
    ).toBe(true);
  });

  it("concurrent submissions for different types of one service both win", async () => {
    const file = await sharedDbFile();
    const serviceId = serviceIdOf("example.pl");
    const results = await pool.race(file, [
      { actorId: idOf(ANNA), serviceId, fields: { tech: DAWID }, now: T0.toISOString() },
      { actorId: idOf(ANNA), serviceId, fields: { billing: DAWID }, now: T0.toISOString() },
    ]);
    expect(results.map((r) => r.ok && r.requests.map((q) => q.contactTypes))).toEqual([
      [["tech"]],
      [["billing"]],
    ]);
    expect(rowCounts()).toEqual({ change_requests: 2, confirmations: 4, request_events: 2, outbox: 4 });
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

    const [request] = registered(submitAs(ANNA, { fields: { tech: DAWID } }));

    // Registered without touching the network: the e-mails wait in the outbox.
    expect(resend.received).toHaveLength(0);
    const queued = outboxRows();
    expect(queued.map((m) => [m.toAddress, m.status])).toEqual([
      ["anna@example.test", "pending"],
      ["dawid@example.test", "pending"],
    ]);
    const codes = queued.map((m) => m.props.code as string);
    const keys = queued.map((m) => m.idempotencyKey);

    // The first failure pauses the provider: the other e-mail spends no attempt on it.
    const failed = await sendDueEmails(db, { now: T0 });
    expect(failed).toMatchObject({ claimed: 1, sent: 0, retried: 1, failed: 0, isPaused: true });
    expect(outboxRows().map((m) => [m.status, m.attempts])).toEqual([
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
    expect(hashToken(codes[1] ?? "")).toBe(
      confirmationsOf(request?.id ?? -1).find((c) => c.accountId === idOf(DAWID))?.tokenHash,
    );

    // Sent: the code no longer rests anywhere in the database.
    const sent = outboxRows();
    expect(sent.map((m) => [m.status, m.props.code])).toEqual([
      ["sent", null],
      ["sent", null],
    ]);
    const everything = JSON.stringify(snapshot());
    for (const code of codes) expect(everything).not.toContain(code);
  });
});
