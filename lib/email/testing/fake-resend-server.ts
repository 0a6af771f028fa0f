import http from "node:http";
import type { AddressInfo } from "node:net";

/** One POST /emails as the fake provider received it. */
export type ReceivedEmail = {
  idempotencyKey: string | undefined;
  authorization: string | undefined;
  body: { from?: string; to?: string | string[]; subject?: string; html?: string; text?: string };
};

/** How the fake answers one request; the default delivers and answers 200. */
export type FakeReply =
  | { kind: "deliver"; delayMs?: number }
  | { kind: "status"; status: number; body: string; headers?: Record<string, string> }
  /** Delivers, then drops the connection: the sender never learns it worked. */
  | { kind: "deliver-then-drop" }
  /** Never answers until `release()` is called, then delivers. */
  | { kind: "hold" };

/**
 * A local HTTP server playing Resend's POST /emails, including its idempotency: a key
 * already delivered answers with the first message id and is not delivered again.
 */
export type FakeResend = {
  baseUrl: string;
  received: ReceivedEmail[];
  /** Messages actually delivered, per idempotency key. */
  deliveries: Map<string, number>;
  /** Replies for the next requests, in order. */
  reply: (...replies: FakeReply[]) => void;
  /** Lets held requests through: all of them, or the oldest `count`. */
  release: (count?: number) => void;
  close: () => Promise<void>;
};

export async function startFakeResend(): Promise<FakeResend> {
  const received: ReceivedEmail[] = [];
  const deliveries = new Map<string, number>();
  const messageIds = new Map<string, string>();
  const queue: FakeReply[] = [];
  const held: Array<() => void> = [];
  let nextId = 1;

  const deliver = (key: string | undefined): string => {
    const known = key ? messageIds.get(key) : undefined;
    if (known) return known;
    const id = `fake-${nextId++}`;
    if (key) {
      messageIds.set(key, id);
      deliveries.set(key, (deliveries.get(key) ?? 0) + 1);
    }
    return id;
  };
  const answer = (res: http.ServerResponse, id: string) => {
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ id }));
  };

  const server = http.createServer((req, res) => {
    let raw = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => {
      raw += chunk;
    });
    req.on("end", () => {
      if (req.method !== "POST" || req.url !== "/emails") {
        res
          .writeHead(404)
          .end(JSON.stringify({ statusCode: 404, name: "not_found", message: "no such route" }));
        return;
      }
      const key = req.headers["idempotency-key"];
      const idempotencyKey = Array.isArray(key) ? key[0] : key;
      received.push({ idempotencyKey, authorization: req.headers.authorization, body: JSON.parse(raw) });
      const reply = queue.shift() ?? { kind: "deliver" };
      switch (reply.kind) {
        case "deliver":
          setTimeout(() => answer(res, deliver(idempotencyKey)), reply.delayMs ?? 0);
          return;
        case "deliver-then-drop":
          deliver(idempotencyKey);
          res.socket?.destroy();
          return;
        case "hold":
          held.push(() => answer(res, deliver(idempotencyKey)));
          return;
        case "status":
          res
            .writeHead(reply.status, { "content-type": "application/json", ...reply.headers })
            .end(reply.body);
          return;
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    received,
    deliveries,
    reply: (...replies) => {
      queue.push(...replies);
    },
    release: (count = held.length) => {
      for (const go of held.splice(0, count)) go();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const go of held.splice(0)) go();
        // fetch keeps connections alive; without this, close() waits for them to time out.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A Resend-shaped error body, as the real API sends it. */
export function resendError(status: number, name: string, message = name): FakeReply {
  return { kind: "status", status, body: JSON.stringify({ statusCode: status, name, message }) };
}
