import { describe, expect, it } from "vitest";
import { resolveClientAddress, throttleKeyOfAddress } from "./client-address";

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

describe("the address a throttle counts against", () => {
  it("is an IPv4 address whole", () => {
    expect(throttleKeyOfAddress("203.0.113.7")).toBe("203.0.113.7");
    expect(throttleKeyOfAddress("::ffff:203.0.113.7")).toBe("203.0.113.7");
  });

  it("is an IPv6 address's /64, however it is written", () => {
    expect(throttleKeyOfAddress("2001:db8:1:2:aaaa:bbbb:cccc:dddd")).toBe("2001:db8:1:2::/64");
    expect(throttleKeyOfAddress("2001:0db8:0001:0002::1")).toBe("2001:db8:1:2::/64");
    expect(throttleKeyOfAddress("2001:DB8:1:2::ffff")).toBe("2001:db8:1:2::/64");
    expect(throttleKeyOfAddress("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(throttleKeyOfAddress("::1")).toBe("0:0:0:0::/64");
  });

  it("leaves what is no address as it is", () => {
    expect(throttleKeyOfAddress("unknown")).toBe("unknown");
  });
});
