import { describe, expect, it } from "vitest";
import { MAX_NAME_LENGTH, normalizeProfileName } from "./normalize-name";

const accepted = (name: string) => ({ ok: true, name });
const INVALID = { ok: false, reason: "invalid_name" };

describe("a name is stored trimmed and in NFC", () => {
  it("spaces around a name are trimmed", () => {
    expect(normalizeProfileName("  Anna  ")).toEqual(accepted("Anna"));
  });

  it("a decomposed accent is composed, so one name has one spelling", () => {
    const decomposed = "Zielin\u0301ska";
    expect(normalizeProfileName(decomposed)).toEqual(accepted("Zieli\u0144ska"));
    expect(normalizeProfileName(decomposed)).toEqual(normalizeProfileName("Zielińska"));
  });

  it("tabs, line breaks and non-breaking spaces around a name are trimmed like spaces", () => {
    expect(normalizeProfileName("\t\u00a0Anna Nowak\r\n")).toEqual(accepted("Anna Nowak"));
  });

  it("invisible characters around a name are trimmed too", () => {
    expect(normalizeProfileName("\u200b\ufeffAnna\u200d\u2060\u00ad")).toEqual(accepted("Anna"));
  });

  it("a right-to-left override after a name is trimmed, so it cannot reverse the sentence around it", () => {
    expect(normalizeProfileName("Anna\u202e")).toEqual(accepted("Anna"));
  });

  it("spaces and joiners inside a name are kept", () => {
    expect(normalizeProfileName("Anna  Maria")).toEqual(accepted("Anna  Maria"));
    // Woman technologist: two emoji joined by a zero-width joiner.
    expect(normalizeProfileName("Anna \u{1F469}\u200d\u{1F4BB}")).toEqual(
      accepted("Anna \u{1F469}\u200d\u{1F4BB}"),
    );
  });

  it("a variation selector ending a name stays with the character it changes", () => {
    expect(normalizeProfileName("Anna \u2764\ufe0f ")).toEqual(accepted("Anna \u2764\ufe0f"));
  });
});

describe("a name with nothing visible is refused", () => {
  it.each([
    ["empty", ""],
    ["spaces only", "   "],
    ["a zero-width space alone (U+200B)", "\u200b"],
    ["a NUL alone (U+0000)", "\u0000"],
    ["a DEL alone (U+007F)", "\u007f"],
    ["a C1 control alone (U+0085)", "\u0085"],
    ["a soft hyphen alone (U+00AD)", "\u00ad"],
    ["a byte order mark alone (U+FEFF)", "\ufeff"],
    ["a word joiner alone (U+2060)", "\u2060"],
    ["a variation selector alone (U+FE0F)", "\ufe0f"],
    ["a Hangul filler alone (U+3164)", "\u3164"],
    ["zero-width characters and spaces", " \u200b\u200c\u200d\u200e\u200f "],
    ["line and paragraph separators", "\u2028\u2029"],
    ["bidirectional controls", "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"],
  ])("%s", (_label, name) => {
    expect(normalizeProfileName(name)).toEqual(INVALID);
  });

  it("anything that is not a string", () => {
    expect(normalizeProfileName(undefined)).toEqual(INVALID);
    expect(normalizeProfileName(["Anna"])).toEqual(INVALID);
  });
});

describe("a name holding a control character is refused, not silently changed", () => {
  it.each([
    ["a NUL inside", "Anna\u0000Nowak"],
    ["a NUL before it", "\u0000Anna"],
    ["a line break inside", "Anna\nNowak"],
    ["a tab inside", "Anna\tNowak"],
    ["an escape inside", "Anna\u001b[31mNowak"],
    ["a C1 control inside", "Anna\u009bNowak"],
    ["a line separator inside", "Anna\u2028Nowak"],
    ["a right-to-left override inside", "Anna\u202eakwoN"],
    ["a bidirectional isolate inside", "Anna\u2067Nowak\u2069 Kowalska"],
  ])("%s", (_label, name) => {
    expect(normalizeProfileName(name)).toEqual(INVALID);
  });
});

describe("a name has at most 100 characters", () => {
  it("100 characters are accepted", () => {
    expect(MAX_NAME_LENGTH).toBe(100);
    expect(normalizeProfileName("x".repeat(100))).toEqual(accepted("x".repeat(100)));
  });

  it("101 characters are refused as too long, with a reason of their own", () => {
    expect(normalizeProfileName("x".repeat(101))).toEqual({ ok: false, reason: "name_too_long" });
  });

  it("spaces trimmed around a name do not count", () => {
    expect(normalizeProfileName(` ${"x".repeat(100)} `)).toEqual(accepted("x".repeat(100)));
  });

  it("characters are counted once composed, and outside the Basic Multilingual Plane as one", () => {
    expect(normalizeProfileName("n\u0301".repeat(100))).toEqual(accepted("\u0144".repeat(100)));
    expect(normalizeProfileName("\u{1F600}".repeat(100))).toMatchObject({ ok: true });
    expect(normalizeProfileName("\u{1F600}".repeat(101))).toEqual({ ok: false, reason: "name_too_long" });
  });

  it("a name that is empty and long is refused as empty, not as too long", () => {
    expect(normalizeProfileName("\u200b".repeat(500))).toEqual(INVALID);
  });
});
