// Applies the migrations and, unless --no-seed, creates the demo data on an empty database.
import { migrateDb, openDb } from "@/db/client";
import { seedDemoData } from "@/db/seed";
import { databasePath } from "@/lib/config";

export async function prepareDatabase({ seed }: { seed: boolean }): Promise<void> {
  const file = databasePath();
  const db = openDb(file);
  await migrateDb(db);
  if (seed && (await seedDemoData(db))) console.log(`Created the demo data in ${file}.`);
  await db.close();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await prepareDatabase({ seed: !process.argv.includes("--no-seed") });
}
