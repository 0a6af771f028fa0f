import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { exampleCustomerId, parseCustomerId } from "./customer-id";

beforeEach(() => vi.stubEnv("CUSTOMER_ID_SUFFIX", ""));
afterEach(() => vi.unstubAllEnvs());

describe("parseCustomerId", () => {
  it("accepts two letters, digits and the -ovh suffix", () => {
    expect(parseCustomerId("aa123456-ovh")).toBe("aa123456-ovh");
  });

  it("accepts more than two letters and a single digit", () => {
    expect(parseCustomerId("abcd1-ovh")).toBe("abcd1-ovh");
  });

  it("trims surrounding spaces, tabs and line breaks", () => {
    expect(parseCustomerId("  aa123456-ovh\t\n")).toBe("aa123456-ovh");
  });

  it("is case-insensitive and returns lower case", () => {
    expect(parseCustomerId("AA123456-OVH")).toBe("aa123456-ovh");
    expect(parseCustomerId(" Aa123456-Ovh ")).toBe("aa123456-ovh");
  });

  it("uses an explicit suffix instead of the configured one", () => {
    expect(parseCustomerId("AA1-Eu", "eu")).toBe("aa1-eu");
    expect(parseCustomerId("aa1-ovh", "eu")).toBeNull();
  });

  it("takes the suffix from CUSTOMER_ID_SUFFIX, lower-cased", () => {
    vi.stubEnv("CUSTOMER_ID_SUFFIX", "KS");
    expect(parseCustomerId("aa1-ks")).toBe("aa1-ks");
    expect(parseCustomerId("aa1-ovh")).toBeNull();
  });

  it.each([
    ["a single letter", "a123456-ovh"],
    ["no letters", "123456-ovh"],
    ["no digits", "aa-ovh"],
    ["letters after the digits", "aa123b-ovh"],
    ["digits before the letters", "1aa123-ovh"],
    ["a wrong suffix", "aa123456-ovx"],
    ["a longer suffix", "aa123456-ovhx"],
    ["no suffix", "aa123456"],
    ["no dash", "aa123456ovh"],
    ["two dashes", "aa123456--ovh"],
    ["an empty string", ""],
    ["only spaces", "   "],
    ["an inner space", "aa 123456-ovh"],
    ["a space before the suffix", "aa123456 -ovh"],
    ["non-ASCII letters", "ąą123456-ovh"],
    ["an e-mail address", "anna@example.test"],
  ])("rejects %s", (_, input) => {
    expect(parseCustomerId(input)).toBeNull();
  });

  it("treats regular-expression characters in the suffix literally", () => {
    expect(parseCustomerId("aa1-o.h", "o.h")).toBe("aa1-o.h");
    expect(parseCustomerId("aa1-oxh", "o.h")).toBeNull();
    expect(parseCustomerId("aa1-ovvvh", "ov+h")).toBeNull();
    expect(parseCustomerId("aa1-ov+h", "ov+h")).toBe("aa1-ov+h");
    expect(parseCustomerId("aa1-x", "(x|y)")).toBeNull();
    expect(parseCustomerId("aa1-anything", ".*")).toBeNull();
    expect(parseCustomerId("aa1-.*", ".*")).toBe("aa1-.*");
  });
});

describe("exampleCustomerId", () => {
  it("is itself a valid customer ID for its suffix", () => {
    expect(exampleCustomerId()).toBe("aa123456-ovh");
    expect(parseCustomerId(exampleCustomerId("eu"), "eu")).toBe("aa123456-eu");
  });
});
