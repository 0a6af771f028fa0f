import { and, eq, inArray, sql } from "drizzle-orm";
import { rawRows, type Tx } from "@/db/client";
import {
  type Account,
  accounts,
  type NewAccount,
  type Service,
  type ServiceType,
  services,
} from "@/db/schema";
import { chunks } from "@/lib/chunks";
import { databaseDialect } from "@/lib/config";
import { serviceContactsChangedData } from "@/lib/provider/events/event-payloads";
import { recordWebhookEvents } from "@/lib/provider/events/record-webhook-event";
import type { ImportLineError } from "./index";
import { emailTakenMessage, planAccountWrite } from "./plan-account-write";
import { type ContactIds, isSameContacts, unknownAccountMessage } from "./plan-service-write";
import type { ImportLine } from "./provisioning-schemas";
import { writeAccount } from "./put-account";
import { writeService } from "./put-service";

type AccountLine = Extract<ImportLine, { kind: "account" }>;
type ServiceLine = Extract<ImportLine, { kind: "service" }>;

/** A line of a batch that was read: its number in the file and what it asks. */
export type NumberedLine = { number: number; line: ImportLine };

/** What one batch did: lines applied by kind, and the lines refused. */
export type BatchOutcome = { accounts: number; services: number; errors: ImportLineError[] };

/** Values per multi-row insert, kept under SQLite's and PostgreSQL's limits on parameters. */
const ROWS_PER_INSERT = 500;
/**
 * New services per insert. They travel as one JSON parameter that the database unpacks
 * (insertNewServices), so a batch's are one statement whatever their number.
 */
const SERVICES_PER_INSERT = 5_000;
/** Keys per `IN (…)` lookup. */
const KEYS_PER_LOOKUP = 900;

type KnownAccount = Pick<
  Account,
  | "id"
  | "customerId"
  | "name"
  | "email"
  | "language"
  | "isLanguageChosen"
  | "behindWithPayments"
  | "passwordHash"
  | "emailUndeliverable"
>;
const KNOWN_ACCOUNT = {
  id: accounts.id,
  customerId: accounts.customerId,
  name: accounts.name,
  email: accounts.email,
  language: accounts.language,
  isLanguageChosen: accounts.isLanguageChosen,
  behindWithPayments: accounts.behindWithPayments,
  passwordHash: accounts.passwordHash,
  emailUndeliverable: accounts.emailUndeliverable,
};

/**
 * Applies one batch of an import in the caller's transaction, with the semantics of putAccount
 * and putService line by line, in the file's order, but at bulk speed: the batch's accounts and
 * services are looked up in a few queries, new ones go in multi-row inserts, and only existing
 * rows that change go through the one-row paths (writeAccount, writeService). A contact must be
 * an account that exists by its line, as if every line before it had been applied alone.
 */
export async function applyImportBatch(tx: Tx, batch: NumberedLine[], now: Date): Promise<BatchOutcome> {
  const outcome: BatchOutcome = { accounts: 0, services: 0, errors: [] };
  const accountLines = batch.filter(
    (entry): entry is { number: number; line: AccountLine } => entry.line.kind === "account",
  );
  const serviceLines = batch.filter(
    (entry): entry is { number: number; line: ServiceLine } => entry.line.kind === "service",
  );

  const customerIds = new Set<string>();
  for (const { line } of accountLines) customerIds.add(line.customerId);
  for (const { line } of serviceLines) {
    customerIds.add(line.contactAdmin);
    customerIds.add(line.contactTech);
    customerIds.add(line.contactBilling);
  }
  const known = new Map<string, KnownAccount>();
  for (const part of chunks([...customerIds], KEYS_PER_LOOKUP)) {
    const rows = await tx.select(KNOWN_ACCOUNT).from(accounts).where(inArray(accounts.customerId, part));
    for (const row of rows) known.set(row.customerId, row);
  }
  // Accounts created in this batch become contacts only from their line on.
  const createdAtLine = new Map<string, number>();
  await applyAccountLines(tx, { accountLines, known, createdAtLine, outcome });
  await applyServiceLines(tx, { serviceLines, known, createdAtLine, outcome, now });
  outcome.errors.sort((a, b) => a.line - b.line);
  return outcome;
}

async function applyAccountLines(
  tx: Tx,
  input: {
    accountLines: { number: number; line: AccountLine }[];
    known: Map<string, KnownAccount>;
    createdAtLine: Map<string, number>;
    outcome: BatchOutcome;
  },
): Promise<void> {
  const { accountLines, known, createdAtLine, outcome } = input;
  // Who holds each address the batch names, as the lines before have left it.
  const emailOwner = new Map<string, string>();
  for (const account of known.values()) emailOwner.set(account.email, account.customerId);
  const emails = [...new Set(accountLines.map(({ line }) => line.email))].filter(
    (email) => !emailOwner.has(email),
  );
  for (const part of chunks(emails, KEYS_PER_LOOKUP)) {
    const rows = await tx
      .select({ email: accounts.email, customerId: accounts.customerId })
      .from(accounts)
      .where(inArray(accounts.email, part));
    for (const row of rows) emailOwner.set(row.email, row.customerId);
  }

  let pending: { number: number; values: NewAccount; line: AccountLine }[] = [];
  const pendingIds = new Set<string>();
  const flush = async () => {
    const batch = pending;
    pending = [];
    pendingIds.clear();
    for (const part of chunks(batch, ROWS_PER_INSERT)) {
      const inserted = await tx
        .insert(accounts)
        .values(part.map((entry) => entry.values))
        // Another writer took the customer ID or the address since the lookup: that line goes
        // through the one-row path below, which says which.
        .onConflictDoNothing()
        .returning(KNOWN_ACCOUNT);
      for (const row of inserted) known.set(row.customerId, row);
      outcome.accounts += inserted.length;
      const insertedIds = new Set(inserted.map((row) => row.customerId));
      for (const entry of part) {
        if (!insertedIds.has(entry.line.customerId)) await writeOne(entry.number, entry.line);
      }
    }
  };
  const writeOne = async (number: number, line: AccountLine) => {
    const { kind: _kind, ...input } = line;
    const result = await writeAccount(tx, input);
    if (!result.ok) {
      createdAtLine.delete(line.customerId);
      outcome.errors.push({ line: number, message: result.message });
      return;
    }
    outcome.accounts += 1;
    const [row] = await tx
      .select(KNOWN_ACCOUNT)
      .from(accounts)
      .where(eq(accounts.customerId, line.customerId));
    if (row) known.set(row.customerId, row);
  };

  for (const { number, line } of accountLines) {
    const { kind: _kind, ...input } = line;
    // The same account twice in a batch: the first is written before the second is weighed.
    if (pendingIds.has(line.customerId)) await flush();
    const holder = emailOwner.get(line.email);
    if (holder !== undefined && holder !== line.customerId) {
      outcome.errors.push({ line: number, message: emailTakenMessage(line.email) });
      continue;
    }
    const existing = known.get(line.customerId);
    const plan = planAccountWrite(existing, input);
    if (plan.kind === "unchanged") {
      outcome.accounts += 1;
      continue;
    }
    if (existing) emailOwner.delete(existing.email);
    emailOwner.set(line.email, line.customerId);
    if (plan.kind === "create") {
      pending.push({ number, values: plan.values, line });
      pendingIds.add(line.customerId);
      createdAtLine.set(line.customerId, number);
    } else {
      await writeOne(number, line);
    }
  }
  await flush();
}

type ServiceKeyText = string;
const keyOf = (type: ServiceType, name: string): ServiceKeyText => `${type}\u0000${name}`;

async function applyServiceLines(
  tx: Tx,
  input: {
    serviceLines: { number: number; line: ServiceLine }[];
    known: Map<string, KnownAccount>;
    createdAtLine: Map<string, number>;
    outcome: BatchOutcome;
    now: Date;
  },
): Promise<void> {
  const { serviceLines, known, createdAtLine, outcome, now } = input;
  const existing = new Map<ServiceKeyText, Pick<Service, "adminId" | "techId" | "billingId" | "removedAt">>();
  const namesByType = new Map<ServiceType, Set<string>>();
  for (const { line } of serviceLines) {
    const names = namesByType.get(line.type) ?? new Set<string>();
    names.add(line.name);
    namesByType.set(line.type, names);
  }
  for (const [type, names] of namesByType) {
    // By type, so that each lookup is a range of the unique (type, name) index.
    for (const part of chunks([...names], KEYS_PER_LOOKUP)) {
      const rows = await tx
        .select({
          name: services.name,
          adminId: services.adminId,
          techId: services.techId,
          billingId: services.billingId,
          removedAt: services.removedAt,
        })
        .from(services)
        .where(and(eq(services.type, type), inArray(services.name, part)));
      for (const row of rows) existing.set(keyOf(type, row.name), row);
    }
  }

  let pending: { number: number; line: ServiceLine; contacts: ContactIds }[] = [];
  const pendingKeys = new Set<ServiceKeyText>();
  const flush = async () => {
    const batch = pending;
    pending = [];
    pendingKeys.clear();
    for (const part of chunks(batch, SERVICES_PER_INSERT)) {
      // Another writer created one of them since the lookup: it goes through writeService below.
      const inserted = await insertNewServices(
        tx,
        part.map(({ line, contacts }) => ({ type: line.type, name: line.name, ...contacts })),
        now,
      );
      const insertedKeys = new Set(inserted.map((row) => keyOf(row.type, row.name)));
      for (const row of inserted) existing.set(keyOf(row.type, row.name), row);
      await recordWebhookEvents(
        tx,
        part
          .filter(({ line }) => insertedKeys.has(keyOf(line.type, line.name)))
          .map(({ line }) => ({
            type: "service.contacts_changed" as const,
            data: serviceContactsChangedData({
              service: { type: line.type, name: line.name },
              contacts: { admin: line.contactAdmin, tech: line.contactTech, billing: line.contactBilling },
              previous: null,
              cause: "provider",
            }),
            at: now,
          })),
      );
      for (const entry of part) {
        if (!insertedKeys.has(keyOf(entry.line.type, entry.line.name))) await writeExisting(entry);
      }
    }
  };
  const writeExisting = async ({ line, contacts }: { line: ServiceLine; contacts: ContactIds }) => {
    await writeService(tx, { key: line, contacts, now });
    existing.set(keyOf(line.type, line.name), { ...contacts, removedAt: null });
  };

  const FIELDS = [
    ["contactAdmin", "adminId"],
    ["contactTech", "techId"],
    ["contactBilling", "billingId"],
  ] as const;
  for (const { number, line } of serviceLines) {
    let contacts: Partial<ContactIds> = {};
    let refusal: string | null = null;
    for (const [field, column] of FIELDS) {
      const customerId = line[field];
      const account = known.get(customerId);
      const createdAt = createdAtLine.get(customerId);
      if (!account || (createdAt !== undefined && createdAt > number)) {
        refusal = unknownAccountMessage(field, customerId);
        break;
      }
      contacts = { ...contacts, [column]: account.id };
    }
    if (refusal !== null) {
      outcome.errors.push({ line: number, message: refusal });
      continue;
    }
    const wanted = contacts as ContactIds;
    const key = keyOf(line.type, line.name);
    outcome.services += 1;
    if (pendingKeys.has(key)) await flush();
    const row = existing.get(key);
    if (!row) {
      pending.push({ number, line, contacts: wanted });
      pendingKeys.add(key);
    } else if (row.removedAt !== null || !isSameContacts(row, wanted)) {
      await writeExisting({ line, contacts: wanted });
    }
  }
  await flush();
}

type NewServiceRow = { type: ServiceType; name: string } & ContactIds;

/**
 * Inserts new services, skipping any that another writer created since the lookup, and returns
 * those it inserted. The rows go as one JSON array that the database unpacks (SQLite's json_each,
 * PostgreSQL's jsonb_array_elements): through the query builder, with a parameter per value, a
 * million rows cost more in building statements than in writing them.
 */
async function insertNewServices(
  tx: Tx,
  rows: NewServiceRow[],
  now: Date,
): Promise<(NewServiceRow & { removedAt: Date | null })[]> {
  if (rows.length === 0) return [];
  const json = JSON.stringify(
    rows.map((row) => [row.type, row.name, row.adminId, row.techId, row.billingId]),
  );
  const returning = sql`RETURNING type, name, admin_id AS "adminId", tech_id AS "techId", billing_id AS "billingId"`;
  const inserted = await rawRows<NewServiceRow>(
    tx,
    databaseDialect() === "postgres"
      ? sql`INSERT INTO services (type, name, admin_id, tech_id, billing_id, created_at)
          SELECT r->>0, r->>1, (r->>2)::int, (r->>3)::int, (r->>4)::int, ${now.toISOString()}::timestamptz
          FROM jsonb_array_elements(${json}::jsonb) AS r
          ON CONFLICT (type, name) DO NOTHING ${returning}`
      : // WHERE true: SQLite's parser needs it between a SELECT and ON CONFLICT.
        sql`INSERT INTO services (type, name, admin_id, tech_id, billing_id, created_at)
          SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, ${now.getTime()}
          FROM json_each(${json}) WHERE true
          ON CONFLICT (type, name) DO NOTHING ${returning}`,
  );
  return inserted.map((row) => ({ ...row, removedAt: null }));
}
