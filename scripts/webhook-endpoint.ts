/**
 * Registers and inspects the provider's endpoints for signed events (README "Events for the
 * provider's systems"), on DATABASE_URL or the SQLite file at DATABASE_PATH:
 *   npm run webhook-endpoint -- add URL [--description D] [--event TYPE ...]
 *   npm run webhook-endpoint -- list
 *   npm run webhook-endpoint -- disable ID
 *   npm run webhook-endpoint -- deliveries ID [--before DELIVERY_ID] [--limit N]
 *   npm run webhook-endpoint -- attempts ID DELIVERY_ID
 * `add` prints the signing secret once. Exit status: 0 done, 1 refused, 2 bad usage.
 */
import { parseArgs } from "node:util";
import { openDb } from "@/db/client";
import { databasePath, databaseUrl } from "@/lib/config";
import {
  createWebhookEndpoint,
  disableWebhookEndpoint,
  listWebhookDeliveries,
  listWebhookDeliveryAttempts,
  listWebhookEndpoints,
} from "@/lib/provider/events/webhook-endpoints";
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from "@/lib/provider/vocabulary";
import { ensureAuthSecret } from "./auth-secret";
import { prepareDatabase } from "./prepare-db";

const USAGE = `Usage:
  npm run webhook-endpoint -- add URL [--description D] [--event TYPE ...]
  npm run webhook-endpoint -- list
  npm run webhook-endpoint -- disable ID
  npm run webhook-endpoint -- deliveries ID [--before DELIVERY_ID] [--limit N]
  npm run webhook-endpoint -- attempts ID DELIVERY_ID
Event types: ${WEBHOOK_EVENT_TYPES.join(", ")} (all of them when no --event is given).`;

function usage(message?: string): never {
  if (message) console.error(message);
  console.error(USAGE);
  process.exit(2);
}

function parsedArgs() {
  try {
    return parseArgs({
      args: process.argv.slice(2),
      allowPositionals: true,
      options: {
        description: { type: "string" },
        event: { type: "string", multiple: true },
        before: { type: "string" },
        limit: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    usage(error instanceof Error ? error.message : String(error));
  }
}

function idArgument(text: string | undefined, what: string): number {
  if (!text || !/^\d{1,15}$/.test(text)) usage(`${what} must be a number.`);
  return Number(text);
}

const { values, positionals } = parsedArgs();
const [command, argument, second, ...extra] = positionals;
if (values.help || !command) usage();
const unexpected = command === "attempts" ? extra[0] : (second ?? extra[0]);
if (unexpected !== undefined) usage(`Unexpected argument: ${unexpected}`);

// Secrets are sealed under AUTH_SECRET: the same one the app runs with.
ensureAuthSecret();
await prepareDatabase({ seed: false });
const db = openDb(databaseUrl() ?? databasePath());
try {
  switch (command) {
    case "add": {
      if (!argument) usage("add needs the endpoint's URL.");
      const result = await createWebhookEndpoint(db, {
        url: argument,
        description: values.description,
        // Checked by createWebhookEndpoint, which names an unknown type.
        eventTypes: values.event ? (values.event as WebhookEventType[]) : null,
      });
      if (!result.ok) {
        console.error(`Refused: ${result.message}`);
        process.exitCode = 1;
        break;
      }
      const { endpoint, secret } = result;
      console.log(`Endpoint ${endpoint.id} registered: ${endpoint.url}`);
      console.log(`Events: ${endpoint.eventTypes?.join(", ") ?? "all"}`);
      console.log(
        `Signing secret (shown this once; verify each event's webhook-signature with it):\n${secret}`,
      );
      break;
    }
    case "list": {
      if (argument) usage(`Unexpected argument: ${argument}`);
      const endpoints = await listWebhookEndpoints(db);
      if (endpoints.length === 0) console.log("No endpoint registered.");
      for (const endpoint of endpoints) {
        const state = endpoint.disabledAt ? `disabled ${endpoint.disabledAt.toISOString()}` : "enabled";
        console.log(
          [
            endpoint.id,
            state,
            endpoint.url,
            endpoint.eventTypes?.join(",") ?? "all",
            endpoint.description,
          ].join("\t"),
        );
      }
      break;
    }
    case "disable": {
      const id = idArgument(argument, "The endpoint's ID");
      if (await disableWebhookEndpoint(db, id))
        console.log(`Endpoint ${id} disabled; its pending deliveries failed.`);
      else {
        console.error(`No endpoint ${id}.`);
        process.exitCode = 1;
      }
      break;
    }
    case "deliveries": {
      const id = idArgument(argument, "The endpoint's ID");
      const deliveries = await listWebhookDeliveries(db, id, {
        before: values.before === undefined ? undefined : idArgument(values.before, "--before"),
        limit: values.limit === undefined ? undefined : idArgument(values.limit, "--limit"),
      });
      if (deliveries === null) {
        console.error(`No endpoint ${id}.`);
        process.exitCode = 1;
        break;
      }
      if (deliveries.length === 0) console.log("No delivery.");
      for (const d of deliveries) {
        console.log(
          [
            d.id,
            d.createdAt.toISOString(),
            d.eventType,
            d.messageId,
            d.status,
            `${d.attempts} attempt(s)`,
            d.lastStatusCode ?? "-",
            d.status === "pending"
              ? `next ${d.nextAttemptAt.toISOString()}`
              : (d.deliveredAt?.toISOString() ?? ""),
            d.lastError ?? "",
          ].join("\t"),
        );
      }
      break;
    }
    case "attempts": {
      const endpointId = idArgument(argument, "The endpoint's ID");
      const deliveryId = idArgument(second, "The delivery's ID");
      const attempts = await listWebhookDeliveryAttempts(db, { endpointId, deliveryId });
      if (attempts === null) {
        console.error(`Endpoint ${endpointId} has no delivery ${deliveryId}.`);
        process.exitCode = 1;
        break;
      }
      if (attempts.length === 0) console.log("Not attempted yet.");
      for (const a of attempts) {
        console.log(
          [a.at.toISOString(), a.statusCode ?? "-", `${a.durationMs} ms`, a.error ?? ""].join("\t"),
        );
      }
      break;
    }
    default:
      usage(`Unknown command: ${command}`);
  }
} finally {
  await db.close();
}
