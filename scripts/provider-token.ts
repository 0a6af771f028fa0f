/**
 * Provisioning tokens for the provider's systems (README "Provider integration"):
 *   npm run provider-token -- create --name NAME --scope S [--scope S…]   prints the token once
 *   npm run provider-token -- list
 *   npm run provider-token -- revoke ID
 * On DATABASE_PATH (default data/app.db), or PostgreSQL at DATABASE_URL.
 */
import { parseArgs } from "node:util";
import { getDb } from "@/db/client";
import { createProviderToken, listProviderTokens, revokeProviderToken } from "@/lib/provider/auth";
import { PROVIDER_SCOPES } from "@/lib/provider/vocabulary";

const USAGE = `Usage:
  npm run provider-token -- create --name NAME --scope SCOPE [--scope SCOPE…]
  npm run provider-token -- list
  npm run provider-token -- revoke ID
Scopes: ${PROVIDER_SCOPES.join(", ")}`;

async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { name: { type: "string" }, scope: { type: "string", multiple: true } },
    allowPositionals: true,
  });
  const [command, ...rest] = positionals;
  const db = getDb();
  switch (command) {
    case "create": {
      const created = await createProviderToken(db, { name: values.name ?? "", scopes: values.scope ?? [] });
      if (!created.ok) {
        console.error(`${created.message}\n\n${USAGE}`);
        return 2;
      }
      console.log(`Token ${created.view.id} "${created.view.name}" (${created.view.scopes.join(", ")}):`);
      console.log(created.token);
      console.error("Keep it now: it is stored hashed and cannot be shown again.");
      return 0;
    }
    case "list": {
      for (const token of await listProviderTokens(db)) {
        const state = token.revokedAt ? `revoked ${token.revokedAt.toISOString()}` : "active";
        const used = token.lastUsedAt ? `last used ${token.lastUsedAt.toISOString()}` : "never used";
        console.log(`${token.id}\t${token.name}\t${token.scopes.join(",")}\t${state}\t${used}`);
      }
      return 0;
    }
    case "revoke": {
      const id = Number(rest[0]);
      if (rest.length !== 1 || !Number.isSafeInteger(id)) {
        console.error(`revoke takes one token id (see list).\n\n${USAGE}`);
        return 2;
      }
      if (!(await revokeProviderToken(db, id))) {
        console.error(`No active token ${id}.`);
        return 1;
      }
      console.log(`Token ${id} revoked: calls with it are refused from now on.`);
      return 0;
    }
    default:
      console.error(USAGE);
      return 2;
  }
}

try {
  process.exitCode = await run(process.argv.slice(2));
} catch (error) {
  // parseArgs refuses unknown options with a message worth showing as is.
  console.error(`${(error as Error).message}\n\n${USAGE}`);
  process.exitCode = 2;
} finally {
  await getDb().close();
}
