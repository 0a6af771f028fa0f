import { describe, expect, it } from "vitest";
import { EMAIL_UNDELIVERABLE_KINDS } from "@/lib/provider/vocabulary";
import en from "@/messages/undeliverable.en.json";
import pl from "@/messages/undeliverable.pl.json";

function keys(value: unknown, prefix = ""): string[] {
  if (value === null || typeof value !== "object") return [prefix];
  return Object.entries(value).flatMap(([key, inner]) => keys(inner, prefix ? `${prefix}.${key}` : key));
}

describe("the messages about undeliverable addresses", () => {
  it("exist in English and Polish with the same keys", () => {
    expect(keys(pl)).toEqual(keys(en));
  });

  it.each([
    ["en", en],
    ["pl", pl],
  ])(
    "name every kind of mark, for the profile and for the account's own requests (%s)",
    (_language, messages) => {
      for (const kind of EMAIL_UNDELIVERABLE_KINDS) {
        expect(messages.Undeliverable.profile[kind], kind).toBeTruthy();
        expect(messages.Undeliverable.mine[kind], kind).toBeTruthy();
      }
    },
  );

  it.each([
    ["en", en],
    ["pl", pl],
  ])(
    "tell others of a bounce without saying which kind, so a spam report stays private (%s)",
    (_language, messages) => {
      expect(typeof messages.Undeliverable.others).toBe("string");
      expect(messages.Undeliverable.others).toContain("{people}");
      expect(messages.Undeliverable.others).not.toMatch(/spam/i);
    },
  );
});
