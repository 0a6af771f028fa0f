// Confirms an e-mail change from a process of its own, for the test of two concurrent
// confirmations: better-sqlite3 is synchronous, so only separate processes (separate
// connections) can really race. Prints "ready", waits for a line on stdin, confirms, and
// prints the result as JSON.
import { openDb } from "@/db/client";
import { confirmEmailChange } from "../confirm-email-change";

const [file, accountId, token, nowIso] = process.argv.slice(2);
if (!file || !accountId || !token || !nowIso) throw new Error("usage: <db file> <account id> <token> <now>");
const db = openDb(file);
process.stdout.write("ready\n");
process.stdin.once("data", () => {
  const result = confirmEmailChange(db, { accountId: Number(accountId), token, now: new Date(nowIso) });
  process.stdout.write(`${JSON.stringify(result)}\n`);
  db.$client.close();
  process.exit(0);
});
