// The client's address, for per-client limits.
//
// Where it comes from, in order of trust:
// 1. CLIENT_IP_HEADER, when the operator names the header their reverse proxy sets on EVERY
//    request, overwriting whatever the client sent (x-real-ip, cf-connecting-ip, …).
// 2. Otherwise, the TCP connection's peer address. A Next.js route handler cannot see the
//    socket, and it cannot trust X-Forwarded-For either: `next start` only fills it in when
//    the client did not send one (node_modules/next/dist/server/base-server.js:
//    `req.headers['x-forwarded-for'] ??= socket.remoteAddress`), so a client picks its own.
//    So the app has its own server entry (scripts/server.mjs, used by `npm start`, the demo and
//    the test stack): it wraps Next's request handler, deletes any client-sent
//    PEER_ADDRESS_HEADER and sets it from `socket.remoteAddress`, and marks the process
//    (a flag on globalThis) so the app knows the header was written by it. Under a plain
//    `next start` the mark is missing and the header, which anyone could send, is ignored.
//
// Behind a proxy without CLIENT_IP_HEADER, every request has the proxy's address: all clients
// share one bucket. That fails towards limiting, never towards none: set CLIENT_IP_HEADER.
// With CLIENT_IP_HEADER set, a request without that header did not pass the proxy: its peer
// address counts, except from this host itself (loopback), which has no key (health checks;
// the test stack, where Playwright plays the proxy and the browser's requests go uncounted).
import { isIP } from "node:net";

/** Set by scripts/server.mjs on every request from the socket's address; a client's copy is deleted first. */
export const PEER_ADDRESS_HEADER = "x-byo-peer-address";

// scripts/server.mjs sets the same mark (plain JavaScript, so it cannot import this file).
const SERVED_BY_APP_SERVER = Symbol.for("byo-auth.served-by-app-server");
type Marked = typeof globalThis & { [SERVED_BY_APP_SERVER]?: boolean };

/** True in a process started by scripts/server.mjs (the mark lives on globalThis: every bundle of the app sees it). */
export function servedByAppServer(): boolean {
  return (globalThis as Marked)[SERVED_BY_APP_SERVER] === true;
}

/** What a present but unusable address counts as: one shared bucket, so garbage cannot dodge limits. */
export const UNPARSEABLE_CLIENT = "unparseable";

/**
 * The key a client's requests are counted under, or null when no address is known (a plain
 * `next start` without CLIENT_IP_HEADER, or a loopback request that bypassed the proxy).
 *
 * - For a list header (X-Forwarded-For) the LAST entry counts, however long the list: the one
 *   the trusted proxy itself appended; earlier entries are whatever the client claimed.
 *   Behind two proxies, name a single-valued header your edge sets instead.
 * - IPv6 clients are counted per /64 (one subscriber's allocation), IPv4-mapped IPv6 as IPv4,
 *   so nobody gets a fresh bucket per address they own.
 */
export function clientIp(headers: Headers, header: string | undefined, peerHeaderTrusted = servedByAppServer()): string | null {
  const peer = peerHeaderTrusted ? headers.get(PEER_ADDRESS_HEADER) : null;
  if (header) {
    const value = headers.get(header);
    if (value !== null) return keyOf(value);
    // The configured proxy did not send this request. From this host (a health check, the
    // test stack) it has no key; from anywhere else, the connection's address counts.
    if (peer === null || isLoopback(peer)) return null;
    return keyOf(peer);
  }
  if (peer !== null) return keyOf(peer);
  warnNoClientAddress();
  return null;
}

const isLoopback = (address: string) => {
  const key = keyOf(address);
  return key.startsWith("127.") || key === "0:0:0:0::/64";
};

let warned = false;
function warnNoClientAddress() {
  if (warned) return;
  warned = true;
  console.warn(
    "[security] No client address: the app was not started by scripts/server.mjs (npm start) and CLIENT_IP_HEADER is unset, so per-client limits are off.",
  );
}

/** The counting key for one address value (a single address or a list whose last entry counts). */
function keyOf(value: string): string {
  const last = value.slice(value.lastIndexOf(",") + 1).trim();
  // "[::1]:443" and "1.2.3.4:5678" forms from some proxies: keep the address only.
  const address = (/^\[([^\]]+)\](?::\d+)?$/.exec(last)?.[1] ?? /^(\d+\.\d+\.\d+\.\d+):\d+$/.exec(last)?.[1] ?? last).toLowerCase();
  if (isIP(address) === 4) return address;
  const groups = isIP(address) === 6 ? ipv6Groups(address) : null;
  if (!groups) return UNPARSEABLE_CLIENT;
  // ::ffff:a.b.c.d (in either notation) is an IPv4 client.
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return [groups[6]! >> 8, groups[6]! & 0xff, groups[7]! >> 8, groups[7]! & 0xff].join(".");
  }
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(":")}::/64`;
}

/** The eight 16-bit groups of an IPv6 address (zone id dropped, a dotted IPv4 tail as two groups), or null. */
function ipv6Groups(address: string): number[] | null {
  let text = address.split("%")[0]!;
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    if ([a, b, c, d].some((n) => n > 255)) return null;
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const left = halves[0] ? halves[0].split(":") : [];
  const right = halves.length === 2 && halves[1] ? halves[1].split(":") : [];
  const missing = 8 - left.length - right.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const groups = [...left, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...right];
  if (groups.some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return null;
  return groups.map((g) => parseInt(g, 16));
}
