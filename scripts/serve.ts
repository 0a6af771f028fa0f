// The app's HTTP server: Next.js behind a thin Node server that owns what Next does not —
// which interfaces it listens on (loopback only in demo mode), who the client is (the socket,
// or a trusted proxy's X-Forwarded-For), headers no client may set, body size, and a graceful
// stop on SIGTERM. `npm start` (scripts/start.ts) prepares the database and build, then calls serve().
import http from "node:http";
import path from "node:path";
import next from "next";
import type { Db } from "@/db/client";
import { CLIENT_ADDRESS_HEADER, normalizeAddress, resolveClientAddress } from "@/lib/client-address";
import {
  appBaseUrl,
  databasePath,
  databaseUrl,
  describeLocation,
  isDemoMode,
  isLoopbackHost,
  listenHosts,
  MAX_BODY_BYTES,
  trustedProxies,
} from "@/lib/config";
import { logFor } from "@/lib/log";
import { isStreamedImport } from "@/lib/provider/api/is-streamed-import";

/** The most of a refused body the server reads and drops so its client hears the refusal. */
const DRAIN_LIMIT_BYTES = 16 * 1024 * 1024;
const DRAIN_TIMEOUT_MS = 10_000;

const ROOT = path.resolve(import.meta.dirname, "..");
/** How long a stop waits for requests in flight before closing their connections. */
const REQUEST_DRAIN_MS = 10_000;
const log = logFor("server");

// Headers only the server (or a trusted proxy) may set. Forwarded host headers are never
// believed: every redirect the app makes is a path, and links in e-mails use APP_URL.
const ALWAYS_DROPPED = [
  CLIENT_ADDRESS_HEADER,
  "x-forwarded-host",
  "x-forwarded-port",
  "forwarded",
  "x-real-ip",
];
const DROPPED_UNLESS_TRUSTED = ["x-forwarded-for", "x-forwarded-proto"];

function sanitize(req: http.IncomingMessage, trusted: ReadonlySet<string>): void {
  const peer = normalizeAddress(req.socket.remoteAddress ?? "unknown");
  const forwardedFor = req.headers["x-forwarded-for"];
  const client = resolveClientAddress({
    peer,
    forwardedFor: Array.isArray(forwardedFor) ? forwardedFor.join(",") : forwardedFor,
    trusted,
  });
  for (const name of ALWAYS_DROPPED) delete req.headers[name];
  if (!trusted.has(peer)) for (const name of DROPPED_UNLESS_TRUSTED) delete req.headers[name];
  req.headers[CLIENT_ADDRESS_HEADER] = client;
}

function listen(server: http.Server, host: string, port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      // A machine without IPv6 has no ::1: serving on 127.0.0.1 alone is fine.
      if (host === "::1" && (error.code === "EADDRNOTAVAIL" || error.code === "EAFNOSUPPORT")) resolve(false);
      else reject(error);
    };
    server.once("error", onError);
    server.listen(port, host, () => {
      server.off("error", onError);
      resolve(true);
    });
  });
}

/**
 * In demo mode, only requests addressed to this machine by name are answered: a web page whose
 * domain re-resolves to 127.0.0.1 (DNS rebinding) would otherwise read the mailbox as its own.
 */
function demoHostCheck(): (host: string | undefined) => boolean {
  if (!isDemoMode()) return () => true;
  const allowed = new Set(["localhost", "127.0.0.1", "[::1]", new URL(appBaseUrl()).hostname]);
  return (host) => {
    if (!host) return false;
    const name = host.toLowerCase().replace(/:\d+$/, "");
    return allowed.has(name) || isLoopbackHost(name);
  };
}

/** The interfaces to listen on (lib/config.ts `listenHosts`), or the process ends saying what to set. */
export function listenHostsOrExit(): string[] {
  try {
    return listenHosts();
  } catch (error) {
    log.fatal((error as Error).message);
    process.exit(1);
  }
}

/** Starts the server; resolves once it listens. */
export async function serve(): Promise<void> {
  const hosts = listenHostsOrExit();
  const port = Number(process.env.PORT || 3000);
  const trusted = trustedProxies();
  const app = next({ dev: false, dir: ROOT, hostname: "localhost", port });
  await app.prepare();
  const handle = app.getRequestHandler();

  const isHostAllowed = demoHostCheck();
  const refuse = (res: http.ServerResponse, status: number, message: string) => {
    res.writeHead(status, { "content-type": "text/plain; charset=utf-8", connection: "close" });
    res.end(`${message}\n`);
  };
  // A body refused unread is first let in and dropped (up to DRAIN_LIMIT_BYTES, for at most
  // DRAIN_TIMEOUT_MS): answered and closed at once, a client still sending it meets a broken pipe
  // instead of the 413 that says why.
  const refuseAfterBody = (
    req: http.IncomingMessage,
    res: http.ServerResponse,
    status: number,
    message: string,
  ) => {
    const length = Number(req.headers["content-length"]);
    if (!Number.isFinite(length) || length > DRAIN_LIMIT_BYTES) return refuse(res, status, message);
    const timer = setTimeout(() => req.destroy(), DRAIN_TIMEOUT_MS);
    timer.unref();
    req.on("end", () => {
      clearTimeout(timer);
      refuse(res, status, message);
    });
    req.on("error", () => clearTimeout(timer));
    req.resume();
  };
  const onRequest: http.RequestListener = (req, res) => {
    sanitize(req, trusted);
    if (!isHostAllowed(req.headers.host))
      return refuse(res, 421, "This server answers only to its own name.");
    // The provider's bulk import streams a file of any size, chunked or not; its handler reads it
    // line by line, and only once the token is checked. Every other request keeps the limit.
    const isImport = isStreamedImport({
      method: req.method,
      url: req.url,
      authorization: req.headers.authorization,
    });
    const length = Number(req.headers["content-length"]);
    if (!isImport && Number.isFinite(length) && length > MAX_BODY_BYTES)
      return refuseAfterBody(req, res, 413, "Request body too large.");
    // Pages get their body checked by proxy.ts; the API routes read theirs whole, so the length
    // must be known before they start.
    if (!isImport && req.headers["transfer-encoding"] && req.url?.startsWith("/api/"))
      return refuse(res, 411, "Length required.");
    inFlight++;
    const handled = handle(req, res).catch((error: unknown) => {
      // The path only: a query may hold a code.
      log.error({ err: error, path: req.url?.split("?")[0] }, "request failed");
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain; charset=utf-8" });
      res.end("Internal error.\n");
    });
    // Counted until the handler is done, not until the client has gone: a client may hang up
    // while its request still uses the database.
    void handled.finally(() => {
      inFlight--;
      if (inFlight === 0) for (const resolve of drained.splice(0)) resolve();
    });
  };
  let inFlight = 0;
  const drained: (() => void)[] = [];
  const allHandled = () =>
    inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => drained.push(resolve));

  const servers: http.Server[] = [];
  const bound: string[] = [];
  for (const host of hosts) {
    const server = http.createServer(onRequest);
    if (await listen(server, host, port)) {
      servers.push(server);
      bound.push(host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`);
    }
  }
  log.info(
    {
      mode: isDemoMode() ? "demo" : "provider",
      listen: bound,
      baseUrl: appBaseUrl(),
      database: describeLocation(databaseUrl() ?? path.resolve(databasePath())),
      emailProvider: isDemoMode() ? "development mailbox" : "resend",
      trustedProxies: [...trusted],
    },
    isDemoMode()
      ? `demo mode: serving ${appBaseUrl()} on the loopback interface only; e-mails go to /dev/mailbox`
      : `serving ${appBaseUrl()}`,
  );

  let isStopping = false;
  const stop = async (signal: string) => {
    if (isStopping) return;
    isStopping = true;
    log.info({ signal }, "stopping: no new connections, finishing requests and sends in flight");
    const closed = Promise.all(
      servers.map(
        (server) =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeIdleConnections();
          }),
      ),
    );
    await Promise.race([
      closed.then(allHandled),
      new Promise<void>((resolve) => setTimeout(resolve, REQUEST_DRAIN_MS).unref()),
    ]);
    for (const server of servers) server.closeAllConnections();
    // Then the e-mails in flight, with a deadline of their own (lib/background-work.ts).
    const { stopBackgroundWork } = await import("@/lib/background-work");
    await stopBackgroundWork();
    const db = (globalThis as { serviceContactsDb?: Db }).serviceContactsDb;
    await db?.close();
    log.info("stopped");
    process.exit(0);
  };
  process.once("SIGTERM", () => void stop("SIGTERM"));
  process.once("SIGINT", () => void stop("SIGINT"));
}
