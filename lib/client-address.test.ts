import { describe, expect, it } from "vitest";
import { resolveClientAddress } from "./client-address";

const TRUSTED = new Set(["10.0.0.2", "10.0.0.3"]);

describe("the client's address", () => {
  it("is the socket's peer when no proxy is trusted, whatever X-Forwarded-For says", () => {
    expect(resolveClientAddress({ peer: "203.0.113.7", forwardedFor: "1.2.3.4", trusted: new Set() })).toBe(
      "203.0.113.7",
    );
  });

  it("is the socket's peer when the peer is not a trusted proxy", () => {
    expect(resolveClientAddress({ peer: "203.0.113.7", forwardedFor: "1.2.3.4", trusted: TRUSTED })).toBe(
      "203.0.113.7",
    );
  });

  it("behind trusted proxies, is the nearest address that is not one of them", () => {
    expect(
      resolveClientAddress({
        peer: "10.0.0.2",
        forwardedFor: "6.6.6.6, 198.51.100.4, 10.0.0.3",
        trusted: TRUSTED,
      }),
    ).toBe("198.51.100.4");
  });

  it("behind a trusted proxy that sent no X-Forwarded-For, is the proxy", () => {
    expect(resolveClientAddress({ peer: "10.0.0.2", forwardedFor: undefined, trusted: TRUSTED })).toBe(
      "10.0.0.2",
    );
  });

  it("drops the IPv4-mapped IPv6 prefix", () => {
    expect(
      resolveClientAddress({ peer: "::ffff:127.0.0.1", forwardedFor: undefined, trusted: new Set() }),
    ).toBe("127.0.0.1");
  });
});
