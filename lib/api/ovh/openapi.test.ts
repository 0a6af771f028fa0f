import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { accounts } from "@/db/schema";
import { openTestDb } from "@/db/testing";
import { API_ROUTES } from "./api-routes";
import { handleApiCall } from "./handle-api-call";
import { AUTH_OPERATIONS, openApiDocument } from "./openapi";

type Operation = {
  operationId: string;
  parameters?: { name: string; in: string; required: boolean }[];
  requestBody?: unknown;
  responses: Record<string, { headers?: Record<string, unknown> }>;
  security?: unknown[];
};
type Document = {
  openapi: string;
  servers: { url: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, { name: string }> };
};

const doc = openApiDocument() as Document;

/**
 * Every `[path, method]` the document describes for the automation API (the provisioning API's
 * paths carry their own server: lib/provider/api/provider-openapi.test.ts checks them).
 */
const documented = Object.entries(doc.paths)
  .filter(([, item]) => !("servers" in item))
  .flatMap(([path, item]) => Object.keys(item).map((method) => [path, method.toUpperCase()] as const));

const AUTH_PATHS = AUTH_OPERATIONS.map(({ method, path }) => `${method} ${path}`);

describe("the OpenAPI document", () => {
  it("is OpenAPI 3.1 under /api/1.0, and survives JSON", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.servers).toEqual([{ url: "/api/1.0" }]);
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
  });

  it("documents every route of the table", () => {
    expect(API_ROUTES.length).toBeGreaterThan(10);
    for (const route of API_ROUTES) {
      expect(
        doc.paths[route.path]?.[route.method.toLowerCase()],
        `${route.method} ${route.path}`,
      ).toBeDefined();
    }
  });

  it("documents nothing but the table's routes and the two /auth calls", () => {
    const routes = new Set(API_ROUTES.map((route) => `${route.method} ${route.path}`));
    const extra = documented.map(([path, method]) => `${method} ${path}`).filter((key) => !routes.has(key));
    expect(extra.sort()).toEqual(["GET /auth/time", "POST /auth/credential"]);
    expect(AUTH_PATHS.sort()).toEqual(extra.sort());
    expect(new Set(documented.map(([path, method]) => `${method} ${path}`)).size).toBe(documented.length);
  });

  it("gives each operation a unique id, its path parameters, and a body where the call takes one", () => {
    const ids = documented.map(([path, method]) => doc.paths[path]?.[method.toLowerCase()]?.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const route of API_ROUTES) {
      const operation = doc.paths[route.path]?.[route.method.toLowerCase()] as Operation;
      const inPath = (operation.parameters ?? []).filter((parameter) => parameter.in === "path");
      expect(inPath.map((parameter) => parameter.name)).toEqual(
        [...route.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]),
      );
      expect(inPath.every((parameter) => parameter.required)).toBe(true);
      expect(Boolean(operation.requestBody), route.path).toBe(Boolean(route.body));
      expect(Object.keys(operation.responses)).toEqual(["200", ...route.errors.map(String)]);
      if (route.errors.includes(429))
        expect(operation.responses["429"]?.headers).toHaveProperty("Retry-After");
    }
    const list = doc.paths["/me/task/contactChange"]?.get as Operation;
    expect(list.parameters?.map((parameter) => [parameter.name, parameter.in, parameter.required])).toEqual([
      ["state", "query", false],
      ["askingAccount", "query", false],
      ["toAccount", "query", false],
    ]);
  });

  it("signs every call with the X-Ovh-* headers but the two /auth calls", () => {
    expect(
      Object.values(doc.components.securitySchemes)
        .map((scheme) => scheme.name)
        .filter(Boolean),
    ).toEqual(["X-Ovh-Application", "X-Ovh-Consumer", "X-Ovh-Timestamp", "X-Ovh-Signature"]);
    expect(doc.paths["/auth/time"]?.get?.security).toEqual([]);
    expect(doc.paths["/auth/credential"]?.post?.security).toEqual([{ ovhApplication: [] }]);
  });

  it("names OVH's models, and every reference leads to one", () => {
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining([
        "nichandle.contactChange.Task",
        "services.Service",
        "Error",
        "auth.Credential",
      ]),
    );
    const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
    expect(refs.length).toBeGreaterThan(20);
    for (const ref of new Set(refs)) {
      const name = ref.replace(/^"\$ref":"#\/components\/schemas\//, "").replace(/"$/, "");
      expect(doc.components.schemas, ref).toHaveProperty([name]);
    }
  });
});

describe("the document and the dispatcher agree", () => {
  let db: Db;
  let accountId: number;

  beforeAll(async () => {
    db = await openTestDb();
    const [row] = await db.transaction((tx) =>
      tx
        .insert(accounts)
        .values({ customerId: "aa100001-ovh", name: "A", email: "a@example.test", passwordHash: "x" })
        .returning({ id: accounts.id }),
    );
    accountId = (row as { id: number }).id;
  });

  afterAll(async () => {
    await db?.close();
  });

  it.each(documented.filter(([path, method]) => !AUTH_PATHS.includes(`${method} ${path}`)))(
    "%s %s is a route handleApiCall answers",
    async (path, method) => {
      const concrete = path.replace("{id}", "1").replace("{serviceName}", "example.pl");
      const answer = await handleApiCall(db, {
        accountId,
        method,
        path: concrete,
        query: new URLSearchParams(),
        body: concrete.endsWith("/accept") || concrete.endsWith("/refuse") ? { token: "x" } : undefined,
        clientAddress: "203.0.113.7",
      });
      // Whatever the call makes of an empty world, it is no "no such call" and no wrong method.
      expect(answer.body).not.toMatchObject({ message: "No such call in this API." });
      expect(answer.status).not.toBe(405);
      expect(answer.status).toBeLessThan(500);
    },
  );
});
