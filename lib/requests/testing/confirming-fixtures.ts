/**
 * A small world for the integration tests of confirming requests (answer, resend, cancel, expiry,
 * listing): a freshly migrated database with six accounts and three services, helpers to make
 * requests through requestContactChange, and readers for what the tests check. Codes are read
 * only from the outbox's `change-request` e-mails, since the database keeps nothing but hashes.
 */
import { and, asc, desc, eq, isNull, sql } from "drizzle-orm";
import { type Db, jsonField, rawRows } from "@/db/client";
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
import { openTestDb as openMigratedDb } from "@/db/testing";
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
export async function openTestDb(file = ":memory:"): Promise<Db> {
  const db = await openMigratedDb(file);
  await db.transaction(async (tx) => {
    await tx
      .insert(accounts)
      .values(PEOPLE.map((person) => ({ ...person, passwordHash: "unused-in-these-tests" })));
  });
  await addService(db, { name: "example.pl", admin: ANNA, tech: BARTOSZ, billing: CELINA });
  await addService(db, {
    name: "shop.example.pl",
    admin: ANNA,
    tech: BARTOSZ,
    billing: CELINA,
    type: "web_hosting",
  });
  await addService(db, { name: "vps-42.example.net", admin: ANNA, tech: ANNA, billing: ANNA, type: "vps" });
  return db;
}

export async function accountIdOf(db: Db, customerId: string): Promise<number> {
  const [row] = await db.read
    .select({ id: accounts.id })
    .from(accounts)
    .where(eq(accounts.customerId, customerId));
  if (!row) throw new Error(`no account ${customerId}`);
  return row.id;
}

export async function serviceIdOf(db: Db, name: string): Promise<number> {
  const [row] = await db.read
    .select({ id: services.id })
    .from(services)
    .where(eq(services.name, name))
    .limit(1);
  if (!row) throw new Error(`no service ${name}`);
  return row.id;
}

export async function addService(
  db: Db,
  service: { name: string; admin: string; tech: string; billing: string; type?: ServiceType },
): Promise<number> {
  const values = {
    name: service.name,
    type: service.type ?? "domain",
    adminId: await accountIdOf(db, service.admin),
    techId: await accountIdOf(db, service.tech),
    billingId: await accountIdOf(db, service.billing),
  };
  const [row] = await db.transaction((tx) =>
    tx.insert(services).values(values).returning({ id: services.id }),
  );
  return (row as { id: number }).id;
}

/** The service's contacts as customer IDs. */
export async function contactsOf(db: Db, serviceName: string): Promise<Record<ContactType, string>> {
  const customerIdOf = async (id: number) =>
    (await db.read.select({ c: accounts.customerId }).from(accounts).where(eq(accounts.id, id)))[0]?.c ?? "?";
  const [service] = await db.read.select().from(services).where(eq(services.name, serviceName)).limit(1);
  if (!service) throw new Error(`no service ${serviceName}`);
  return {
    admin: await customerIdOf(service.adminId),
    tech: await customerIdOf(service.techId),
    billing: await customerIdOf(service.billingId),
  };
}

/** Changes a contact behind the requests' back, as an operator's tool would. */
export async function setContact(
  db: Db,
  serviceName: string,
  type: ContactType,
  customerId: string,
): Promise<void> {
  const column = { admin: "adminId", tech: "techId", billing: "billingId" } as const;
  const accountId = await accountIdOf(db, customerId);
  const serviceId = await serviceIdOf(db, serviceName);
  await db.transaction(async (tx) => {
    await tx
      .update(services)
      .set({ [column[type]]: accountId })
      .where(eq(services.id, serviceId));
  });
}

let invoiceNumber = 0;
export async function addInvoice(
  db: Db,
  customerId: string,
  dueAt: Date,
  paidAt: Date | null = null,
): Promise<void> {
  invoiceNumber += 1;
  const values = {
    accountId: await accountIdOf(db, customerId),
    reference: `CONFIRM-TEST-${invoiceNumber}`,
    amountCents: 1_000,
    dueAt,
    paidAt,
  };
  await db.transaction(async (tx) => {
    await tx.insert(invoices).values(values);
  });
}

/** Marks every unpaid invoice of the account paid at `paidAt`. */
export async function payInvoices(db: Db, customerId: string, paidAt: Date): Promise<void> {
  const accountId = await accountIdOf(db, customerId);
  await db.transaction(async (tx) => {
    await tx
      .update(invoices)
      .set({ paidAt })
      .where(and(eq(invoices.accountId, accountId), isNull(invoices.paidAt)));
  });
}

/** Submits the edit form as `actor`; throws unless requests were registered. */
export async function ask(
  db: Db,
  actor: string,
  service: string | number,
  fields: Partial<Record<ContactType, string>>,
  now = T0,
): Promise<RegisteredRequest[]> {
  const result = await requestContactChange(db, {
    actorId: await accountIdOf(db, actor),
    serviceId: typeof service === "number" ? service : await serviceIdOf(db, service),
    fields,
    now,
  });
  if (!result.ok) throw new Error(`expected requests, got ${JSON.stringify(result)}`);
  return result.requests;
}

/** Like `ask`, for a submission that makes exactly one request; returns its id. */
export async function askOne(
  db: Db,
  actor: string,
  service: string | number,
  fields: Partial<Record<ContactType, string>>,
  now = T0,
): Promise<number> {
  const requests = await ask(db, actor, service, fields, now);
  if (requests.length !== 1) throw new Error(`expected one request, got ${requests.length}`);
  return (requests[0] as RegisteredRequest).id;
}

/**
 * The code of the newest `change-request` e-mail for this request and account, from the outbox:
 * the only place a code exists in clear. Throws when there is none.
 */
export async function codeFor(db: Db, requestId: number, customerId: string): Promise<string> {
  const accountId = await accountIdOf(db, customerId);
  const [row] = await db.read
    .select({ props: outbox.props })
    .from(outbox)
    .where(
      and(
        eq(outbox.template, "change-request"),
        eq(outbox.toAccountId, accountId),
        eq(jsonField(outbox.props, "requestId"), String(requestId)),
      ),
    )
    .orderBy(desc(outbox.id))
    .limit(1);
  const code = row?.props.code;
  if (typeof code !== "string") throw new Error(`no code for ${customerId} in request ${requestId}`);
  return code;
}

export async function requestRow(db: Db, requestId: number) {
  const [row] = await db.read.select().from(changeRequests).where(eq(changeRequests.id, requestId));
  if (!row) throw new Error(`no request ${requestId}`);
  return row;
}

/** The request's history as `[kind, actor's customer ID or null, detail, at]`, oldest first. */
export async function eventsOf(db: Db, requestId: number) {
  const events = await db.read
    .select({
      kind: requestEvents.kind,
      actor: accounts.customerId,
      detail: requestEvents.detail,
      at: requestEvents.at,
    })
    .from(requestEvents)
    .leftJoin(accounts, eq(accounts.id, requestEvents.actorId))
    .where(eq(requestEvents.requestId, requestId))
    .orderBy(asc(requestEvents.id));
  return events.map((event) => [event.kind, event.actor, event.detail, event.at] as const);
}

/** Outbox rows of one template for one request, oldest first. */
export async function mailsOf(db: Db, requestId: number, template: "change-request" | "request-ended") {
  return db.read
    .select()
    .from(outbox)
    .where(and(eq(outbox.template, template), eq(jsonField(outbox.props, "requestId"), String(requestId))))
    .orderBy(asc(outbox.id));
}

/**
 * The `request-ended` e-mails of a request, sorted by address, as
 * `[address, language, subject, outcome, reason, actor's customer ID or null]`.
 */
export async function endedMailsOf(db: Db, requestId: number) {
  return (await mailsOf(db, requestId, "request-ended"))
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
  "request_batches",
  "batch_confirmations",
];

/** Every row of the tables the request layer reads or writes, to prove that something wrote nothing. */
export async function snapshot(db: Db): Promise<Record<string, unknown[]>> {
  const rows: Record<string, unknown[]> = {};
  for (const table of TABLES) {
    rows[table] = await rawRows(db.read, sql`SELECT * FROM ${sql.raw(table)} ORDER BY id`);
  }
  return rows;
}

export async function rowCounts(db: Db): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of TABLES) {
    const [row] = await rawRows<{ n: number }>(
      db.read,
      sql`SELECT CAST(count(*) AS integer) AS n FROM ${sql.raw(table)}`,
    );
    counts[table] = (row as { n: number }).n;
  }
  return counts;
}
