// Split-horizon for the host-routed demo: server-side requests to the demo's public origins go
// straight to the loopback address behind them.
//
// With DEMO_PUBLIC_URL set, the app is configured with the URLs a browser uses
// (https://oidc.demo.example.org, ...), as it would be with the real services, and its server
// calls some of them too (OIDC discovery and token, Supabase, Turnkey, the JWKS of AIR Kit).
// Sent out through DNS they would leave the machine and come back through the TLS proxy, and
// `*.localhost` names do not resolve in Node at all (browsers map them to loopback; getaddrinfo
// here does not). So the demo launcher loads this file into the app's process
// (NODE_OPTIONS=--import) and into its own, where the counterparts fetch the app's JWKS: it wraps
// globalThis.fetch and rewrites the origin of requests to a mapped public origin to its internal
// one, with X-Forwarded-Host/-Proto naming the public one, as the front proxy sets them. Path,
// query, method, headers and body are kept. Nothing else is touched: every other
// origin goes out unchanged. The app does not know this file exists; without it, the same URLs
// work through the front proxy.
//
// Plain JavaScript: it runs in the app's production process, where no TypeScript loader is.

const INSTALLED = Symbol.for("byo-auth.split-horizon");

/**
 * Wraps globalThis.fetch so that requests to a key of `routes` (public origin → internal
 * origin) go to the internal origin. Installing again replaces the routes.
 * @param {Readonly<Record<string, string>>} routes
 */
export function installSplitHorizon(routes) {
  const table = new Map(Object.entries(routes).map(([from, to]) => [new URL(from).origin, new URL(to).origin]));
  const current = globalThis.fetch;
  const original = current[INSTALLED] ?? current;
  /** @type {typeof fetch} */
  const wrapped = (input, init) => {
    const url = new URL(input instanceof Request ? input.url : input instanceof URL ? input.href : String(input));
    const target = table.get(url.origin);
    if (target === undefined) return original(input, init);
    const rewritten = new URL(`${url.pathname}${url.search}`, target).href;
    // What the front proxy would say: the origin the caller used. A counterpart that builds
    // absolute URLs from its request (oidc-provider's discovery document) then still hands out
    // public ones. Set last, so a caller cannot choose them.
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    headers.set("x-forwarded-host", url.host);
    headers.set("x-forwarded-proto", url.protocol.slice(0, -1));
    return original(input instanceof Request ? new Request(rewritten, input) : rewritten, { ...init, headers });
  };
  wrapped[INSTALLED] = original;
  globalThis.fetch = wrapped;
}

/**
 * DEMO_INTERNAL_ORIGINS as the launcher sets it: a JSON object of public origin → internal origin.
 * @param {string | undefined} value
 * @returns {Record<string, string>}
 */
export function parseRoutes(value) {
  if (!value) return {};
  const parsed = JSON.parse(value);
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw new Error("DEMO_INTERNAL_ORIGINS must be a JSON object");
  for (const [from, to] of Object.entries(parsed)) {
    if (typeof to !== "string" || !URL.canParse(from) || !URL.canParse(to)) throw new Error(`DEMO_INTERNAL_ORIGINS: bad route ${from}`);
  }
  return parsed;
}

const fromEnv = parseRoutes(process.env.DEMO_INTERNAL_ORIGINS);
if (Object.keys(fromEnv).length > 0) installSplitHorizon(fromEnv);
