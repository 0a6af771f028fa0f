// Confirms an e-mail change from a process of its own, for the test of two concurrent
// confirmations: one process's transactions take turns on its one writing connection
// (db/client.ts), so only separate processes (separate connections) can really race. Prints
// "ready", waits for a line on stdin, confirms, and prints the result as JSON.
import { openDb } from "@/db/client";
import { confirmEmailChange } from "../confirm-email-change";

const [location, accountId, token, nowIso] = process.argv.slice(2);
if (!location || !accountId || !token || !nowIso)
  throw new Error("usage: <db file or URL> <account id> <token> <now>");
const db = openDb(location);
process.stdout.write("ready\n");
process.stdin.once("data", async () => {
  const result = await confirmEmailChange(db, { accountId: Number(accountId), token, now: new Date(nowIso) });
  process.stdout.write(`${JSON.stringify(result)}\n`);
  await db.close();
  process.exit(0);
});
