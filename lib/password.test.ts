import { describe, expect, it } from "vitest";
import { hashPassword, UNUSABLE_PASSWORD_HASH, verifyPassword } from "./password";

const PASSWORD = "correct horse battery staple";

/** Replaces part `index` of a `scrypt$N$r$p$salt$key` hash. */
function withPart(hash: string, index: number, value: string): string {
  const parts = hash.split("$");
  parts[index] = value;
  return parts.join("$");
}

describe("password hashing", () => {
  it("a hash verifies the password it was made from", async () => {
    const hash = await hashPassword(PASSWORD);
    expect(await verifyPassword(PASSWORD, hash)).toBe(true);
  });

  it("a hash has the scrypt$N$r$p$salt$key format with a 16-byte salt and a 32-byte key", async () => {
    const parts = (await hashPassword(PASSWORD)).split("$");
    expect(parts.slice(0, 4)).toEqual(["scrypt", "32768", "8", "1"]);
    expect(Buffer.from(parts[4] as string, "base64url")).toHaveLength(16);
    expect(Buffer.from(parts[5] as string, "base64url")).toHaveLength(32);
  });

  it("a wrong password does not verify", async () => {
    const hash = await hashPassword(PASSWORD);
    expect(await verifyPassword("correct horse battery stapl", hash)).toBe(false);
    expect(await verifyPassword(PASSWORD.toUpperCase(), hash)).toBe(false);
    expect(await verifyPassword("", hash)).toBe(false);
  });

  it("non-ASCII passwords round-trip", async () => {
    const hash = await hashPassword("zażółć gęślą jaźń");
    expect(await verifyPassword("zażółć gęślą jaźń", hash)).toBe(true);
    expect(await verifyPassword("zazolc gesla jazn", hash)).toBe(false);
  });

  it("the random salt makes two hashes of the same password differ", async () => {
    const [first, second] = await Promise.all([hashPassword(PASSWORD), hashPassword(PASSWORD)]);
    expect(first).not.toBe(second);
    expect(first.split("$")[4]).not.toBe(second.split("$")[4]);
    expect(await verifyPassword(PASSWORD, first)).toBe(true);
    expect(await verifyPassword(PASSWORD, second)).toBe(true);
  });

  it("the hash never contains the plain password", async () => {
    const hash = await hashPassword(PASSWORD);
    expect(hash).not.toContain(PASSWORD);
    expect(hash).not.toContain(Buffer.from(PASSWORD).toString("base64url"));
    expect(hash).not.toContain(Buffer.from(PASSWORD).toString("hex"));
  });

  it("a hash with a flipped key character no longer verifies", async () => {
    const hash = await hashPassword(PASSWORD);
    const key = hash.split("$")[5] as string;
    const flipped = (key[0] === "A" ? "B" : "A") + key.slice(1);
    expect(await verifyPassword(PASSWORD, withPart(hash, 5, flipped))).toBe(false);
  });

  it("a hash with a different salt no longer verifies", async () => {
    const hash = await hashPassword(PASSWORD);
    expect(await verifyPassword(PASSWORD, withPart(hash, 4, "AAAAAAAAAAAAAAAAAAAAAA"))).toBe(false);
  });

  it("a hash with different cost parameters no longer verifies", async () => {
    const hash = await hashPassword(PASSWORD);
    expect(await verifyPassword(PASSWORD, withPart(hash, 1, "16384"))).toBe(false);
    expect(await verifyPassword(PASSWORD, withPart(hash, 3, "2"))).toBe(false);
  });

  it("a hash whose key is empty or shortened matches no password", async () => {
    const hash = await hashPassword(PASSWORD);
    // "!!" is not base64url and decodes to zero bytes.
    expect(await verifyPassword(PASSWORD, withPart(hash, 5, "!!"))).toBe(false);
    expect(await verifyPassword("anything", withPart(hash, 5, "!!"))).toBe(false);
    const key = hash.split("$")[5] as string;
    expect(await verifyPassword(PASSWORD, withPart(hash, 5, key.slice(0, 2)))).toBe(false);
  });

  it.each([
    ["an empty string", ""],
    ["another scheme", "bcrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAA"],
    ["a bare scheme", "scrypt"],
    ["missing salt and key", "scrypt$32768$8$1"],
    ["an empty salt", "scrypt$32768$8$1$$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"],
    ["a non-numeric N", `scrypt$abc$8$1$AAAAAAAAAAAAAAAAAAAAAA$${"A".repeat(43)}`],
    ["an N that is not a power of two", `scrypt$1000$8$1$AAAAAAAAAAAAAAAAAAAAAA$${"A".repeat(43)}`],
    ["an N beyond the memory limit", `scrypt$1073741824$8$1$AAAAAAAAAAAAAAAAAAAAAA$${"A".repeat(43)}`],
    ["a negative r", `scrypt$32768$-8$1$AAAAAAAAAAAAAAAAAAAAAA$${"A".repeat(43)}`],
  ])("a malformed hash (%s) gives false rather than throwing", async (_, stored) => {
    await expect(verifyPassword(PASSWORD, stored)).resolves.toBe(false);
  });

  it.each(["", "demo-password", "AAAAAAAA", PASSWORD])(
    "UNUSABLE_PASSWORD_HASH matches no password (%j)",
    async (password) => {
      expect(await verifyPassword(password, UNUSABLE_PASSWORD_HASH)).toBe(false);
    },
  );

  it("UNUSABLE_PASSWORD_HASH has the same shape and cost as a real hash, so checking it takes as long", async () => {
    const real = (await hashPassword(PASSWORD)).split("$");
    const unusable = UNUSABLE_PASSWORD_HASH.split("$");
    expect(unusable.slice(0, 4)).toEqual(real.slice(0, 4));
    expect(unusable[4]).toHaveLength((real[4] as string).length);
    expect(unusable[5]).toHaveLength((real[5] as string).length);
  });
});
