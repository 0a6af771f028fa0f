import { describe, expect, it } from "vitest";
import { browserLanguage, interfaceLanguage } from "./interface-language";

describe("browserLanguage", () => {
  it("follows Accept-Language without a cookie", () => {
    expect(browserLanguage({ cookie: undefined, acceptLanguage: "pl-PL,pl;q=0.9,en;q=0.8" })).toBe("pl");
    expect(browserLanguage({ cookie: null, acceptLanguage: "en-US" })).toBe("en");
  });

  it("prefers the language picked on the sign-in page over Accept-Language", () => {
    expect(browserLanguage({ cookie: "en", acceptLanguage: "pl-PL" })).toBe("en");
    expect(browserLanguage({ cookie: "pl", acceptLanguage: "en-US" })).toBe("pl");
  });

  it("ignores a cookie that names no language of the app", () => {
    expect(browserLanguage({ cookie: "de", acceptLanguage: "pl" })).toBe("pl");
    expect(browserLanguage({ cookie: "PL", acceptLanguage: "en" })).toBe("en");
  });
});

describe("interfaceLanguage", () => {
  it("is the browser's before signing in", () => {
    expect(interfaceLanguage(null, "pl")).toBe("pl");
  });

  it("is the browser's for an account whose holder has not picked one", () => {
    expect(interfaceLanguage({ language: "en", isLanguageChosen: false }, "pl")).toBe("pl");
    expect(interfaceLanguage({ language: "pl", isLanguageChosen: false }, "en")).toBe("en");
  });

  it("is the account's once its holder picked one, whatever the browser says", () => {
    expect(interfaceLanguage({ language: "en", isLanguageChosen: true }, "pl")).toBe("en");
    expect(interfaceLanguage({ language: "pl", isLanguageChosen: true }, "en")).toBe("pl");
  });
});
