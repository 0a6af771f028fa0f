import { afterEach, describe, expect, it, vi } from "vitest";
import { POST } from "./route";

const post = (body: string, headers: Record<string, string> = {}) =>
  POST(new Request("http://localhost/api/webhooks/resend", { method: "POST", body, headers }));

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("POST /api/webhooks/resend", () => {
  it("does not exist without RESEND_WEBHOOK_SECRET", async () => {
    vi.stubEnv("RESEND_WEBHOOK_SECRET", "");
    const response = await post(JSON.stringify({ type: "email.bounced", data: { to: ["a@x.test"] } }));
    expect(response.status).toBe(404);
  });

  it("refuses an unsigned body with 401 before reading it, and an oversized one with 413", async () => {
    // The app's database is never reached here; were it opened, it would be a throwaway one.
    vi.stubEnv("DATABASE_PATH", ":memory:");
    vi.stubEnv(
      "RESEND_WEBHOOK_SECRET",
      `whsec_${Buffer.from("route-test-secret-of-32-bytes!!!").toString("base64")}`,
    );
    const unsigned = await post("{}");
    expect(unsigned.status).toBe(401);
    expect(await unsigned.json()).toEqual({
      message: "The svix-id, svix-timestamp and svix-signature headers are required.",
    });
    expect((await post("x".repeat(256 * 1024 + 1))).status).toBe(413);
  });
});
