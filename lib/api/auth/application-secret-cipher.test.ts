import { afterEach, describe, expect, it, vi } from "vitest";
import { authSecret, decryptApplicationSecret, encryptApplicationSecret } from "./application-secret-cipher";
import { stubAuthSecret } from "./testing/api-auth-fixtures";

const SECRET = "EXEgWIz07P0HYwtQDs7cNIqCiQaWSuHF";
const AK = "7kbG7Bk7S9Nt7ZSV";

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("application secrets at rest", () => {
  it("open again to the secret under the same AUTH_SECRET and application key", () => {
    stubAuthSecret();
    expect(decryptApplicationSecret(encryptApplicationSecret(SECRET, AK), AK)).toBe(SECRET);
  });

  it("never hold the secret in clear, and differ each time (a random IV per secret)", () => {
    stubAuthSecret();
    const first = encryptApplicationSecret(SECRET, AK);
    const second = encryptApplicationSecret(SECRET, AK);
    expect(first).not.toContain(SECRET);
    expect(Buffer.from(first.split(".")[2] ?? "", "base64url").toString("utf8")).not.toContain(SECRET);
    expect(first).not.toBe(second);
    expect(first).toMatch(/^v1\.[\w-]{16}\.[\w-]+\.[\w-]{22}$/);
  });

  it("do not open for another application's key (a sealed secret copied to another row)", () => {
    stubAuthSecret();
    const sealed = encryptApplicationSecret(SECRET, AK);
    expect(() => decryptApplicationSecret(sealed, "AAAAAAAAAAAAAAAA")).toThrow(/cannot be decrypted/);
  });

  it("do not open under another AUTH_SECRET, and say why", () => {
    stubAuthSecret("the-first-auth-secret-000000000000");
    const sealed = encryptApplicationSecret(SECRET, AK);
    stubAuthSecret("the-second-auth-secret-11111111111");
    expect(() => decryptApplicationSecret(sealed, AK)).toThrow(/was AUTH_SECRET changed/);
  });

  it("do not open once altered, a shortened tag included", () => {
    stubAuthSecret();
    const [format, iv, ciphertext, tag] = encryptApplicationSecret(SECRET, AK).split(".") as string[];
    const flipped = Buffer.from(ciphertext as string, "base64url");
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    expect(() =>
      decryptApplicationSecret([format, iv, flipped.toString("base64url"), tag].join("."), AK),
    ).toThrow(/cannot be decrypted/);
    const shortTag = Buffer.from(tag as string, "base64url")
      .subarray(0, 4)
      .toString("base64url");
    expect(() => decryptApplicationSecret([format, iv, ciphertext, shortTag].join("."), AK)).toThrow();
    expect(() => decryptApplicationSecret(SECRET, AK)).toThrow(/not in the v1 format/);
  });

  it("cannot be sealed or opened without AUTH_SECRET, with an error that says what to set", () => {
    vi.stubEnv("AUTH_SECRET", "");
    expect(() => authSecret()).toThrow(/AUTH_SECRET is not set/);
    expect(() => encryptApplicationSecret(SECRET, AK)).toThrow(/AUTH_SECRET is not set/);
  });
});
