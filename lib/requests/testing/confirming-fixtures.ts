/**
 * A small world for the integration tests of confirming requests (answer, resend, cancel, expiry,
 * listing): a freshly migrated database with six accounts and three services, helpers to make
 * requests through requestContactChange, and readers for what the tests check. Codes are read
 * only from the outbox's `change-request` e-mails, since the database keeps nothing but hashes.
 */
import { and, asc, desc, eq, isNull, sql } from "drizzle-orm";
import { type Db, migrateDb, openDb } from "@/db/client";
import {
  accounts,
  type ContactType,
  changeRequests,
  invoices,
  type Language,
  outbox,
  requestEvents,
  type ServiceType,
  services,
} from "@/db/schema";
import { type RegisteredRequest, requestContactChange } from "../request-contact-change";

export const T0 = new Date("2026-03-02T09:00:00.000Z");
export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;
export const at = (ms: number) => new Date(T0.getTime() + ms);

export const ANNA = "aa100001-ovh";
export const BARTOSZ = "bb200002-ovh";
export const CELINA = "cc300003-ovh";
export const DAWID = "dd400004-ovh";
export const EWA = "ee500005-ovh";
/** Party to nothing. */
export const FILIP = "ff600006-ovh";

/** The accounts; Bartosz and Dawid read their e-mails in Polish. */
export const PEOPLE: readonly { customerId: string; name: string; email: string; language: Language }[] = [
  { customerId: ANNA, name: "Anna Nowak", email: "anna@example.test", language: "en" },
  { customerId: BARTOSZ, name: "Bartosz Wiśniewski", email: "bartosz@example.test", language: "pl" },
  { customerId: CELINA, name: "Celina Zielińska", email: "celina@example.test", language: "en" },
  { customerId: DAWID, name: "Dawid Kowalczyk", email: "dawid@example.test", language: "pl" },
  { customerId: EWA, name: "Ewa Lewandowska", email: "ewa@example.test", language: "en" },
  { customerId: FILIP, name: "Filip Mazur", email: "filip@example.test", language: "en" },
];

export function personOf(customerId: string) {
  const person = PEOPLE.find((p) => p.customerId === customerId);
  if (!person) throw new Error(`no person ${customerId}`);
  return person;
}

/** `{ customerId, name }`, as results and e-mails name people. */
export function refOf(customerId: string) {
  const { name } = personOf(customerId);
  return { customerId, name };
}

/**
 * A migrated database with PEOPLE and three services: example.pl and shop.example.pl (Anna
 * admin, Bartosz tech, Celina billing) and vps-42.example.net (Anna holds all three). No
 * invoice: tests add the ones they need. Accounts are inserted directly; hashing the demo
 * password would only slow every test down.
 */
export function openTestDb(file = ":memory:"): Db {
  const db = openDb(file);
  migrateDb(db);
  db.insert(accounts)
    .values(PEOPLE.map((person) => ({ ...person, passwordHash: "unused-in-these-tests" })))
    .run();
  addService(db, { name: "example.pl", admin: ANNA, tech: BARTOSZ, billing: CELINA });
  addService(db, {
    name: "shop.example.pl",
    admin: ANNA,
    tech: BARTOSZ,
    billing: CELINA,
    type: "web_hosting",
  });
  addService(db, { name: "vps-42.example.net", admin: ANNA, tech: ANNA, billing: ANNA, type: "vps" });
  return db;
}

export function accountIdOf(db: Db, customerId: string): number {
  const row = db.select({ id: accounts.id }).from(accounts).where(eq(accounts.customerId, customerId)).get();
  if (!row) throw new Error(`no account ${customerId}`);
  return row.id;
}

export function serviceIdOf(db: Db, name: string): number {
  const row = db.select({ id: services.id }).from(services).where(eq(services.name, name)).get();
  if (!row) throw new Error(`no service ${name}`);
  return row.id;
}

export function addService(
  db: Db,
  service: { name: string; admin: string; tech: string; billing: string; type?: ServiceType },
): number {
  return db
    .insert(services)
    .values({
      name: service.name,
      type: service.type ?? "domain",
      adminId: accountIdOf(db, service.admin),
      techId: accountIdOf(db, service.tech),
      billingId: accountIdOf(db, service.billing),
    })
    .returning({ id: services.id })
    .get().id;
}

/** The service's contacts as customer IDs. */
export function contactsOf(db: Db, serviceName: string): Record<ContactType, string> {
  const customerIdOf = (id: number) =>
    db.select({ c: accounts.customerId }).from(accounts).where(eq(accounts.id, id)).get()?.c ?? "?";
  const service = db.select().from(services).where(eq(services.name, serviceName)).get();
  if (!service) throw new Error(`no service ${serviceName}`);
  return {
    admin: customerIdOf(service.adminId),
    tech: customerIdOf(service.techId),
    billing: customerIdOf(service.billingId),
  };
}

/** Changes a contact behind the requests' back, as an operator's tool would. */
export function setContact(db: Db, serviceName: string, type: ContactType, customerId: string): void {
  const column = { admin: "adminId", tech: "techId", billing: "billingId" } as const;
  db.update(services)
    .set({ [column[type]]: accountIdOf(db, customerId) })
    .where(eq(services.id, serviceIdOf(db, serviceName)))
    .run();
}

let invoiceNumber = 0;
export function addInvoice(db: Db, customerId: string, dueAt: Date, paidAt: Date | null = null): void {
  invoiceNumber += 1;
  db.insert(invoices)
    .values({
      accountId: accountIdOf(db, customerId),
      reference: `CONFIRM-TEST-${invoiceNumber}`,
      amountCents: 1_000,
      dueAt,
      paidAt,
    })
    .run();
}

/** Marks every unpaid invoice of the account paid at `paidAt`. */
export function payInvoices(db: Db, customerId: string, paidAt: Date): void {
  db.update(invoices)
    .set({ paidAt })
    .where(and(eq(invoices.accountId, accountIdOf(db, customerId)), isNull(invoices.paidAt)))
    .run();
}

/** Submits the edit form as `actor`; throws unless requests were registered. */
export function ask(
  db: Db,
  actor: string,
  service: string | number,
  fields: Partial<Record<ContactType, string>>,
  now = T0,
): RegisteredRequest[] {
  const result = requestContactChange(db, {
    actorId: accountIdOf(db, actor),
    serviceId: typeof service === "number" ? service : serviceIdOf(db, service),
    fields,
    now,
  });
  if (!result.ok) throw new Error(`expected requests, got ${JSON.stringify(result)}`);
  return result.requests;
}

/** Like `ask`, for a submission that makes exactly one request; returns its id. */
export function askOne(
  db: Db,
  actor: string,
  service: string | number,
  fields: Partial<Record<ContactType, string>>,
  now = T0,
): number {
  const requests = ask(db, actor, service, fields, now);
  if (requests.length !== 1) throw new Error(`expected one request, got ${requests.length}`);
  return (requests[0] as RegisteredRequest).id;
}

/**
 * The code of the newest `change-request` e-mail for this request and account, from the outbox:
 * the only place a code exists in clear. Throws when there is none.
 */
export function codeFor(db: Db, requestId: number, customerId: string): string {
  const row = db
    .select({ props: outbox.props })
    .from(outbox)
    .where(
      and(
        eq(outbox.template, "change-request"),
        eq(outbox.toAccountId, accountIdOf(db, customerId)),
        sql`json_extract(${outbox.props}, '$.requestId') = ${requestId}`,
      ),
    )
    .orderBy(desc(outbox.id))
    .limit(1)
    .get();
  const code = row?.props.code;
  if (typeof code !== "string") throw new Error(`no code for ${customerId} in request ${requestId}`);
  return code;
}

export function requestRow(db: Db, requestId: number) {
  const row = db.select().from(changeRequests).where(eq(changeRequests.id, requestId)).get();
  if (!row) throw new Error(`no request ${requestId}`);
  return row;
}

/** The request's history as `[kind, actor's customer ID or null, detail, at]`, oldest first. */
export function eventsOf(db: Db, requestId: number) {
  return db
    .select({
      kind: requestEvents.kind,
      actor: accounts.customerId,
      detail: requestEvents.detail,
      at: requestEvents.at,
    })
    .from(requestEvents)
    .leftJoin(accounts, eq(accounts.id, requestEvents.actorId))
    .where(eq(requestEvents.requestId, requestId))
    .orderBy(asc(requestEvents.id))
    .all()
    .map((event) => [event.kind, event.actor, event.detail, event.at] as const);
}

/** Outbox rows of one template for one request, oldest first. */
export function mailsOf(db: Db, requestId: number, template: "change-request" | "request-ended") {
  return db
    .select()
    .from(outbox)
    .where(
      and(eq(outbox.template, template), sql`json_extract(${outbox.props}, '$.requestId') = ${requestId}`),
    )
    .orderBy(asc(outbox.id))
    .all();
}

/**
 * The `request-ended` e-mails of a request, sorted by address, as
 * `[address, language, subject, outcome, reason, actor's customer ID or null]`.
 */
export function endedMailsOf(db: Db, requestId: number) {
  return mailsOf(db, requestId, "request-ended")
    .map(
      (mail) =>
        [
          mail.toAddress,
          mail.language,
          mail.subject,
          mail.props.outcome,
          mail.props.reason,
          (mail.props.actor as { customerId: string } | null)?.customerId ?? null,
        ] as const,
    )
    .sort((a, b) => a[0].localeCompare(b[0]));
}

const TABLES = [
  "accounts",
  "services",
  "invoices",
  "change_requests",
  "confirmations",
  "request_events",
  "outbox",
];

/** Every row of the tables the request layer reads or writes, to prove that something wrote nothing. */
export function snapshot(db: Db): Record<string, unknown[]> {
  return Object.fromEntries(
    TABLES.map((table) => [table, db.$client.prepare(`SELECT * FROM ${table} ORDER BY id`).all()]),
  );
}

export function rowCounts(db: Db): Record<string, number> {
  return Object.fromEntries(
    TABLES.map((table) => [
      table,
      (db.$client.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n,
    ]),
  );
}
