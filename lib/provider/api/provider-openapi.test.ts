import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { openTestDb } from "@/db/testing";
import { openApiDocument } from "@/lib/api/ovh/openapi";
import { createProviderToken } from "@/lib/provider/auth";
import { PROVIDER_SCOPES } from "@/lib/provider/vocabulary";
import { handleProviderRequest } from "./handle-provider-request";
import { PROVIDER_ROUTES } from "./provider-routes";

type Operation = {
  operationId: string;
  tags: string[];
  security: Record<string, string[]>[];
  parameters?: { name: string; in: string; required: boolean }[];
  requestBody?: { content: Record<string, unknown> };
  responses: Record<string, { content?: unknown }>;
};
type PathItem = { servers?: { url: string }[] } & Record<string, unknown>;
type Document = {
  tags: { name: string; description: string }[];
  paths: Record<string, PathItem>;
  components: { securitySchemes: Record<string, { type: string; scheme?: string }> };
};

const doc = openApiDocument() as Document;
const METHODS = ["get", "put", "post", "delete"];

/** Every `[path, METHOD, operation]` of the provisioning section: the paths with their own server. */
const documented = Object.entries(doc.paths)
  .filter(([, item]) => item.servers?.some((server) => server.url === "/api/provider/v1"))
  .flatMap(([path, item]) =>
    Object.keys(item)
      .filter((key) => METHODS.includes(key))
      .map((method) => [path, method.toUpperCase(), item[method] as Operation] as const),
  );

describe("the provisioning API's section of the OpenAPI document", () => {
  it("is its own tag, with a bearer scheme, and its paths under /api/provider/v1", () => {
    expect(doc.tags.map((tag) => tag.name)).toContain("provider");
    expect(doc.components.securitySchemes.providerToken).toMatchObject({ type: "http", scheme: "bearer" });
    expect(documented.length).toBe(PROVIDER_ROUTES.length);
    for (const [, , operation] of documented) expect(operation.tags).toEqual(["provider"]);
  });

  it("documents every route of the table, and nothing else, with the scope its token needs", () => {
    const routes = PROVIDER_ROUTES.map((route) => `${route.method} ${route.path} ${route.scope}`).sort();
    const described = documented
      .map(([path, method, operation]) => `${method} ${path} ${operation.security[0]?.providerToken?.[0]}`)
      .sort();
    expect(described).toEqual(routes);
  });

  it("gives each operation a unique id, its path parameters, its body's media type and its answers", () => {
    const ids = [...documented.map(([, , operation]) => operation.operationId)];
    expect(new Set(ids).size).toBe(ids.length);
    for (const route of PROVIDER_ROUTES) {
      const operation = doc.paths[route.path]?.[route.method.toLowerCase()] as Operation;
      const inPath = (operation.parameters ?? []).filter((parameter) => parameter.in === "path");
      expect(inPath.map((parameter) => parameter.name)).toEqual(
        [...route.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]),
      );
      const mediaTypes = Object.keys(operation.requestBody?.content ?? {});
      expect(mediaTypes, route.path).toEqual(
        route.body === "ndjson" ? ["application/x-ndjson"] : route.body ? ["application/json"] : [],
      );
      expect(Object.keys(operation.responses)).toEqual(
        expect.arrayContaining([...route.statuses, 401, 403, 429, ...route.errors].map(String)),
      );
    }
    const put = doc.paths["/accounts/{customerId}"]?.put as Operation;
    expect(Object.keys(put.responses)).toEqual(expect.arrayContaining(["200", "201", "409"]));
    const importOperation = doc.paths["/import"]?.post as Operation;
    expect(importOperation.parameters?.map((parameter) => [parameter.name, parameter.required])).toEqual([
      ["source", true],
      ["resume", false],
    ]);
  });
});

describe("the document and the dispatcher agree", () => {
  let db: Db;

  beforeAll(async () => {
    db = await openTestDb();
  });

  afterAll(async () => {
    await db?.close();
  });

  // A token with every scope but the one documented: the call is routed and refused for that
  // scope alone, which proves the path, the method and the scope without needing any data.
  it.each(documented.map(([path, method, operation]) => [method, path, operation] as const))(
    "%s %s is routed, and needs the documented scope",
    async (method, path, operation) => {
      const scope = operation.security[0]?.providerToken?.[0];
      const created = await createProviderToken(db, {
        name: "all but one",
        scopes: PROVIDER_SCOPES.filter((granted) => granted !== scope),
      });
      if (!created.ok) throw new Error(created.message);
      const concrete = path
        .replace("{customerId}", "aa100001-ovh")
        .replace("{type}", "domain")
        .replace("{name}", "example.pl")
        .replace("{id}", "1");
      const response = await handleProviderRequest(
        db,
        new Request(`http://localhost/api/provider/v1${concrete}`, {
          method,
          headers: { authorization: `Bearer ${created.token}` },
        }),
      );
      expect(response.status).toBe(403);
      expect(await response.json()).toMatchObject({
        message: `This token lacks the scope "${scope}" this call needs.`,
      });
    },
  );
});
