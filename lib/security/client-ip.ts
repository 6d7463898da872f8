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
  let address = /^\[([^\]]+)\](?::\d+)?$/.exec(last)?.[1] ?? /^(\d+\.\d+\.\d+\.\d+):\d+$/.exec(last)?.[1] ?? last;
  address = address.toLowerCase().replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, "$1");
  switch (isIP(address)) {
    case 4:
      return address;
    case 6:
      return `${ipv6Prefix64(address)}::/64`;
    default:
      return UNPARSEABLE_CLIENT;
  }
}

/** The first four hextets of an IPv6 address, expanded ("2001:db8::1" → "2001:db8:0:0"). */
function ipv6Prefix64(address: string): string {
  const [head = "", tail = ""] = address.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = address.includes("::") ? [...left, ...Array<string>(8 - left.length - right.length).fill("0"), ...right] : left;
  return groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ""))
    .join(":");
}
