import { describe, expect, it } from "vitest";
import { MAX_LINE_LENGTH, parseImportLine } from "./parse-import-line";

describe("parseImportLine", () => {
  it("reads an account and a service, normalising customer IDs and addresses", () => {
    expect(
      parseImportLine(
        JSON.stringify({
          kind: "account",
          customerId: " AA100001-OVH ",
          name: " Anna ",
          email: "Anna@Example.TEST",
        }),
      ),
    ).toEqual({
      ok: true,
      line: {
        kind: "account",
        customerId: "aa100001-ovh",
        name: "Anna",
        email: "anna@example.test",
        paymentStanding: "upToDate",
      },
    });
    const service = { kind: "service", type: "vps", name: "vps-1", contactAdmin: "AA100001-ovh" };
    expect(
      parseImportLine(
        JSON.stringify({ ...service, contactTech: "aa100001-ovh", contactBilling: "aa100001-ovh" }),
      ),
    ).toMatchObject({ ok: true, line: { kind: "service", contactAdmin: "aa100001-ovh" } });
  });

  it("a blank line is no line", () => {
    expect(parseImportLine("")).toBeNull();
    expect(parseImportLine("   \t")).toBeNull();
  });

  it.each([
    ["{", "line is not JSON"],
    ["[]", "Invalid input: expected object, received array"],
    ['"text"', "Invalid input: expected object, received string"],
    [
      JSON.stringify({ kind: "account", customerId: "x", name: "", email: "a@b.test" }),
      "name: must not be empty; customerId: is not a customer ID (like aa123456-ovh)",
    ],
    [
      JSON.stringify({
        kind: "service",
        type: "domain",
        name: "a\u0000b",
        contactAdmin: "aa1-ovh",
        contactTech: "aa1-ovh",
        contactBilling: "aa1-ovh",
      }),
      "name: must not contain a NUL character",
    ],
    ["x".repeat(MAX_LINE_LENGTH + 1), `line is longer than ${MAX_LINE_LENGTH} characters`],
  ])("refuses %j with a message naming what is wrong", (text, message) => {
    expect(parseImportLine(text)).toEqual({ ok: false, message });
  });
});
