// The demo's one public origin and the sub-hosts derived from it. With
// DEMO_PUBLIC_URL=https://demo.example.org the app is at https://demo.example.org and a
// browser-facing counterpart named `oidc` at https://oidc.demo.example.org: same scheme, same
// port, one more label. Sub-hosts rather than path prefixes because the Firebase Auth Emulator
// (whose browser SDK always calls `<emulator>/identitytoolkit.googleapis.com/...`) and an
// OpenID Provider's interaction pages both need the root path of their origin.

export class PublicUrlError extends Error {
  override readonly name = "PublicUrlError";
}

/**
 * Parses DEMO_PUBLIC_URL: an http(s) origin whose host is a DNS name (sub-hosts cannot hang
 * off an IP address), with nothing after the origin. Returns the normalised URL.
 */
export function parsePublicUrl(value: string, variable = "DEMO_PUBLIC_URL"): URL {
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:")) {
    throw new PublicUrlError(`${variable} must be an http(s) URL such as https://demo.example.org (got ${JSON.stringify(value)})`);
  }
  if (url.username || url.password || url.search || url.hash || (url.pathname !== "/" && url.pathname !== "")) {
    throw new PublicUrlError(`${variable} must be an origin only (scheme, host and port), without path, query or credentials`);
  }
  const hostname = url.hostname;
  if (/^[\d.]+$/.test(hostname) || hostname.startsWith("[")) {
    throw new PublicUrlError(
      `${variable} needs a host name, not an IP address: each counterpart gets a sub-host of it (use http://demo.localhost:<port> on one machine)`,
    );
  }
  if (!hostname.includes(".")) {
    // `localhost` itself: its sub-hosts resolve in browsers, but a cookie cannot be scoped to a
    // single-label domain, so the visitor id could not reach the sub-hosts.
    throw new PublicUrlError(
      `${variable} needs a host with at least two labels, e.g. http://demo.localhost:3000 instead of http://localhost:3000`,
    );
  }
  return new URL(url.origin);
}

/** The origin at which a counterpart named `name` is served: `<scheme>//<name>.<host>[:port]`. */
export function subOrigin(base: URL, name: string): string {
  if (!/^[a-z][a-z0-9-]{0,62}$/.test(name)) throw new PublicUrlError(`counterpart name ${JSON.stringify(name)} is not a DNS label`);
  return `${base.protocol}//${name}.${base.host}`;
}
