import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { isSameSignature, ovhSignature } from "./ovh-signature";
import { officialClient } from "./testing/api-auth-fixtures";

const AK = "7kbG7Bk7S9Nt7ZSV";
const AS = "EXEgWIz07P0HYwtQDs7cNIqCiQaWSuHF";
const CK = "MtSwSrPpNjqfVSmJhLbPyr2i45lSDRj1";
const client = officialClient({ appKey: AK, appSecret: AS, consumerKey: CK });

describe("ovhSignature", () => {
  it("is the signature OVH's official client computes for a GET with a query", () => {
    const url = "https://contacts.example.test/api/1.0/me/task/contactChange?state=done";
    expect(
      ovhSignature({
        applicationSecret: AS,
        consumerKey: CK,
        method: "GET",
        url,
        body: "",
        timestamp: 1772355600,
      }),
    ).toBe(client.signRequest("GET", url, null, 1772355600));
  });

  it("is the signature OVH's official client computes for a POST whose body escapes non-ASCII", () => {
    const url = "https://contacts.example.test/api/1.0/domain/example.pl/changeContact";
    const body = '{"contactAdmin":"zo\\u0142zik-ovh"}';
    expect(
      ovhSignature({
        applicationSecret: AS,
        consumerKey: CK,
        method: "POST",
        url,
        body,
        timestamp: "1772355600",
      }),
    ).toBe(client.signRequest("POST", url, body, "1772355600"));
  });

  it('is "$1$" and the SHA-1 of AS+CK+METHOD+URL+BODY+TS joined with "+"', () => {
    const url = "https://h/api/1.0/me";
    const expected = createHash("sha1").update(`${AS}+${CK}+GET+${url}++42`).digest("hex");
    expect(
      ovhSignature({ applicationSecret: AS, consumerKey: CK, method: "GET", url, body: "", timestamp: 42 }),
    ).toBe(`$1$${expected}`);
  });

  it("changes with every signed part", () => {
    const base = {
      applicationSecret: AS,
      consumerKey: CK,
      method: "GET",
      url: "https://h/api/1.0/me",
      body: "",
    };
    const signature = ovhSignature({ ...base, timestamp: 1 });
    for (const changed of [
      { applicationSecret: `${AS}x` },
      { consumerKey: `${CK}x` },
      { method: "POST" },
      { url: "https://h/api/1.0/me?x=1" },
      { body: "{}" },
      { timestamp: 2 },
    ]) {
      expect(ovhSignature({ ...base, timestamp: 1, ...changed })).not.toBe(signature);
    }
  });
});

describe("isSameSignature", () => {
  const signature = client.signRequest("GET", "https://h/api/1.0/me", null, 1);

  it("accepts the same signature", () => {
    expect(isSameSignature(signature, `${signature}`)).toBe(true);
  });

  it("refuses a different, shorter, longer or empty one", () => {
    expect(
      isSameSignature(
        signature,
        signature.replace(/.$/, (c) => (c === "0" ? "1" : "0")),
      ),
    ).toBe(false);
    expect(isSameSignature(signature, signature.slice(0, -1))).toBe(false);
    expect(isSameSignature(signature, `${signature}0`)).toBe(false);
    expect(isSameSignature(signature, "")).toBe(false);
  });
});
