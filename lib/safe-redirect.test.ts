import { describe, expect, it } from "vitest";
import { safeCallbackPath } from "./safe-redirect";

describe("safeCallbackPath", () => {
  it.each([
    "/contacts",
    "/requests/42",
    "/contacts?q=example.pl&page=2",
    "/requests/7?token=abc123#history",
    "/profile",
    "/",
  ])("keeps the same-site path %s with its query", (path) => {
    expect(safeCallbackPath(path)).toBe(path);
  });

  it.each([
    ["a protocol-relative URL", "//evil.example"],
    ["a protocol-relative URL with a path", "//evil.example/contacts"],
    ["a backslash after the slash", "/\\evil.example"],
    ["three slashes", "///evil.example"],
    ["an absolute https URL", "https://evil.example/contacts"],
    ["an absolute http URL", "http://evil.example"],
    ["a scheme-relative backslash pair", "\\\\evil.example"],
    ["a javascript: URL", "javascript:alert(1)"],
    ["a data: URL", "data:text/html,<script>alert(1)</script>"],
    ["a relative path", "contacts"],
    ["a leading space", " //evil.example"],
    ["a tab that browsers drop", "/\t/evil.example"],
    ["a line break that browsers drop", "/\n/evil.example"],
    ["a carriage return before a backslash", "/\r\\evil.example"],
    ["an empty string", ""],
  ])("falls back for %s", (_, value) => {
    expect(safeCallbackPath(value)).toBe("/contacts");
  });

  it.each([
    "/login",
    "/login?callbackUrl=%2Fcontacts",
    "/login/",
    "/api/auth/signout",
    "/api/auth/callback/credentials",
  ])("falls back for %s so sign-in does not loop or hit an API", (value) => {
    expect(safeCallbackPath(value)).toBe("/contacts");
  });

  it.each([undefined, null, 42, ["/contacts"], { path: "/contacts" }])(
    "falls back for the non-string %j",
    (value) => {
      expect(safeCallbackPath(value)).toBe("/contacts");
    },
  );

  it("uses the given fallback", () => {
    expect(safeCallbackPath("//evil.example", "/requests")).toBe("/requests");
    expect(safeCallbackPath(undefined, "/requests")).toBe("/requests");
    expect(safeCallbackPath("/profile", "/requests")).toBe("/profile");
  });

  it("whatever it returns resolves to this site's origin", () => {
    const attempts = [
      "//evil.example",
      "/\\evil.example",
      "/\t/evil.example",
      "/\n\\evil.example",
      "https://evil.example",
      "/%2F%2Fevil.example",
      "/contacts?next=//evil.example",
    ];
    for (const attempt of attempts) {
      const url = new URL(safeCallbackPath(attempt), "https://contacts.example");
      expect(url.origin, attempt).toBe("https://contacts.example");
    }
  });
});
