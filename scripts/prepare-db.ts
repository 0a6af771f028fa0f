// Applies the migrations and, unless --no-seed, creates the demo data on an empty database:
// the SQLite file at DATABASE_PATH, or PostgreSQL at DATABASE_URL.
import { migrateDb, openDb, whileHoldingSetupLock } from "@/db/client";
import { seedDemoData } from "@/db/seed";
import { databasePath, databaseUrl, describeLocation } from "@/lib/config";

export async function prepareDatabase({ seed }: { seed: boolean }): Promise<void> {
  const location = databaseUrl() ?? databasePath();
  const db = openDb(location);
  try {
    await whileHoldingSetupLock(db, async () => {
      await migrateDb(db);
      if (seed && (await seedDemoData(db)))
        console.log(`Created the demo data in ${describeLocation(location)}.`);
    });
  } finally {
    await db.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await prepareDatabase({ seed: !process.argv.includes("--no-seed") });
}
