// The client's IP address, as a reverse proxy the operator controls reports it.
//
// A route handler cannot see the TCP peer, and any header a client sends can be forged. So
// the app trusts exactly one header, named by configuration (CLIENT_IP_HEADER), and only
// because the operator says their proxy sets it on every request and overwrites whatever the
// client sent. Unset, there is no client IP and per-IP limits are off (per-email limits stay).
import { isIP } from "node:net";

/**
 * For a list header (X-Forwarded-For) the LAST entry counts: the one the trusted proxy itself
 * appended; earlier entries are whatever the client claimed. Behind two proxies, name a
 * single-valued header your edge sets instead (CF-Connecting-IP, X-Real-IP, Fly-Client-IP).
 */
export function clientIp(headers: Headers, header: string | undefined): string | null {
  if (!header) return null;
  const value = headers.get(header);
  if (!value || value.length > 1024) return null;
  const last = value.split(",").at(-1)!.trim();
  // "[::1]:443" and "1.2.3.4:5678" forms from some proxies: keep the address only.
  const address = /^\[([^\]]+)\](?::\d+)?$/.exec(last)?.[1] ?? (/^(\d+\.\d+\.\d+\.\d+):\d+$/.exec(last)?.[1] ?? last);
  return isIP(address) ? address.toLowerCase() : null;
}
