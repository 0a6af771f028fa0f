import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from "@/lib/provider/vocabulary";

/** Longest endpoint URL taken: ample for any real endpoint, short enough for every log line. */
export const MAX_WEBHOOK_URL_LENGTH = 2_000;
export const MAX_WEBHOOK_DESCRIPTION_LENGTH = 200;

export type WebhookEndpointInput = {
  url: string;
  description: string;
  eventTypes: WebhookEventType[] | null;
};

export type WebhookEndpointInputRefusal = {
  ok: false;
  reason: "invalid_url" | "invalid_description" | "invalid_event_types";
  message: string;
};

/**
 * Checks what an operator (the command or the provisioning API) asks to register. The input is
 * untrusted (it may come as JSON of any shape), so every field is checked for its type too.
 * Private addresses are allowed: the provider's systems often live on its own network, and only
 * operators with `webhooks:manage` may register an endpoint.
 */
export function parseWebhookEndpointInput(input: {
  url: unknown;
  description?: unknown;
  eventTypes?: unknown;
}): { ok: true; value: WebhookEndpointInput } | WebhookEndpointInputRefusal {
  const url = parseUrl(input.url);
  if (!url.ok) return { ok: false, reason: "invalid_url", message: url.message };
  const description = input.description ?? "";
  if (typeof description !== "string" || description.trim().length > MAX_WEBHOOK_DESCRIPTION_LENGTH) {
    return {
      ok: false,
      reason: "invalid_description",
      message: `The description must be text of at most ${MAX_WEBHOOK_DESCRIPTION_LENGTH} characters.`,
    };
  }
  const eventTypes = parseEventTypes(input.eventTypes);
  if (!eventTypes.ok) return { ok: false, reason: "invalid_event_types", message: eventTypes.message };
  return {
    ok: true,
    value: { url: url.value, description: description.trim(), eventTypes: eventTypes.value },
  };
}

function parseUrl(raw: unknown): { ok: true; value: string } | { ok: false; message: string } {
  if (typeof raw !== "string" || raw.trim() === "") return { ok: false, message: "The URL is missing." };
  const text = raw.trim();
  if (text.length > MAX_WEBHOOK_URL_LENGTH) {
    return { ok: false, message: `The URL is longer than ${MAX_WEBHOOK_URL_LENGTH} characters.` };
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, message: "The URL is not a valid absolute URL (e.g. https://example.com/webhooks)." };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    return { ok: false, message: "The URL must start with https:// (or http://)." };
  }
  // Credentials in a URL end up in logs and in the delivery log: the signature authenticates us.
  if (url.username || url.password) {
    return { ok: false, message: "The URL must not contain a user name or password." };
  }
  if (url.hash) return { ok: false, message: "The URL must not contain a fragment (#…)." };
  return { ok: true, value: url.toString() };
}

function parseEventTypes(
  raw: unknown,
): { ok: true; value: WebhookEventType[] | null } | { ok: false; message: string } {
  if (raw === undefined || raw === null) return { ok: true, value: null };
  const known = new Set<string>(WEBHOOK_EVENT_TYPES);
  const list = `Known types: ${WEBHOOK_EVENT_TYPES.join(", ")}.`;
  if (!Array.isArray(raw) || raw.length === 0) {
    return { ok: false, message: `Give at least one event type, or none for all of them. ${list}` };
  }
  const unknown = raw.filter((type) => typeof type !== "string" || !known.has(type));
  if (unknown.length > 0) {
    return { ok: false, message: `Unknown event type ${JSON.stringify(unknown[0])}. ${list}` };
  }
  return { ok: true, value: [...new Set(raw as WebhookEventType[])] };
}
