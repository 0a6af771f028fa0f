import { describe, expect, it } from "vitest";
import { DEFAULT_LANGUAGE, isLanguage, negotiateLanguage } from "./negotiate-language";

describe("negotiateLanguage", () => {
  it("defaults to English", () => {
    expect(DEFAULT_LANGUAGE).toBe("en");
  });

  it.each([null, undefined, ""])("a missing header (%j) gives English", (header) => {
    expect(negotiateLanguage(header)).toBe("en");
  });

  it("a bare supported tag is chosen", () => {
    expect(negotiateLanguage("pl")).toBe("pl");
    expect(negotiateLanguage("en")).toBe("en");
  });

  it("tags are compared case-insensitively", () => {
    expect(negotiateLanguage("PL")).toBe("pl");
  });

  it("a region tag picks its language", () => {
    expect(negotiateLanguage("pl-PL")).toBe("pl");
    expect(negotiateLanguage("en-GB,pl;q=0.9")).toBe("en");
  });

  it("a tag that only starts with a language's letters is not that language", () => {
    expect(negotiateLanguage("plx")).toBe("en");
    expect(negotiateLanguage("enx, pl;q=0.1")).toBe("pl");
  });

  it("the highest q-value wins regardless of order", () => {
    expect(negotiateLanguage("en;q=0.5, pl;q=0.8")).toBe("pl");
    expect(negotiateLanguage("pl;q=0.3,en;q=0.4")).toBe("en");
  });

  it("a tag without q counts as q=1", () => {
    expect(negotiateLanguage("en;q=0.9, pl")).toBe("pl");
  });

  it("equal q-values keep the header's order", () => {
    expect(negotiateLanguage("pl, en")).toBe("pl");
    expect(negotiateLanguage("en, pl")).toBe("en");
    expect(negotiateLanguage("pl;q=0.5, en;q=0.5")).toBe("pl");
  });

  it("unsupported languages are skipped for the next supported one", () => {
    expect(negotiateLanguage("de-DE, fr;q=0.9, pl;q=0.1")).toBe("pl");
  });

  it("only unsupported languages give English", () => {
    expect(negotiateLanguage("de-DE, fr;q=0.9")).toBe("en");
    expect(negotiateLanguage("*")).toBe("en");
  });

  it("q=0 means not acceptable", () => {
    expect(negotiateLanguage("pl;q=0")).toBe("en");
    expect(negotiateLanguage("pl;q=0.0, en;q=0.1")).toBe("en");
    expect(negotiateLanguage("en;q=0, pl;q=0.1")).toBe("pl");
  });

  it("parameters other than q are ignored and spaces around parts are allowed", () => {
    expect(negotiateLanguage(" en ; level=1 ; q=0.2 ,  pl ; q=0.7 ")).toBe("pl");
  });

  it("an unreadable q-value excludes its tag", () => {
    expect(negotiateLanguage("pl;q=abc")).toBe("en");
    expect(negotiateLanguage("pl;q=abc, en;q=0.1")).toBe("en");
  });

  it.each([",,,", ";;;", ";q=1", "q=0.5", "!!@@##", "\u0000\u0001", "pl;q="])(
    "garbage (%j) gives English",
    (header) => {
      expect(negotiateLanguage(header)).toBe("en");
    },
  );

  it("a usable tag among garbage is still found", () => {
    expect(negotiateLanguage(",;,pl;,;q=")).toBe("pl");
  });

  it("a typical Polish browser header gives Polish", () => {
    expect(negotiateLanguage("pl-PL,pl;q=0.9,en-US;q=0.8,en;q=0.7")).toBe("pl");
  });
});

describe("isLanguage", () => {
  it("accepts exactly the supported languages", () => {
    expect(isLanguage("en")).toBe(true);
    expect(isLanguage("pl")).toBe(true);
    expect(isLanguage("PL")).toBe(false);
    expect(isLanguage("de")).toBe(false);
    expect(isLanguage(undefined)).toBe(false);
    expect(isLanguage(1)).toBe(false);
  });
});
