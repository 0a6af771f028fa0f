/**
 * The request header through which the app's server (scripts/serve.ts) hands the client's
 * address to pages, actions and Auth.js: the socket's peer, or the address a trusted proxy
 * reports in X-Forwarded-For (TRUSTED_PROXIES). The server drops any value a client sends.
 */
export const CLIENT_ADDRESS_HEADER = "x-service-contacts-client";

/** The client's address as the server recorded it; "unknown" when the app runs without it (next dev). */
export function clientAddressFrom(headers: Pick<Headers, "get">): string {
  const value = headers.get(CLIENT_ADDRESS_HEADER)?.trim();
  return value && value.length <= 64 ? value : "unknown";
}

/** An address as the throttles key it: lower case, without the IPv4-mapped IPv6 prefix. */
export function normalizeAddress(address: string): string {
  return address
    .trim()
    .toLowerCase()
    .replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, "");
}

/**
 * Who the client is: the socket's peer, unless that peer is a trusted proxy, in which case the
 * nearest X-Forwarded-For entry that is not itself a trusted proxy (entries further left are
 * whatever the client claimed, and are not believed).
 */
export function resolveClientAddress({
  peer,
  forwardedFor,
  trusted,
}: {
  peer: string | undefined;
  forwardedFor: string | undefined;
  trusted: ReadonlySet<string>;
}): string {
  const socketPeer = normalizeAddress(peer ?? "unknown");
  if (!trusted.has(socketPeer) || !forwardedFor) return socketPeer;
  const hops = forwardedFor.split(",").map(normalizeAddress).filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i] as string;
    if (!trusted.has(hop)) return hop.slice(0, 64);
  }
  return socketPeer;
}

/**
 * The part of an address a throttle keys on: an IPv4 address whole, an IPv6 address by its /64
 * prefix (one subscriber holds a whole /64, so whole addresses would give each guess a new key).
 */
export function throttleKeyOfAddress(address: string): string {
  const bare = normalizeAddress(address);
  if (!bare.includes(":")) return bare;
  const [head = "", tail = ""] = bare.split("::", 2);
  const headGroups = head ? head.split(":") : [];
  const tailGroups = bare.includes("::") && tail ? tail.split(":") : [];
  const missing = bare.includes("::") ? 8 - headGroups.length - tailGroups.length : 0;
  const groups = [...headGroups, ...Array(Math.max(0, missing)).fill("0"), ...tailGroups];
  if (groups.length !== 8 || groups.some((group) => !/^[0-9a-f]{1,4}$/.test(group))) return bare;
  return `${groups
    .slice(0, 4)
    .map((group) => group.replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
}
