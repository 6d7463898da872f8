// The client's IP address, as a reverse proxy the operator controls reports it.
//
// A route handler cannot see the TCP peer, and any header a client sends can be forged. So
// the app trusts exactly one header, named by configuration (CLIENT_IP_HEADER), and only
// because the operator says their proxy sets it on every request and overwrites whatever the
// client sent. Unset, there is no client IP and per-IP limits are off (per-email limits stay).
import { isIP } from "node:net";

/** What a present but unusable header counts as: one shared bucket, so garbage cannot dodge limits. */
export const UNPARSEABLE_CLIENT = "unparseable";

/**
 * The key a client's requests are counted under, or null when no header is configured or the
 * request carries none (then the app must not be reachable except through the proxy: the
 * README says so).
 *
 * - For a list header (X-Forwarded-For) the LAST entry counts, however long the list: the one
 *   the trusted proxy itself appended; earlier entries are whatever the client claimed.
 *   Behind two proxies, name a single-valued header your edge sets instead.
 * - IPv6 clients are counted per /64 (one subscriber's allocation), IPv4-mapped IPv6 as IPv4,
 *   so nobody gets a fresh bucket per address they own.
 */
export function clientIp(headers: Headers, header: string | undefined): string | null {
  if (!header) return null;
  const value = headers.get(header);
  if (value === null) return null;
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
