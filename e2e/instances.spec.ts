import net from "node:net";
import os from "node:os";
import Database from "better-sqlite3";
import { startFakeResend } from "../lib/email/testing/fake-resend-server";
import { type AppServer, startAppServer } from "./app-server";
import { E2E_BASE_URL, E2E_PORT } from "./env";
import { ANNA, BARTOSZ, CELINA, DAWID, DEMO_PASSWORD, expect, test } from "./fixtures";
import { actionIdsOf, formCall } from "./server-actions";

// Other instances of the app, each with its own settings and database, on ports after the main one.
const port = (offset: number) => E2E_PORT + 50 + offset;

function canConnect(host: string, to: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port: to, timeout: 2000 });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
    socket.once("timeout", () => {
      socket.destroy();
      resolve(false);
    });
  });
}

function throttleKeys(databasePath: string): string[] {
  const db = new Database(databasePath, { readonly: true });
  try {
    return db.prepare("SELECT key FROM throttle_attempts").pluck().all() as string[];
  } finally {
    db.close();
  }
}

test.describe("demo mode", () => {
  test("serves the loopback interface only, answers its health check, and stops gracefully on SIGTERM", async () => {
    const server = await startAppServer({ port: port(1) });
    try {
      expect(await canConnect("127.0.0.1", port(1))).toBe(true);
      const outward = Object.values(os.networkInterfaces())
        .flat()
        .find((address) => address && !address.internal && address.family === "IPv4");
      if (outward) expect(await canConnect(outward.address, port(1))).toBe(false);

      const health = await fetch(`${server.baseURL}/api/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({
        status: "ok",
        database: "ok",
        migrations: "current",
        mode: "demo",
      });
      expect(server.output()).toMatch(/"mode":"demo"/);
    } finally {
      expect(await server.stop("SIGTERM")).toBe(0);
    }
    expect(server.output()).toMatch(/"msg":"stopped"/);
  });

  test("refuses to listen beyond this machine without an e-mail provider, saying what to set", async () => {
    const server = await startAppServer({ port: port(2), env: { HOST: "0.0.0.0" }, waitFor: null });
    const code = await new Promise<number | null>((resolve) => server.process.once("exit", resolve));
    expect(code).toBe(1);
    expect(server.output()).toContain("RESEND_API_KEY");
    expect(await canConnect("127.0.0.1", port(2))).toBe(false);
  });
});

test.describe("with an e-mail provider", () => {
  test("the mailbox does not exist at all, no page says demo mode, and a sent e-mail keeps no code", async ({
    browser,
  }) => {
    test.setTimeout(120_000);
    const provider = await startFakeResend();
    let server: AppServer | null = null;
    try {
      server = await startAppServer({
        port: port(3),
        env: {
          RESEND_API_KEY: "re_test_key",
          RESEND_BASE_URL: provider.baseUrl,
          EMAIL_FROM: "Contacts <c@example.test>",
        },
      });
      const context = await browser.newContext({ baseURL: server.baseURL });
      const page = await context.newPage();
      await page.goto("/login");
      await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
      await expect(page.getByText("Demo mode")).toHaveCount(0);
      await page.getByLabel("Customer ID or e-mail").fill(ANNA);
      await page.getByLabel("Password").fill(DEMO_PASSWORD);
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect(page.getByRole("heading", { name: "My contacts" })).toBeVisible();
      await page.goto("/contacts/1");
      await page.getByRole("textbox", { name: "Technical contact" }).fill(DAWID);
      await page.getByRole("button", { name: "Confirm" }).click();
      await expect(page.getByRole("status")).toContainText("request has been registered");
      await expect.poll(() => provider.received.length, { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
      const sent = provider.received.map((email) => email.body.text ?? "").join("\n");
      const code = /token=([A-Za-z0-9_-]{43})/.exec(sent)?.[1] as string;
      expect(code).toBeTruthy();

      for (const path of [
        "/dev/mailbox",
        "/dev/mailbox/1",
        "/dev/mailbox/2",
        "/dev/mailbox/x",
        "/dev/mailbox/1/y",
      ]) {
        const variants: Record<string, string>[] = [
          {},
          { RSC: "1" },
          { RSC: "1", "Next-Router-Prefetch": "1" },
        ];
        for (const headers of variants) {
          const response = await page.request.get(path, { headers, maxRedirects: 0 });
          const body = await response.text();
          expect(response.status(), `${path} ${JSON.stringify(headers)}`).toBe(404);
          expect(body).not.toContain(code);
          expect(body).not.toContain("Confirm or refuse");
          expect(body).not.toContain("dawid@example.test");
        }
      }
      // Once handed to the provider, the e-mails' codes are erased from the outbox.
      await expect
        .poll(() => {
          const db = new Database((server as AppServer).databasePath, { readonly: true });
          try {
            return db.prepare("SELECT count(*) FROM outbox WHERE props LIKE ?").pluck().get(`%${code}%`);
          } finally {
            db.close();
          }
        })
        .toBe(0);
      await context.close();
    } finally {
      await server?.stop();
      await provider.close();
    }
  });
});

test.describe("sign-in throttling over HTTP", () => {
  test("parallel guesses are checked only up to the allowance, the owner elsewhere is not kept out, spread guessing is slowed", async () => {
    test.setTimeout(120_000);
    // Behind a trusted proxy (here: the test itself), each request may claim its own address.
    const server = await startAppServer({ port: port(4), env: { TRUSTED_PROXIES: "127.0.0.1,::1" } });
    try {
      const { request } = await import("@playwright/test");
      const client = await request.newContext({ baseURL: server.baseURL });
      const [signInAction] = await actionIdsOf(client, "/login");
      const attempt = (password: string, address: string, identifier = BARTOSZ) =>
        attemptVia(client, server, signInAction as string, password, address, identifier);
      const isChecked = (result: { body: string }) => result.body.includes('"reason":"invalid"');
      const isThrottled = (result: { body: string }) => result.body.includes('"reason":"throttled"');

      // 30 parallel guesses from one address: only the allowance is checked, and then even the
      // right password waits there…
      const guesses = await Promise.all(
        Array.from({ length: 30 }, (_, i) => attempt(`wrong-${i}`, "203.0.113.9")),
      );
      expect(guesses.filter(isChecked).length).toBeLessThanOrEqual(5);
      expect(guesses.filter(isThrottled).length).toBeGreaterThanOrEqual(25);
      expect(isThrottled(await attempt(DEMO_PASSWORD, "203.0.113.9"))).toBe(true);
      const keys = throttleKeys(server.databasePath);
      expect(
        keys.filter((key) => key === `account:${BARTOSZ}|client:203.0.113.9`).length,
      ).toBeLessThanOrEqual(5);
      // …while the owner, signing in from elsewhere, is not kept out.
      expect((await attempt(DEMO_PASSWORD, "198.51.100.200")).redirect).toMatch(/^\/contacts/);

      // Guesses from many addresses at one account meet the account's own, looser limit.
      const botnet = await Promise.all(
        Array.from({ length: 30 }, (_, i) => attempt(`wrong-${i}`, `192.0.2.${i + 1}`, CELINA)),
      );
      expect(botnet.filter(isChecked).length).toBeLessThanOrEqual(20);
      expect(botnet.filter(isThrottled).length).toBeGreaterThanOrEqual(10);

      // Guessing spread over many accounts from one address is slowed there, and only there.
      const spread: string[] = [];
      for (let i = 0; i < 32; i++) {
        const result = await attemptVia(
          client,
          server,
          signInAction as string,
          "guess",
          "198.51.100.7",
          `zz${100000 + i}-ovh`,
        );
        spread.push(result.body.includes('"reason":"throttled"') ? "throttled" : "checked");
      }
      expect(spread.slice(0, 30)).toEqual(Array(30).fill("checked"));
      expect(spread.slice(30)).toEqual(["throttled", "throttled"]);
      const fromThere = await attemptVia(
        client,
        server,
        signInAction as string,
        DEMO_PASSWORD,
        "198.51.100.7",
        ANNA,
      );
      expect(fromThere.body).toContain('"reason":"throttled"');
      const fromElsewhere = await attemptVia(
        client,
        server,
        signInAction as string,
        DEMO_PASSWORD,
        "198.51.100.8",
        ANNA,
      );
      expect(fromElsewhere.redirect).toMatch(/^\/contacts/);
      await client.dispose();
    } finally {
      await server.stop();
    }
  });

  test("without a trusted proxy, X-Forwarded-For names no client", async ({ request, db }) => {
    const [signInAction] = await actionIdsOf(request, "/login");
    const response = await request.post("/login", {
      headers: {
        "Next-Action": signInAction as string,
        Origin: E2E_BASE_URL,
        "X-Forwarded-For": "192.0.2.99",
      },
      multipart: formCall({ identifier: "zz424242-ovh", password: "guess", callbackUrl: "/contacts" }),
      maxRedirects: 0,
    });
    expect(await response.text()).toContain('"reason":"invalid"');
    const keys = db
      .prepare("SELECT key FROM throttle_attempts WHERE key LIKE 'client:%'")
      .pluck()
      .all() as string[];
    expect(keys).not.toContain("client:192.0.2.99");
    expect(keys.some((key) => key === "client:127.0.0.1" || key === "client:0:0:0:0::/64")).toBe(true);
  });
});

/** One sign-in through the login form's action, claiming to come from `address` (via a trusted proxy). */
async function attemptVia(
  client: import("@playwright/test").APIRequestContext,
  server: AppServer,
  actionId: string,
  password: string,
  address: string,
  identifier = BARTOSZ,
) {
  const response = await client.post("/login", {
    headers: { "Next-Action": actionId, Origin: server.baseURL, "X-Forwarded-For": address },
    multipart: formCall({ identifier, password, callbackUrl: "/contacts" }),
    maxRedirects: 0,
  });
  return { redirect: response.headers()["x-action-redirect"] ?? null, body: await response.text() };
}
