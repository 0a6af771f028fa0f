import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { generate } from "selfsigned";

/** A local HTTPS front before the app, as a provider's load balancer would be (STACK.md). */
export type TlsFront = { port: number; certificate: string; close: () => Promise<void> };

/**
 * Starts an HTTPS server with a fresh self-signed certificate for `localhost` that forwards
 * every request, unchanged (method, path, headers, body), to the app at `target`. OVHcloud's
 * client speaks only HTTPS and signs `https://{host}{path}`, so this is how it reaches the app.
 */
export async function startTlsFront(target: string): Promise<TlsFront> {
  const pems = await generate([{ name: "commonName", value: "localhost" }], {
    keySize: 2048,
    extensions: [{ name: "subjectAltName", altNames: [{ type: 2, value: "localhost" }] }],
  });
  const upstream = new URL(target);
  const server = https.createServer({ key: pems.private, cert: pems.cert }, (request, response) => {
    const forward = http.request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: request.method,
        path: request.url,
        headers: request.headers,
      },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    forward.on("error", () => {
      response.writeHead(502);
      response.end();
    });
    request.pipe(forward);
  });
  // Every interface: the client resolves `localhost` to ::1 or 127.0.0.1.
  await new Promise<void>((resolve) => server.listen(0, resolve));
  return {
    port: (server.address() as AddressInfo).port,
    certificate: pems.cert,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
