import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { databasePath, databaseUrl } from "@/lib/config";

/**
 * Sets AUTH_SECRET for the embedded default when it is not given: created once beside the SQLite
 * file and kept there, so `npm start` and the commands that seal secrets under it
 * (`npm run webhook-endpoint`) use the same. With DATABASE_URL it must be given: instances
 * sharing one database must share it. Exits with a message when it is missing there.
 */
export function ensureAuthSecret(): void {
  process.env.AUTH_TRUST_HOST ??= "true";
  if (process.env.AUTH_SECRET) return;
  if (databaseUrl()) {
    // Instances sharing one database must share the secret that signs their session cookies.
    console.error(
      "DATABASE_URL is set: set AUTH_SECRET too, the same for every instance (e.g. openssl rand -base64 32).",
    );
    process.exit(1);
  }
  const file = path.join(path.dirname(path.resolve(databasePath())), ".auth-secret");
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600 });
  }
  process.env.AUTH_SECRET = fs.readFileSync(file, "utf8").trim();
}
