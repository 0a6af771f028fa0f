import { afterEach, describe, expect, it, vi } from "vitest";
import { resendWebhookSecret } from "./config";

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("resendWebhookSecret (RESEND_WEBHOOK_SECRET)", () => {
  it("is unset by default, which turns the webhook off", () => {
    vi.stubEnv("RESEND_WEBHOOK_SECRET", "  ");
    expect(resendWebhookSecret()).toBeUndefined();
  });

  it("takes a signing secret as Resend shows it", () => {
    const secret = `whsec_${Buffer.from("a-secret-of-twenty-four-b").toString("base64")}`;
    vi.stubEnv("RESEND_WEBHOOK_SECRET", ` ${secret} `);
    expect(resendWebhookSecret()).toBe(secret);
  });

  it.each([
    "re_123456789", // an API key pasted instead
    "whsec_", // nothing after the prefix
    "whsec_not base64!", // not base64
    `whsec_${Buffer.from("short").toString("base64")}`, // too short to be a key
    Buffer.from("a-secret-of-twenty-four-b").toString("base64"), // without its prefix
  ])("refuses %s, saying what it must be", (value) => {
    vi.stubEnv("RESEND_WEBHOOK_SECRET", value);
    expect(() => resendWebhookSecret()).toThrow(/RESEND_WEBHOOK_SECRET must be the webhook's signing secret/);
  });
});
