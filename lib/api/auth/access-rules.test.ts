import { describe, expect, it } from "vitest";
import { apiAccessRulesSchema, isCallGranted, matchesRulePath } from "./access-rules";

describe("an access rule's path", () => {
  it("matches only the same path when it has no *", () => {
    expect(matchesRulePath("/me", "/me")).toBe(true);
    expect(matchesRulePath("/me", "/me/")).toBe(false);
    expect(matchesRulePath("/me", "/me/task/contactChange")).toBe(false);
    expect(matchesRulePath("/me/task", "/me")).toBe(false);
  });

  it("lets * match any characters, / included, and nothing at all", () => {
    expect(matchesRulePath("/*", "/me/task/contactChange/12/accept")).toBe(true);
    expect(matchesRulePath("/domain/*", "/domain/example.pl/serviceInfos")).toBe(true);
    expect(matchesRulePath("/domain/*", "/domain/")).toBe(true);
    expect(matchesRulePath("/me/task/contactChange/*/accept", "/me/task/contactChange/12/accept")).toBe(true);
    expect(matchesRulePath("/me/task/contactChange/*/accept", "/me/task/contactChange/12/refuse")).toBe(
      false,
    );
    expect(matchesRulePath("/*/changeContact", "/hosting/web/site.example/changeContact")).toBe(true);
  });

  it("is anchored at both ends", () => {
    expect(matchesRulePath("/domain/*", "/me/domain/x")).toBe(false);
    expect(matchesRulePath("/*/serviceInfos", "/domain/x/serviceInfos/more")).toBe(false);
    expect(matchesRulePath("*/me", "/api/me")).toBe(true);
  });

  it("takes the other characters literally, regular expression ones included", () => {
    expect(matchesRulePath("/domain/a.b", "/domain/axb")).toBe(false);
    expect(matchesRulePath("/domain/(x)+", "/domain/(x)+")).toBe(true);
  });

  it("answers at once for a rule full of * against a long path that does not match", () => {
    const started = performance.now();
    expect(matchesRulePath(`/${"*a".repeat(99)}`, `/${"a".repeat(5000)}b`)).toBe(false);
    // A key's 100 rules of one star and a long piece that almost matches, against a 15 KB path:
    // character-by-character matching with backtracking took seconds here.
    const rules = Array.from({ length: 100 }, () => ({
      method: "GET" as const,
      path: `/*${"a".repeat(197)}b`,
    }));
    expect(isCallGranted(rules, "GET", `/${"a".repeat(15_000)}`)).toBe(false);
    expect(performance.now() - started).toBeLessThan(500);
  });
});

describe("isCallGranted", () => {
  const rules = [
    { method: "GET", path: "/me/task/contactChange*" },
    { method: "POST", path: "/domain/*/changeContact" },
  ] as const;

  it("grants a call some rule covers with the same method", () => {
    expect(isCallGranted(rules, "GET", "/me/task/contactChange")).toBe(true);
    expect(isCallGranted(rules, "GET", "/me/task/contactChange/3")).toBe(true);
    expect(isCallGranted(rules, "POST", "/domain/example.pl/changeContact")).toBe(true);
  });

  it("refuses the right path with another method, and another path", () => {
    expect(isCallGranted(rules, "POST", "/me/task/contactChange/3/accept")).toBe(false);
    expect(isCallGranted(rules, "GET", "/domain/example.pl/changeContact")).toBe(false);
    expect(isCallGranted(rules, "get", "/me/task/contactChange")).toBe(false);
    expect(isCallGranted(rules, "GET", "/me")).toBe(false);
    expect(isCallGranted([], "GET", "/me")).toBe(false);
  });
});

describe("the access rules a consumer key is requested with", () => {
  const valid = (rules: unknown) => apiAccessRulesSchema.safeParse(rules).success;

  it("are 1 to 100 rules of GET, POST, PUT or DELETE and a path", () => {
    expect(valid([{ method: "DELETE", path: "/*" }])).toBe(true);
    expect(valid(Array.from({ length: 100 }, () => ({ method: "PUT", path: "/me" })))).toBe(true);
    expect(valid([])).toBe(false);
    expect(valid(Array.from({ length: 101 }, () => ({ method: "PUT", path: "/me" })))).toBe(false);
    expect(valid(undefined)).toBe(false);
    expect(valid({ method: "GET", path: "/*" })).toBe(false);
  });

  it("refuse another method, or one not in capitals", () => {
    expect(valid([{ method: "PATCH", path: "/*" }])).toBe(false);
    expect(valid([{ method: "get", path: "/*" }])).toBe(false);
    expect(valid([{ path: "/*" }])).toBe(false);
  });

  it("refuse a path that does not start with /, is over 200 characters, or holds a space, ? or #", () => {
    expect(valid([{ method: "GET", path: `/${"a".repeat(199)}` }])).toBe(true);
    expect(valid([{ method: "GET", path: `/${"a".repeat(200)}` }])).toBe(false);
    expect(valid([{ method: "GET", path: "me" }])).toBe(false);
    expect(valid([{ method: "GET", path: "" }])).toBe(false);
    expect(valid([{ method: "GET", path: "/me task" }])).toBe(false);
    expect(valid([{ method: "GET", path: "/me?x=1" }])).toBe(false);
    expect(valid([{ method: "GET", path: "/me#x" }])).toBe(false);
    expect(valid([{ method: "GET", path: "/zażółć" }])).toBe(false);
    expect(valid([{ method: "GET", path: 12 }])).toBe(false);
  });
});
