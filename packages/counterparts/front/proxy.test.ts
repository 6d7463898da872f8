// The front proxy on real sockets: two echo backends stand for the app and a counterpart.
import { createServer, request, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { PublicRequestFilter } from "../lib/counterpart";
import { DEMO_VISITOR_HEADER } from "../lib/visitor";
import { CLIENT_IP_HEADER, VISITOR_COOKIE, clientAddress, hostNameOf, startFrontProxy, type RunningFrontProxy } from "./proxy";
import { PublicUrlError, parsePublicUrl, subOrigin } from "./public-url";

interface Echo {
  readonly who: string;
  readonly headers: IncomingHttpHeaders;
  readonly url: string;
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()!();
});

async function echoServer(who: string, extra: Record<string, string | string[]> = {}): Promise<string> {
  const server: Server = createServer((req, res) => {
    for (const [name, value] of Object.entries(extra)) res.setHeader(name, value);
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ who, headers: req.headers, url: req.url }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function front(
  options: {
    clientIpHeader?: string;
    publicUrl?: string;
    counterparts?: Record<string, string>;
    filters?: Record<string, PublicRequestFilter>;
  } = {},
) {
  const app = await echoServer("app", { "set-cookie": "app_session=1; Path=/; HttpOnly" });
  const oidc = await echoServer("oidc");
  const proxy: RunningFrontProxy = await startFrontProxy({
    publicUrl: parsePublicUrl(options.publicUrl ?? "http://demo.localhost:3000"),
    app,
    counterparts: options.counterparts ?? { oidc },
    host: "127.0.0.1",
    port: 0,
    ...(options.clientIpHeader ? { clientIpHeader: options.clientIpHeader } : {}),
    ...(options.filters ? { filters: options.filters } : {}),
  });
  closers.push(() => proxy.close());
  return { proxy, app, oidc };
}

/** A request to the proxy with an arbitrary Host (fetch cannot set Host). */
function get(
  proxyUrl: string,
  host: string,
  path = "/",
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${proxyUrl}${path}`, { headers: { host, ...headers } }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("parsePublicUrl / subOrigin", () => {
  it("takes an http(s) origin with a host name and derives one sub-host per counterpart", () => {
    const base = parsePublicUrl("https://demo.example.org");
    expect(subOrigin(base, "oidc")).toBe("https://oidc.demo.example.org");
    expect(subOrigin(parsePublicUrl("http://demo.localhost:3950/"), "mailbox")).toBe("http://mailbox.demo.localhost:3950");
  });

  it.each([
    ["ftp://demo.example.org", /http\(s\)/],
    ["https://demo.example.org/app", /origin only/],
    ["https://user:pw@demo.example.org", /origin only/],
    ["http://127.0.0.1:3000", /host name, not an IP/],
    ["http://[::1]:3000", /host name, not an IP/],
    ["http://localhost:3000", /two labels/],
    ["not a url", /http\(s\)/],
  ])("refuses %s", (value, message) => {
    expect(() => parsePublicUrl(value)).toThrow(PublicUrlError);
    expect(() => parsePublicUrl(value)).toThrow(message);
  });
});

describe("hostNameOf / clientAddress", () => {
  it("normalises Host: case, port and a trailing dot; rejects junk", () => {
    expect(hostNameOf("Demo.Localhost:3000")).toBe("demo.localhost");
    expect(hostNameOf("demo.example.org.")).toBe("demo.example.org");
    expect(hostNameOf(undefined)).toBeUndefined();
    expect(hostNameOf("a/b")).toBeUndefined();
    expect(hostNameOf("user@demo.example.org")).toBeUndefined();
  });

  it("takes the LAST entry of a list header (the one the trusted proxy appended), else the peer", () => {
    const req = (headers: IncomingHttpHeaders) => ({ headers, socket: { remoteAddress: "10.0.0.9" } }) as never;
    expect(clientAddress(req({ "x-forwarded-for": "6.6.6.6, 203.0.113.7" }), "x-forwarded-for")).toBe("203.0.113.7");
    expect(clientAddress(req({ "fly-client-ip": "198.51.100.2" }), "Fly-Client-IP")).toBe("198.51.100.2");
    expect(clientAddress(req({}), "x-forwarded-for")).toBe("10.0.0.9");
    expect(clientAddress(req({ "x-forwarded-for": "6.6.6.6" }), undefined)).toBe("10.0.0.9");
  });
});

describe("startFrontProxy", () => {
  it("routes by host name: the public host to the app, <name>.<host> to that counterpart", async () => {
    const { proxy } = await front();
    const app = JSON.parse((await get(proxy.url, "demo.localhost:3000", "/signin?x=1")).body) as Echo;
    expect(app).toMatchObject({ who: "app", url: "/signin?x=1" });
    // The backend sees the public Host and scheme, as the browser used them.
    expect(app.headers.host).toBe("demo.localhost:3000");
    expect(app.headers["x-forwarded-proto"]).toBe("http");
    expect(app.headers["x-forwarded-host"]).toBe("demo.localhost:3000");
    const oidc = JSON.parse((await get(proxy.url, "OIDC.demo.localhost:3000", "/.well-known/openid-configuration")).body) as Echo;
    expect(oidc.who).toBe("oidc");
    expect(proxy.routes).toEqual({
      "http://demo.localhost:3000": expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      "http://oidc.demo.localhost:3000": expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
    });
  });

  it("answers 421 for any other host, and never forwards it", async () => {
    const { proxy } = await front();
    for (const host of ["evil.example", "supabase.demo.localhost:3000", "x.oidc.demo.localhost", "127.0.0.1:3000", ""]) {
      const res = await get(proxy.url, host);
      expect(res.status, host).toBe(421);
      expect(res.body).toContain("demo.localhost:3000");
    }
  });

  it("replaces client-sent trust headers with its own: client address, visitor id, forwarded scheme", async () => {
    const { proxy } = await front();
    const forged = {
      [CLIENT_IP_HEADER]: "1.2.3.4",
      [DEMO_VISITOR_HEADER]: "AAAAAAAAAAAAAAAAAAAAAA",
      "x-forwarded-proto": "https",
      "x-forwarded-for": "1.2.3.4",
    };
    const echo = JSON.parse((await get(proxy.url, "demo.localhost:3000", "/", forged)).body) as Echo;
    expect(echo.headers[CLIENT_IP_HEADER]).toBe("127.0.0.1");
    // No cookie: no visitor at all (never the forged one, never a made-up one).
    expect(echo.headers[DEMO_VISITOR_HEADER]).toBeUndefined();
    expect(echo.headers["x-forwarded-proto"]).toBe("http");
    expect(echo.headers["x-forwarded-for"]).toBeUndefined();
  });

  it("behind a TLS proxy, takes the client from the configured header's last entry", async () => {
    const { proxy } = await front({ clientIpHeader: "x-forwarded-for", publicUrl: "https://demo.example.org" });
    const echo = JSON.parse((await get(proxy.url, "demo.example.org", "/", { "x-forwarded-for": "6.6.6.6, 203.0.113.7" })).body) as Echo;
    expect(echo.headers[CLIENT_IP_HEADER]).toBe("203.0.113.7");
    expect(echo.headers["x-forwarded-proto"]).toBe("https");
  });

  it("issues a visitor cookie once, for the public host and its sub-hosts, beside the backend's own cookies", async () => {
    const { proxy } = await front({ publicUrl: "https://demo.example.org" });
    const first = await get(proxy.url, "demo.example.org");
    const cookies = first.headers["set-cookie"] ?? [];
    expect(cookies).toContain("app_session=1; Path=/; HttpOnly");
    const visitor = cookies.find((c) => c.startsWith(`${VISITOR_COOKIE}=`));
    expect(visitor).toMatch(
      /^demo_visitor=[A-Za-z0-9_-]{43}; Domain=demo\.example\.org; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Lax; Secure$/,
    );
    const id = visitor!.split(";")[0]!.split("=")[1]!;
    // The request that gets the cookie names no visitor yet; the browser's next ones do.
    expect((JSON.parse(first.body) as Echo).headers[DEMO_VISITOR_HEADER]).toBeUndefined();

    // A returning browser keeps its id (on a sub-host too) and gets no new cookie.
    const again = await get(proxy.url, "oidc.demo.example.org", "/", { cookie: `other=1; ${VISITOR_COOKIE}=${id}` });
    expect((JSON.parse(again.body) as Echo).headers[DEMO_VISITOR_HEADER]).toBe(id);
    expect(again.headers["set-cookie"]).toBeUndefined();

    // A malformed cookie is replaced, not trusted.
    const bad = await get(proxy.url, "demo.example.org", "/", { cookie: `${VISITOR_COOKIE}=x;y` });
    expect((JSON.parse(bad.body) as Echo).headers[DEMO_VISITOR_HEADER]).toBeUndefined();
    expect(bad.headers["set-cookie"]?.some((c) => c.startsWith(`${VISITOR_COOKIE}=`))).toBe(true);
  });

  it("answers 502 with a plain message when a backend is down, and keeps serving the others", async () => {
    const { proxy } = await front({ counterparts: { oidc: "http://127.0.0.1:1" } });
    const down = await get(proxy.url, "oidc.demo.localhost:3000");
    expect(down.status).toBe(502);
    expect(down.body).toMatch(/not answering/);
    expect(down.body).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
    expect((await get(proxy.url, "demo.localhost:3000")).status).toBe(200);
  });

  it("keeps the launcher's /counterpart/v1 routes and whatever a counterpart's filter refuses off the internet", async () => {
    const seen: string[] = [];
    const { proxy } = await front({
      filters: {
        oidc: ({ method, pathname, headers }) => {
          seen.push(`${method} ${pathname}`);
          return pathname.startsWith("/open") && headers.authorization === undefined;
        },
      },
    });
    expect((await get(proxy.url, "oidc.demo.localhost:3000", "/counterpart/v1/fault")).status).toBe(403);
    expect((await get(proxy.url, "oidc.demo.localhost:3000", "/counterpart/v1")).status).toBe(403);
    expect((await get(proxy.url, "oidc.demo.localhost:3000", "/closed?x=/open")).status).toBe(403);
    expect((await get(proxy.url, "oidc.demo.localhost:3000", "/open", { authorization: "Bearer owner" })).status).toBe(403);
    const open = await get(proxy.url, "oidc.demo.localhost:3000", "/open/page?q=1");
    expect(open.status).toBe(200);
    expect((JSON.parse(open.body) as Echo).url).toBe("/open/page?q=1");
    // The filter saw the path without the query; the app's host has no filter at all.
    expect(seen).toContain("GET /closed");
    expect((await get(proxy.url, "demo.localhost:3000", "/counterpart/v1/fault")).status).toBe(200);
  });
});
