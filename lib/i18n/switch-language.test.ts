import { describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { languageReturnPath } from "./language-return-path";
import { switchLanguage } from "./switch-language";

// A refusal comes before anyone is looked up: neither the session nor the database is reached.
const unreachable = {
  db: (): Db => {
    throw new Error("the database was reached");
  },
  currentAccountId: async (): Promise<number | null> => {
    throw new Error("the session was read");
  },
};

const post = (body: BodyInit, headers: Record<string, string> = {}) =>
  switchLanguage(
    new Request("http://localhost:3000/api/language", { method: "POST", body, headers }),
    unreachable,
  );

const form = (fields: Record<string, string>) => new URLSearchParams(fields);

describe("the language switch (POST /api/language)", () => {
  it("signed out, keeps the language in a cookie and goes back to the page", async () => {
    const response = await switchLanguage(
      new Request("http://localhost:3000/api/language", {
        method: "POST",
        body: form({ language: "pl", back: "/login?callbackUrl=%2Frequests" }),
      }),
      { ...unreachable, currentAccountId: async () => null },
    );
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/login?callbackUrl=%2Frequests");
    expect(response.headers.get("set-cookie")).toMatch(
      /^language=pl; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Lax/,
    );
  });

  it("refuses a post from another site, changing nothing", async () => {
    const response = await post(form({ language: "pl", back: "/contacts" }), {
      origin: "https://evil.example",
      host: "localhost:3000",
    });
    expect(response.status).toBe(403);
    expect(response.headers.get("set-cookie")).toBeNull();
  });

  it.each([
    ["a language we do not have", form({ language: "de" }), "This language is not available"],
    ["no language", form({ back: "/contacts" }), "This language is not available"],
    ["no form at all", "{]", "not a form this site sends"],
  ])("refuses %s with a message, setting no cookie", async (_, body, message) => {
    const headers: Record<string, string> =
      typeof body === "string" ? { "content-type": "multipart/form-data; boundary=x" } : {};
    const response = await post(body, headers);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain(message);
    expect(response.headers.get("set-cookie")).toBeNull();
  });
});

describe("where the language switch goes back to", () => {
  it.each([
    ["/requests?status=pending", "/requests?status=pending"],
    ["/login?callbackUrl=%2Frequests%2F12", "/login?callbackUrl=%2Frequests%2F12"],
    ["/login", "/login"],
    ["//evil.example/x", "/contacts"],
    ["https://evil.example/", "/contacts"],
    ["/\\evil.example", "/contacts"],
    ["/login\\@evil", "/contacts"],
    ["/\t/evil.example", "/contacts"],
    ["", "/contacts"],
    [null, "/contacts"],
  ])("%j → %s", (value, expected) => {
    expect(languageReturnPath(value)).toBe(expected);
  });
});
