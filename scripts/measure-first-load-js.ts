// `npx tsx scripts/measure-first-load-js.ts [base URL] [page]`: the first-load JavaScript of a
// signed-in page, as a current browser downloads it on a cold cache: every script chunk the
// page's HTML references (its <script src> elements, and the chunks its inline React payload
// names for hydration, which is how webpack builds load page chunks), each gzipped at level 9
// (zlib, within 0.1% of `gzip -9 -c | wc -c`), summed. <script nomodule> polyfills are listed
// but not counted: browsers with ES modules, every browser the app supports, never fetch them.
// Inline scripts are part of the HTML and not counted. 1 KB = 1000 bytes.
//
// Signs in through Auth.js's credentials flow as MEASURE_ACCOUNT (default aa100001-ovh, the demo
// administrator) with MEASURE_PASSWORD (default the demo password), or sends MEASURE_COOKIE (a
// Cookie header) when given. Defaults: http://localhost:3000 and /contacts. With
// MEASURE_BUDGET_KB it exits 1 when the total is over that many KB.
import { gzipSync } from "node:zlib";

const SESSION_COOKIE = /^(__Secure-)?authjs\.session-token(\.\d+)?$/;
// A chunk's path as the HTML or the React payload writes it.
const CHUNK_PATH = /(?:\/_next\/)?static\/chunks\/[\w\-.()[\]%@~/]+?\.js\b/g;

const baseUrl = (process.argv[2] ?? "http://localhost:3000").replace(/\/+$/, "");
const page = process.argv[3] ?? "/contacts";
const account = process.env.MEASURE_ACCOUNT ?? "aa100001-ovh";
const password = process.env.MEASURE_PASSWORD ?? "demo-password";
const budgetKb = process.env.MEASURE_BUDGET_KB ? Number(process.env.MEASURE_BUDGET_KB) : null;

type Chunk = { src: string; isNoModule: boolean; rawBytes: number; gzipBytes: number };

function cookiesOf(response: Response): string[] {
  return response.headers.getSetCookie().map((header) => header.split(";")[0] ?? "");
}

/** The real credentials flow of Auth.js: CSRF token, then the callback; returns the Cookie header. */
async function signIn(): Promise<string> {
  const csrf = await fetch(`${baseUrl}/api/auth/csrf`);
  if (!csrf.ok) throw new Error(`GET /api/auth/csrf answered ${csrf.status}`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const callback = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookiesOf(csrf).join("; ") },
    body: new URLSearchParams({ csrfToken, identifier: account, password, callbackUrl: `${baseUrl}${page}` }),
  });
  const session = cookiesOf(callback).filter((pair) => SESSION_COOKIE.test(pair.split("=")[0] ?? ""));
  if (session.length === 0) {
    throw new Error(`signing in as ${account} set no session cookie (status ${callback.status})`);
  }
  return session.join("; ");
}

/** Every script chunk the HTML references, in order and once, and whether it is nomodule. */
function scriptChunks(html: string): { src: string; isNoModule: boolean }[] {
  const chunks = new Map<string, boolean>();
  for (const [tag] of html.matchAll(/<script\b[^>]*>/gi)) {
    const src = /\ssrc="([^"]+)"/i.exec(tag)?.[1];
    if (src) chunks.set(src.replaceAll("&amp;", "&"), /\snomodule\b/i.test(tag));
  }
  // The React payload (the inline self.__next_f scripts) names the chunks hydration loads.
  for (const [path] of html.replaceAll("\\/", "/").matchAll(CHUNK_PATH)) {
    const src = path.startsWith("/_next/") ? path : `/_next/${path}`;
    if (!chunks.has(src)) chunks.set(src, false);
  }
  return [...chunks].map(([src, isNoModule]) => ({ src, isNoModule }));
}

async function measure(src: string, isNoModule: boolean): Promise<Chunk> {
  const response = await fetch(new URL(src, `${baseUrl}/`));
  if (!response.ok) throw new Error(`GET ${src} answered ${response.status}`);
  const body = Buffer.from(await response.arrayBuffer());
  return { src, isNoModule, rawBytes: body.length, gzipBytes: gzipSync(body, { level: 9 }).length };
}

const kb = (bytes: number) => (bytes / 1000).toFixed(1);

function printTable(chunks: Chunk[], total: number): void {
  const rows = [
    ["chunk", "raw KB", "gzip B", "gzip KB"],
    ...chunks.map((chunk) => [
      chunk.isNoModule ? `${chunk.src} (nomodule, not counted)` : chunk.src,
      kb(chunk.rawBytes),
      String(chunk.gzipBytes),
      kb(chunk.gzipBytes),
    ]),
    [`first-load JS of ${page}`, "", String(total), kb(total)],
  ];
  const width = Math.max(...rows.map((row) => row[0]?.length ?? 0));
  for (const [name = "", ...numbers] of rows) {
    console.log([name.padEnd(width), ...numbers.map((n) => n.padStart(8))].join("  "));
  }
}

async function main(): Promise<void> {
  const cookie = process.env.MEASURE_COOKIE ?? (await signIn());
  const response = await fetch(`${baseUrl}${page}`, { headers: { cookie }, redirect: "manual" });
  if (response.status !== 200) {
    const where = response.headers.get("location");
    throw new Error(`GET ${page} answered ${response.status}${where ? ` (to ${where}: signed out?)` : ""}`);
  }
  const html = await response.text();
  const chunks = await Promise.all(scriptChunks(html).map(({ src, isNoModule }) => measure(src, isNoModule)));
  const total = chunks.filter((chunk) => !chunk.isNoModule).reduce((sum, chunk) => sum + chunk.gzipBytes, 0);
  printTable(chunks, total);
  if (budgetKb !== null && total > budgetKb * 1000) {
    console.error(`over budget: ${kb(total)} KB > ${budgetKb} KB`);
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
