/**
 * The demo's front door: one listening port for everything a browser needs, routed by host
 * name (`npm run demo` with DEMO_PUBLIC_URL). The app is served on the public host itself, each
 * browser-facing counterpart on `<name>.<public host>` (./public-url.ts). Proxying is httpxy's
 * (a maintained fork of http-proxy); this file only decides where a request goes and which
 * headers the backends may trust.
 *
 * Invariants:
 * - A request reaches a backend only if its Host names the public host or one of its
 *   sub-hosts; anything else gets 421 (a request meant for another site, or DNS rebinding).
 * - The headers this proxy vouches for are deleted from every incoming request before they
 *   are set, so a client can never supply them:
 *     x-demo-client-ip  the client's address: the TCP peer's, or, behind a TLS proxy or host
 *                       router (`clientIpHeader`), the address that proxy reports: the LAST
 *                       entry of a list header such as X-Forwarded-For, the one it appended
 *                       (earlier entries are whatever the client claimed);
 *     x-demo-visitor    this browser's visitor id (../lib/visitor.ts), from its `demo_visitor`
 *                       cookie; counterparts use it to show a visitor only their own things
 *                       (the mailbox). Only with the cookie: a request without one (the first
 *                       page load, or a page's cross-origin API call, which browsers send
 *                       without cookies) names no visitor rather than a made-up one, which
 *                       would claim mail for a visitor nobody is. It gets the cookie instead;
 *     x-forwarded-proto/-host  the public scheme and host, so backends that build absolute URLs
 *                       or mark cookies Secure see the origin the browser used.
 * - The visitor cookie is scoped to the public host and its sub-hosts (Domain), HttpOnly,
 *   SameSite=Lax, and Secure whenever the public URL is https. It is an identifier for
 *   separating visitors' demo data, not a credential of anything.
 * - Backends listen on loopback only; this proxy is the one way in.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createProxyServer } from "httpxy";
import type { PublicRequestFilter } from "../lib/counterpart";
import type { RunningService } from "../lib/http";
import { DEMO_VISITOR_HEADER, newVisitorId, parseVisitorId } from "../lib/visitor";
import { subOrigin } from "./public-url";

export const CLIENT_IP_HEADER = "x-demo-client-ip";
export const VISITOR_COOKIE = "demo_visitor";
/** The visitor id outlives a day of demo data; a browser keeps its id for a month. */
const VISITOR_COOKIE_MAX_AGE_S = 30 * 24 * 3600;

export interface FrontProxyOptions {
  /** The demo's public origin (DEMO_PUBLIC_URL, parsed by parsePublicUrl). */
  readonly publicUrl: URL;
  /** Where the app listens (an internal origin, e.g. http://127.0.0.1:3100). */
  readonly app: string;
  /** Internal origin of each browser-facing counterpart, served at `<name>.<public host>`. */
  readonly counterparts: Readonly<Record<string, string>>;
  /** Per counterpart, which requests may pass (all when absent); see Counterpart.publicRequest. */
  readonly filters?: Readonly<Record<string, PublicRequestFilter>>;
  readonly host: string;
  readonly port: number;
  /**
   * The header in which the TLS-terminating proxy or host router in front reports the client's
   * address: `x-forwarded-for` (Caddy, nginx with `$proxy_add_x_forwarded_for`, most hosts'
   * routers; its last entry counts), or a single-valued one such as `fly-client-ip`. Unset: the
   * TCP peer's address. Never set it when clients reach this port directly: they could then
   * pick their own address.
   */
  readonly clientIpHeader?: string;
  readonly log?: (line: string) => void;
}

export interface RunningFrontProxy extends RunningService {
  /** Public origin → internal origin, for every route (what the split-horizon preload maps). */
  readonly routes: Readonly<Record<string, string>>;
}

/** `host[:port]` → lower-case host name without port or trailing dot; undefined if unparseable. */
export function hostNameOf(hostHeader: string | undefined): string | undefined {
  if (!hostHeader || !URL.canParse(`http://${hostHeader}`)) return undefined;
  const url = new URL(`http://${hostHeader}`);
  if (url.username || url.password || url.pathname !== "/") return undefined;
  return url.hostname.replace(/\.$/, "").toLowerCase();
}

/** The client address this proxy vouches for (see the invariants above). */
export function clientAddress(req: IncomingMessage, clientIpHeader: string | undefined): string | undefined {
  if (clientIpHeader) {
    const reported = req.headers[clientIpHeader.toLowerCase()];
    const last = (Array.isArray(reported) ? reported.join(",") : (reported ?? "")).split(",").at(-1)?.trim();
    // Without the header the request did not pass the proxy in front (a health check on the
    // host itself): the peer's address, as for any direct connection.
    if (last) return last;
  }
  return req.socket.remoteAddress ?? undefined;
}

function cookieValue(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

function visitorCookie(id: string, publicUrl: URL): string {
  const secure = publicUrl.protocol === "https:" ? "; Secure" : "";
  return `${VISITOR_COOKIE}=${id}; Domain=${publicUrl.hostname}; Path=/; Max-Age=${VISITOR_COOKIE_MAX_AGE_S}; HttpOnly; SameSite=Lax${secure}`;
}

function sendPlain(res: ServerResponse, status: number, text: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" });
  res.end(`${text}\n`);
}

/** Host name → [public origin, internal origin, counterpart name], for the app and each counterpart. */
function routeTable(
  options: Pick<FrontProxyOptions, "publicUrl" | "app" | "counterparts">,
): Map<string, readonly [string, string, string | undefined]> {
  const base = options.publicUrl;
  const table = new Map<string, readonly [string, string, string | undefined]>([[base.hostname, [base.origin, options.app, undefined]]]);
  for (const [name, target] of Object.entries(options.counterparts)) {
    const origin = subOrigin(base, name);
    table.set(new URL(origin).hostname, [origin, target, name]);
  }
  return table;
}

/** The counterparts' own routes for the launcher and tests (fault injection, keys): never public. */
const LAUNCHER_ONLY_PATH = /^\/counterpart\/v1(\/|$)/;

/** Public origin → internal origin for every route: what the split-horizon preload maps. */
export function frontRoutes(options: Pick<FrontProxyOptions, "publicUrl" | "app" | "counterparts">): Record<string, string> {
  return Object.fromEntries([...routeTable(options).values()].map(([from, to]) => [from, to]));
}

export async function startFrontProxy(options: FrontProxyOptions): Promise<RunningFrontProxy> {
  const log = options.log ?? (() => undefined);
  const base = options.publicUrl;
  const table = routeTable(options);

  // xfwd off: this proxy sets the forwarded headers itself (above), it does not append a
  // client-controlled chain. changeOrigin off: backends see the public Host.
  const proxy = createProxyServer({ xfwd: false, changeOrigin: false, proxyTimeout: 60_000 });
  const issued = new WeakMap<IncomingMessage, string>();
  proxy.on("proxyRes", (proxyRes, req) => {
    const id = issued.get(req);
    if (id === undefined) return;
    const existing = proxyRes.headers["set-cookie"] ?? [];
    proxyRes.headers["set-cookie"] = [...existing, visitorCookie(id, base)];
  });
  proxy.on("error", (error, req, res) => {
    log(`front: ${req?.headers.host ?? "?"} ${req?.method ?? ""} ${req?.url?.split("?")[0] ?? ""}: ${(error as Error).message}`);
    if (res && "writeHead" in res) sendPlain(res, 502, "This part of the demo is not answering right now. Try again in a moment.");
    else res?.destroy();
  });

  const server: Server = createServer((req, res) => {
    const route = table.get(hostNameOf(req.headers.host) ?? "");
    if (!route) {
      sendPlain(res, 421, `This server answers only for ${base.host} and its sub-hosts.`);
      return;
    }
    const name = route[2];
    if (name !== undefined) {
      const pathname = new URL(req.url ?? "/", "http://front.invalid").pathname;
      const filter = options.filters?.[name];
      if (LAUNCHER_ONLY_PATH.test(pathname) || (filter && !filter({ method: req.method ?? "GET", pathname, headers: req.headers }))) {
        sendPlain(res, 403, "This part of the local stand-in is not open to visitors of the demo.");
        return;
      }
    }
    delete req.headers[CLIENT_IP_HEADER];
    delete req.headers[DEMO_VISITOR_HEADER];
    const address = clientAddress(req, options.clientIpHeader);
    if (address) req.headers[CLIENT_IP_HEADER] = address;
    const visitor = parseVisitorId(cookieValue(req, VISITOR_COOKIE));
    if (visitor !== undefined) req.headers[DEMO_VISITOR_HEADER] = visitor;
    else issued.set(req, newVisitorId());
    req.headers["x-forwarded-proto"] = base.protocol.slice(0, -1);
    req.headers["x-forwarded-host"] = req.headers.host ?? base.host;
    delete req.headers["x-forwarded-for"];
    delete req.headers["forwarded"];
    proxy.web(req, res, { target: route[1] }).catch(() => {
      // Reported through the "error" event above.
    });
  });
  // A proxy that upgrades nothing: the demo runs production builds (no dev-server sockets).
  server.on("upgrade", (_req, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const routes = frontRoutes(options);
  return {
    name: "front",
    url: `http://${address.family === "IPv6" ? `[${address.address}]` : address.address}:${address.port}`,
    routes,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        proxy.close();
      }),
  };
}
