// Writes an NDJSON import file for measuring `npm run import`: ACCOUNTS accounts, then SERVICES
// services spread over them (each with an admin, a tech and a billing contact among them).
//   tsx scripts/make-import-file.ts FILE [SERVICES=1000000] [ACCOUNTS=100000]

import { once } from "node:events";
import fs from "node:fs";
import { SERVICE_TYPES } from "@/lib/contact-change/vocabulary";

const [file, servicesArg = "1000000", accountsArg = "100000"] = process.argv.slice(2);
const serviceCount = Number(servicesArg);
const accountCount = Number(accountsArg);
if (!file || !Number.isSafeInteger(serviceCount) || !Number.isSafeInteger(accountCount) || accountCount < 1) {
  console.error("usage: tsx scripts/make-import-file.ts FILE [SERVICES] [ACCOUNTS]");
  process.exit(2);
}

const customerId = (i: number) => `im${String(i).padStart(7, "0")}-ovh`;
const out = fs.createWriteStream(file);
// Written with backpressure, so a million lines take no more memory than a few.
async function write(line: string): Promise<void> {
  if (!out.write(`${line}\n`)) await once(out, "drain");
}
for (let i = 0; i < accountCount; i++) {
  await write(
    JSON.stringify({
      kind: "account",
      customerId: customerId(i),
      name: `Customer ${i}`,
      email: `customer-${i}@import.example.test`,
      language: i % 3 === 0 ? "pl" : "en",
      paymentStanding: i % 50 === 0 ? "overdue" : "upToDate",
    }),
  );
}
for (let i = 0; i < serviceCount; i++) {
  const admin = i % accountCount;
  await write(
    JSON.stringify({
      kind: "service",
      type: SERVICE_TYPES[i % SERVICE_TYPES.length],
      name: `svc-${String(i).padStart(7, "0")}.import.example.com`,
      contactAdmin: customerId(admin),
      contactTech: customerId(i % 7 === 0 ? (admin + 1) % accountCount : admin),
      contactBilling: customerId(i % 11 === 0 ? (admin + 2) % accountCount : admin),
    }),
  );
}
out.end();
await once(out, "finish");
console.log(`Wrote ${accountCount} accounts and ${serviceCount} services to ${file}.`);
