import { describe, expect, it } from "vitest";
import { isStreamedImport } from "./is-streamed-import";

const TOKEN = `Bearer sc_prov_${"a".repeat(43)}`;

describe("which requests may stream a body past the size limit", () => {
  it("a POST to the import with a provisioning token, with or without a query", () => {
    expect(isStreamedImport({ method: "POST", url: "/api/provider/v1/import", authorization: TOKEN })).toBe(
      true,
    );
    expect(
      isStreamedImport({
        method: "POST",
        url: "/api/provider/v1/import?source=a&resume=true",
        authorization: TOKEN,
      }),
    ).toBe(true);
  });

  it.each([
    ["without a token", { method: "POST", url: "/api/provider/v1/import", authorization: undefined }],
    [
      "with a session-like bearer",
      { method: "POST", url: "/api/provider/v1/import", authorization: "Bearer abc" },
    ],
    [
      "with Basic credentials",
      { method: "POST", url: "/api/provider/v1/import", authorization: "Basic eDp5" },
    ],
    ["another method", { method: "PUT", url: "/api/provider/v1/import", authorization: TOKEN }],
    [
      "another provisioning call",
      { method: "POST", url: "/api/provider/v1/webhook-endpoints", authorization: TOKEN },
    ],
    [
      "a path that only starts the same",
      { method: "POST", url: "/api/provider/v1/import/x", authorization: TOKEN },
    ],
    [
      "a dot-segment detour",
      { method: "POST", url: "/api/provider/v1/import/../accounts/a", authorization: TOKEN },
    ],
    ["an encoded variant", { method: "POST", url: "/api/provider/v1/%69mport", authorization: TOKEN }],
    ["a page", { method: "POST", url: "/contacts", authorization: TOKEN }],
  ])("not %s", (_case, request) => {
    expect(isStreamedImport(request)).toBe(false);
  });
});
