import http from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";

/** What the receiver does with one request, by its order of arrival (from 0). */
export type ReceiverAnswer =
  | { status: number; location?: string }
  /** Takes the event (it is counted), then never answers: the sender's timeout runs out. */
  | { hang: true };

export type ReceivedEvent = { messageId: string; payload: unknown; path: string; receivedAt: number };

export type WebhookReceiver = {
  url: string;
  /** Requests whose signature verified, in order of arrival (duplicates included). */
  verified: ReceivedEvent[];
  /** Requests refused for a bad or missing signature. */
  rejected: number;
  /** Every request, any path. */
  requests: number;
  /** The events after deduplication by `webhook-id`, as a receiver is told to do. */
  uniqueMessageIds(): string[];
  close(): Promise<void>;
};

/**
 * A provider's endpoint for tests: checks each request's Standard Webhooks signature with the
 * endpoint's secret (`Webhook.verify`, which also checks the timestamp), records what verified,
 * and answers as `answer` says for that request (500s, a hang, a redirect, then 204).
 */
export async function startWebhookReceiver(options: {
  secret: () => string;
  answer?: (index: number, path: string) => ReceiverAnswer;
}): Promise<WebhookReceiver> {
  const hanging = new Set<http.ServerResponse>();
  const receiver: Omit<WebhookReceiver, "url" | "close" | "uniqueMessageIds"> = {
    verified: [],
    rejected: 0,
    requests: 0,
  };
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const index = receiver.requests++;
      const body = Buffer.concat(chunks).toString("utf8");
      const path = request.url ?? "/";
      try {
        const payload = new Webhook(options.secret()).verify(body, {
          "webhook-id": String(request.headers["webhook-id"] ?? ""),
          "webhook-timestamp": String(request.headers["webhook-timestamp"] ?? ""),
          "webhook-signature": String(request.headers["webhook-signature"] ?? ""),
        });
        receiver.verified.push({
          messageId: String(request.headers["webhook-id"]),
          payload,
          path,
          receivedAt: Date.now(),
        });
      } catch {
        receiver.rejected += 1;
        response.writeHead(400).end("bad signature");
        return;
      }
      const answer = options.answer?.(index, path) ?? { status: 204 };
      if ("hang" in answer) {
        hanging.add(response);
        return;
      }
      response.writeHead(answer.status, answer.location ? { location: answer.location } : {}).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(receiver, {
    url: `http://127.0.0.1:${port}/hooks`,
    uniqueMessageIds: () => [...new Set(receiver.verified.map((event) => event.messageId))].sort(),
    close: async () => {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}
