import { afterEach, beforeEach, expect, it, vi } from "vitest";
import type { Db } from "@/db/client";
import { services } from "@/db/schema";
import { getBatch } from "./batches/get-batch";
import { registerBatch } from "./batches/register-batch";
import { findBatchPreviousPage } from "./find-batch-previous-page";
import { ANNA, accountIdOf, BARTOSZ, CELINA, DAWID, openTestDb } from "./testing/confirming-fixtures";

let db: Db;

beforeEach(async () => {
  vi.stubEnv("REQUEST_EXPIRY_DAYS", "");
  db = await openTestDb();
});

afterEach(async () => {
  vi.unstubAllEnvs();
  await db.close();
});

it("a batch page's previous page is the one the next-page links led from", async () => {
  const [anna, bartosz, celina] = await Promise.all([ANNA, BARTOSZ, CELINA].map((c) => accountIdOf(db, c)));
  // One insert: three pages' worth of services without a transaction each.
  await db.transaction((tx) =>
    tx.insert(services).values(
      Array.from({ length: 110 }, (_, i) => ({
        name: `bulk-${i}.example.pl`,
        type: "domain" as const,
        adminId: anna as number,
        techId: bartosz as number,
        billingId: celina as number,
      })),
    ),
  );
  const result = await registerBatch(db, {
    actorId: anna as number,
    selection: { kind: "filter", search: "bulk-", type: null, role: null },
    fields: { tech: DAWID },
  });
  if (!result.ok || result.batchId === null) throw new Error(JSON.stringify(result));
  const batchId = result.batchId;
  const page = (after: number | null) => getBatch(db, { batchId, viewerId: anna as number, after });
  const first = await page(null);
  const second = await page(first?.nextAfter ?? null);
  const third = await page(second?.nextAfter ?? null);
  expect(third?.rows).toHaveLength(10);

  const back = (view: typeof second) =>
    findBatchPreviousPage(db, { batchId, firstId: view?.rows[0]?.id ?? 0 });
  expect(await back(third)).toEqual({ after: first?.nextAfter });
  expect(await back(second)).toEqual({ after: null });
});
