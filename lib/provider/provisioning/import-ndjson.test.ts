import readline from "node:readline";
import { Readable } from "node:stream";
import { asc, eq, sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Db, rawRows, sqliteClientOf } from "@/db/client";
import { importRuns, sessions } from "@/db/schema";
import { startSession } from "@/lib/auth/sessions";
import {
  ANNA,
  accountIdOf,
  askOne,
  BARTOSZ,
  CELINA,
  DAWID,
  endedMailsOf,
  openTestDb,
  requestRow,
  snapshot,
  T0,
} from "@/lib/requests/testing/confirming-fixtures";
import { importNdjson } from "./import-ndjson";
import { getAccount } from "./put-account";
import { getService } from "./put-service";
import { addWebhookEndpoint, webhookEventsOf } from "./testing/provisioning-fixtures";

let db: Db;
beforeEach(async () => {
  db = await openTestDb();
  await addWebhookEndpoint(db);
});
afterEach(async () => {
  await db.close();
});

async function* streamOf(
  lines: readonly string[],
  stopAfter = Number.POSITIVE_INFINITY,
): AsyncIterable<string> {
  let read = 0;
  for (const line of lines) {
    if (read === stopAfter) throw new Error("the process was killed");
    read += 1;
    yield line;
  }
}

const account = (customerId: string, overrides: Record<string, unknown> = {}) =>
  JSON.stringify({
    kind: "account",
    customerId,
    name: `Name ${customerId}`,
    email: `${customerId}@example.test`,
    ...overrides,
  });
const service = (name: string, admin: string, tech = admin, billing = admin, type = "domain") =>
  JSON.stringify({
    kind: "service",
    type,
    name,
    contactAdmin: admin,
    contactTech: tech,
    contactBilling: billing,
  });

const run = (
  lines: readonly string[],
  options: { resume?: boolean; stopAfter?: number; batchSize?: number } = {},
) =>
  importNdjson(db, streamOf(lines, options.stopAfter), {
    source: "test.ndjson",
    resume: options.resume,
    batchSize: options.batchSize ?? 3,
    now: () => T0,
  });

const FILE = [
  account("gg700007-ovh", { language: "pl", paymentStanding: "overdue" }),
  account("hh800008-ovh"),
  service("one.example.pl", "gg700007-ovh", "hh800008-ovh", ANNA),
  "",
  service("two.example.pl", "hh800008-ovh"),
  service("three.example.pl", "gg700007-ovh", "gg700007-ovh", "hh800008-ovh", "vps"),
  account("ii900009-ovh"),
  service("four.example.pl", "ii900009-ovh"),
];

describe("importNdjson", () => {
  it("upserts the file's accounts and services, as the provisioning API would", async () => {
    const progress: number[] = [];
    const report = await importNdjson(db, streamOf(FILE), {
      source: "test.ndjson",
      batchSize: 3,
      now: () => T0,
      onProgress: (step) => progress.push(step.linesDone),
    });
    expect(report).toMatchObject({
      fromLine: 1,
      linesRead: 8,
      accounts: 3,
      services: 4,
      errors: [],
      moreErrors: 0,
    });
    // A blank line (4) is skipped and takes no place in a batch.
    expect(progress).toEqual([3, 7, 8]);
    expect(await getAccount(db, "gg700007-ovh")).toEqual({
      customerId: "gg700007-ovh",
      name: "Name gg700007-ovh",
      email: "gg700007-ovh@example.test",
      language: "pl",
      paymentStanding: "overdue",
      emailUndeliverable: null,
    });
    expect(await getService(db, { type: "domain", name: "one.example.pl" })).toEqual({
      type: "domain",
      name: "one.example.pl",
      contactAdmin: "gg700007-ovh",
      contactTech: "hh800008-ovh",
      contactBilling: ANNA,
    });
    expect(await getService(db, { type: "vps", name: "three.example.pl" })).toMatchObject({
      contactBilling: "hh800008-ovh",
    });
    const events = await webhookEventsOf(db);
    expect(events.map((event) => (event.data as { service: { name: string } }).service.name)).toEqual([
      "one.example.pl",
      "two.example.pl",
      "three.example.pl",
      "four.example.pl",
    ]);
    expect(events[0]).toMatchObject({
      type: "service.contacts_changed",
      data: { previous: null, cause: "provider" },
    });
    const [row] = await db.read.select().from(importRuns);
    expect(row).toMatchObject({ source: "test.ndjson", linesDone: 8, applied: 7, failed: 0, finishedAt: T0 });
  });

  it("reports each line it cannot apply, with its number and why, and applies the rest", async () => {
    const lines = [
      "{not json",
      account("gg700007-ovh", { email: "not-an-address" }),
      JSON.stringify({ kind: "invoice" }),
      service("one.example.pl", "zz999999-ovh"),
      service("two.example.pl", ANNA, "gg700007-ovh"),
      account("gg700007-ovh"),
      account("hh800008-ovh", { email: "anna@example.test" }),
      account("jj100001-ovh", { email: "gg700007-ovh@example.test" }),
      service("bad", ANNA, ANNA, ANNA, "castle"),
      JSON.stringify({
        kind: "account",
        customerId: "kk1-ovh",
        name: "K",
        email: "k@example.test",
        extra: 1,
      }),
      service("three.example.pl", ANNA, "gg700007-ovh"),
    ];
    const before = await snapshot(db);
    const report = await run(lines);
    expect(report.errors).toEqual([
      { line: 1, message: "line is not JSON" },
      { line: 2, message: "email: is not an e-mail address" },
      { line: 3, message: expect.stringContaining("kind") },
      { line: 4, message: "contactAdmin: no account has the customer ID zz999999-ovh" },
      // The account comes on line 6: a service before it cannot name it, whatever the batches.
      { line: 5, message: "contactTech: no account has the customer ID gg700007-ovh" },
      { line: 7, message: "email: anna@example.test is the e-mail address of another account" },
      { line: 8, message: "email: gg700007-ovh@example.test is the e-mail address of another account" },
      { line: 9, message: "type: must be one of domain, web_hosting, vps, dedicated_server, email" },
      { line: 10, message: expect.stringContaining("extra") },
    ]);
    expect(report).toMatchObject({ accounts: 1, services: 1 });
    expect(await getService(db, { type: "domain", name: "three.example.pl" })).not.toBeNull();
    expect(await getService(db, { type: "domain", name: "two.example.pl" })).toBeNull();
    expect(await getAccount(db, "hh800008-ovh")).toBeNull();
    const after = await snapshot(db);
    expect(after.accounts).toHaveLength((before.accounts?.length ?? 0) + 1);
    expect(after.services).toHaveLength((before.services?.length ?? 0) + 1);
    expect(await db.read.select().from(importRuns)).toMatchObject([{ linesDone: 11, applied: 2, failed: 9 }]);
  });

  it("the same file twice leaves the same state, and the second time tells the endpoints nothing", async () => {
    await run(FILE);
    const once = await snapshot(db);
    const events = (await webhookEventsOf(db)).length;
    const report = await run(FILE);
    expect(report).toMatchObject({ accounts: 3, services: 4, errors: [] });
    expect(await snapshot(db)).toEqual(once);
    expect(await webhookEventsOf(db)).toHaveLength(events);
  });

  it("resumes exactly after the last committed line of a run that stopped", async () => {
    // Killed while reading line 5: lines 1–3 were committed (one batch), line 4 was not.
    await expect(run(FILE, { stopAfter: 4 })).rejects.toThrow("killed");
    expect(await db.read.select().from(importRuns)).toMatchObject([{ linesDone: 3, finishedAt: null }]);
    const report = await run(FILE, { resume: true });
    expect(report).toMatchObject({ fromLine: 4, linesRead: 5, accounts: 1, services: 3, errors: [] });
    const runs = await db.read.select().from(importRuns).orderBy(asc(importRuns.id));
    expect(runs).toMatchObject([{ linesDone: 8, applied: 7, failed: 0, finishedAt: T0 }]);
    expect(await webhookEventsOf(db)).toHaveLength(4);
    expect(await getService(db, { type: "domain", name: "four.example.pl" })).not.toBeNull();
    // Nothing is left to resume: a new run starts from the first line.
    expect(await run(FILE, { resume: true })).toMatchObject({ fromLine: 1, linesRead: 8 });
  });

  it("a changed service goes the provisioning API's way: stale requests end, everyone told", async () => {
    const request = await askOne(db, ANNA, "example.pl", { tech: DAWID });
    const report = await run([service("example.pl", ANNA, CELINA, CELINA)]);
    expect(report.errors).toEqual([]);
    expect(await requestRow(db, request)).toMatchObject({
      state: "cancelled",
      endReason: "old_contact_changed",
    });
    expect((await endedMailsOf(db, request)).map(([to]) => to)).toEqual([
      "anna@example.test",
      "bartosz@example.test",
      "dawid@example.test",
    ]);
    expect((await webhookEventsOf(db)).at(-1)?.data).toMatchObject({
      contacts: { admin: ANNA, tech: CELINA, billing: CELINA },
      previous: { admin: ANNA, tech: BARTOSZ, billing: CELINA },
    });
  });

  it("a service named twice in one batch ends as the later line says, each change told", async () => {
    const report = await run(
      [
        service("twice.example.pl", ANNA),
        service("twice.example.pl", ANNA, BARTOSZ),
        service("x.example.pl", ANNA),
      ],
      { batchSize: 10 },
    );
    expect(report).toMatchObject({ services: 3, errors: [] });
    expect(await getService(db, { type: "domain", name: "twice.example.pl" })).toMatchObject({
      contactTech: BARTOSZ,
    });
    expect(
      (await webhookEventsOf(db)).map((event) => (event.data as { previous: unknown }).previous),
    ).toEqual([null, { admin: ANNA, tech: ANNA, billing: ANNA }, null]);
  });

  it("an account named twice in one batch ends as the later line says; a new address ends its sessions", async () => {
    const anna = await accountIdOf(db, ANNA);
    await startSession(db, { accountId: anna, now: T0 });
    const report = await run(
      [
        account("gg700007-ovh"),
        account("gg700007-ovh", { name: "Renamed" }),
        account(ANNA, { email: "anna.new@example.test" }),
      ],
      { batchSize: 10 },
    );
    expect(report).toMatchObject({ accounts: 3, errors: [] });
    expect(await getAccount(db, "gg700007-ovh")).toMatchObject({ name: "Renamed" });
    expect(await getAccount(db, ANNA)).toMatchObject({ email: "anna.new@example.test" });
    expect(await db.read.select().from(sessions).where(eq(sessions.accountId, anna))).toEqual([]);
  });

  it("when the database refuses a batch as a duplicate, the batch is done again line by line and only that line fails", async () => {
    // Plays a writer that took a value between the batch's lookups and its writes: a unique rule
    // the import does not know of, which the database enforces.
    const ddl = "CREATE UNIQUE INDEX test_accounts_name_uq ON accounts (name)";
    if (db.dialect === "sqlite") sqliteClientOf(db).exec(ddl);
    else await rawRows(db.read, sql.raw(ddl));
    const report = await run(
      [
        account("gg700007-ovh", { name: "Same" }),
        service("one.example.pl", ANNA),
        account("hh800008-ovh", { name: "Same" }),
        account("ii900009-ovh"),
      ],
      { batchSize: 10 },
    );
    expect(report).toMatchObject({ accounts: 2, services: 1 });
    expect(report.errors).toEqual([
      { line: 3, message: "another writer changed the same account or service; try again" },
    ]);
    expect(await getAccount(db, "ii900009-ovh")).not.toBeNull();
    expect(await db.read.select().from(importRuns)).toMatchObject([{ linesDone: 4, applied: 3, failed: 1 }]);
  });

  it("takes every line of a readline interface, which does not wait for its reader", async () => {
    // The window opens while the run is started: a network round trip on PostgreSQL.
    const lines = readline.createInterface({ input: Readable.from([FILE.join("\n")]) });
    const report = await importNdjson(db, lines, { source: "readline", now: () => T0 });
    expect(report).toMatchObject({ linesRead: 8, accounts: 3, services: 4, errors: [] });
  });

  it("keeps the first 1,000 errors and counts the rest", async () => {
    const report = await importNdjson(db, streamOf(Array.from({ length: 1_005 }, () => "nope")), {
      source: "bad.ndjson",
      now: () => T0,
    });
    expect(report.errors).toHaveLength(1_000);
    expect(report.moreErrors).toBe(5);
    expect(report.errors[999]).toEqual({ line: 1_000, message: "line is not JSON" });
  });
});
