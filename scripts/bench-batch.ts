// How long a bulk hand-over takes (issue 11: 10,000 services registered in ≤ 3 s), on a fresh
// SQLite file, or on PostgreSQL with DATABASE_URL (an empty database):
//   npx tsx scripts/bench-batch.ts [10000]
// Seeds one administrator of N services through the provider's import, then times the
// registration of one batch handing the technical contact of all of them over, the new contact's
// "Accept all", and the administrator's (which applies every change).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { migrateDb, openDb } from "@/db/client";
import { accounts, outbox } from "@/db/schema";
import { databaseUrl } from "@/lib/config";
import { importNdjson } from "@/lib/provider/provisioning/import-ndjson";
import { answerBatch } from "@/lib/requests/batches/answer-batch";
import { registerBatch } from "@/lib/requests/batches/register-batch";

const total = Number(process.argv[2] ?? 10_000);
const location = databaseUrl() ?? path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bench-batch-")), "app.db");
const db = openDb(location);
await migrateDb(db);

async function* lines(): AsyncIterable<string> {
  const account = (customerId: string, name: string) =>
    JSON.stringify({ kind: "account", customerId, name, email: `${customerId}@example.test` });
  yield account("ba100000-ovh", "Bulk Admin");
  yield account("bt100000-ovh", "Old Tech");
  yield account("bn100000-ovh", "New Tech");
  for (let i = 0; i < total; i++) {
    yield JSON.stringify({
      kind: "service",
      type: "domain",
      name: `bulk-${String(i).padStart(6, "0")}.example.pl`,
      contactAdmin: "ba100000-ovh",
      contactTech: "bt100000-ovh",
      contactBilling: "ba100000-ovh",
    });
  }
}
const report = await importNdjson(db, lines(), { source: "bench-batch" });
if (report.errors.length > 0) throw new Error(JSON.stringify(report.errors.slice(0, 3)));
const idOf = async (customerId: string) =>
  (
    (
      await db.read.select({ id: accounts.id }).from(accounts).where(eq(accounts.customerId, customerId))
    )[0] as {
      id: number;
    }
  ).id;

const time = async <T>(label: string, act: () => Promise<T>): Promise<T> => {
  const started = performance.now();
  const result = await act();
  console.log(`${label}: ${((performance.now() - started) / 1000).toFixed(2)} s`);
  return result;
};

const admin = await idOf("ba100000-ovh");
const result = await time(`register a batch of ${total} services (${db.dialect})`, () =>
  registerBatch(db, {
    actorId: admin,
    selection: { kind: "filter", search: "", type: null, role: null },
    fields: { tech: "bn100000-ovh" },
  }),
);
if (!result.ok || result.batchId === null) throw new Error(JSON.stringify(result));
console.log(`  ${result.requestCount} requests, ${result.refused.length} refused`);
const codeOf = async (customerId: string) => {
  const rows = await db.read.select().from(outbox).where(eq(outbox.template, "change-request-batch"));
  const row = rows.find((r) => (r.props.recipient as { customerId: string }).customerId === customerId);
  return row?.props.code as string;
};
for (const customerId of process.env.ANSWER ? ["bn100000-ovh", "ba100000-ovh"] : []) {
  const answered = await time(`"Accept all" by ${customerId}`, async () =>
    answerBatch(db, {
      batchId: result.batchId as number,
      actorId: await idOf(customerId),
      token: await codeOf(customerId),
      decision: "accepted",
      clientAddress: "127.0.0.1",
    }),
  );
  console.log(`  ${JSON.stringify(answered)}`);
}
await db.close();
