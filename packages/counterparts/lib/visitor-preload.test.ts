/**
 * ./visitor-preload.mjs in a real Node process, loaded as the launcher loads it into the app
 * (NODE_OPTIONS=--import=…): a node:http server whose handler awaits fetches, as the app's
 * route handlers do, towards an origin on DEMO_VISITOR_FORWARD_ORIGINS and one that is not.
 * Two echo servers in this process record what arrives.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeServer } from "./http";
import { DEMO_VISITOR_FORWARD_ORIGINS_ENV, DEMO_VISITOR_HEADER, newVisitorId, visitorPreloadNodeOption } from "./visitor";

interface Arrival {
  readonly server: "allowed" | "other";
  readonly path: string;
  readonly label: string | null;
  readonly visitor: string | string[] | undefined;
}

/** What the app's code itself puts in the header (a library that copies headers, a bug, …). */
const CALLER_VALUE = "caller-supplied-value-0000000000";

// The child: fetches once at start-up (outside any request), then serves GET /go?label=…&group=…&size=…
// Requests of one group wait until all `size` of them are in, so their contexts are alive at once.
const CHILD = `
import http from "node:http";
const { ALLOWED, OTHER, CALLER } = process.env;
await fetch(ALLOWED + "/startup", { headers: { "x-demo-visitor": CALLER } });
const groups = new Map();
function arrive(group, size) {
  let g = groups.get(group);
  if (!g) { let release; g = { count: 0, done: new Promise((r) => (release = r)) }; g.release = release; groups.set(group, g); }
  if (++g.count >= size) g.release();
  return g.done;
}
const server = http.createServer(async (req, res) => {
  const url = new URL(req.url, "http://child.invalid");
  const label = url.searchParams.get("label");
  if (url.pathname === "/callbacks") {
    // Callback style: the body's events come from the socket, not from the request handler.
    let length = 0;
    req.on("data", (chunk) => (length += chunk.length));
    req.on("end", () => {
      setTimeout(() => fetch(ALLOWED + "/from-callback?label=" + label).then(() => res.end("done")), Math.random() * 20);
    });
    return;
  }
  await arrive(url.searchParams.get("group") ?? label, Number(url.searchParams.get("size") ?? 1));
  await new Promise((r) => setTimeout(r, Math.random() * 20));
  const q = "?label=" + label;
  await fetch(ALLOWED + "/string" + q);
  await fetch(new URL(ALLOWED + "/url" + q));
  await fetch(new Request(ALLOWED + "/request" + q, { method: "POST", body: "x", headers: { "x-demo-visitor": CALLER } }));
  await fetch(ALLOWED + "/caller-header" + q, { headers: { "x-demo-visitor": CALLER } });
  await fetch(OTHER + "/plain" + q);
  await fetch(OTHER + "/caller-header" + q, { headers: { "x-demo-visitor": CALLER } });
  res.end("done");
});
server.listen(0, "127.0.0.1", () => console.log("listening " + server.address().port));
`;

function startEcho(name: Arrival["server"], arrivals: Arrival[]): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://echo.invalid");
    arrivals.push({ server: name, path: url.pathname, label: url.searchParams.get("label"), visitor: req.headers[DEMO_VISITOR_HEADER] });
    req.resume();
    req.on("end", () => res.end("ok"));
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve({ server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })),
  );
}

function spawnNode(args: string[], env: Record<string, string>): ChildProcessWithoutNullStreams {
  const { NODE_OPTIONS: _ignored, ...inherited } = process.env;
  return spawn(process.execPath, args, { env: { ...inherited, NODE_OPTIONS: visitorPreloadNodeOption(), ...env } });
}

describe("visitor-preload.mjs in a node process", () => {
  const arrivals: Arrival[] = [];
  let allowed: { server: Server; origin: string };
  let other: { server: Server; origin: string };
  let child: ChildProcessWithoutNullStreams;
  let childUrl: string;
  let stdout = "";

  beforeAll(async () => {
    allowed = await startEcho("allowed", arrivals);
    other = await startEcho("other", arrivals);
    child = spawnNode(["--input-type=module", "-e", CHILD], {
      // Same host as `other`, another port: origins, not hosts, decide. Spaces and a trailing slash are tolerated.
      [DEMO_VISITOR_FORWARD_ORIGINS_ENV]: ` ${allowed.origin}/ ,http://127.0.0.1:1`,
      ALLOWED: allowed.origin,
      OTHER: other.origin,
      CALLER: CALLER_VALUE,
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    childUrl = await new Promise<string>((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => {
        stdout += chunk.toString();
        const port = /listening (\d+)/.exec(stdout)?.[1];
        if (port) resolve(`http://127.0.0.1:${port}`);
      });
      child.on("exit", (code) => reject(new Error(`child exited (${code}): ${stderr}`)));
    });
  });
  afterAll(async () => {
    child?.kill();
    await Promise.all([allowed && closeServer(allowed.server), other && closeServer(other.server)]);
  });

  const go = async (label: string, visitor: string | undefined, group?: { name: string; size: number }) => {
    const query = new URLSearchParams({ label, ...(group ? { group: group.name, size: String(group.size) } : {}) });
    const response = await fetch(`${childUrl}/go?${query}`, { headers: visitor === undefined ? {} : { [DEMO_VISITOR_HEADER]: visitor } });
    expect(await response.text()).toBe("done");
  };
  const receivedBy = (label: string) => arrivals.filter((a) => a.label === label);

  it("says once, at start, where it forwards the header", () => {
    expect(stdout).toContain(`[demo] ${DEMO_VISITOR_HEADER} is forwarded to ${allowed.origin}, http://127.0.0.1:1`);
  });

  it("outside any request, removes even a caller's header on the way to an allowed origin", () => {
    expect(arrivals.find((a) => a.path === "/startup")).toEqual({ server: "allowed", path: "/startup", label: null, visitor: undefined });
  });

  it("sends the request's visitor to the allowed origin, whatever form fetch's arguments take, and nothing to another origin", async () => {
    const visitor = newVisitorId();
    await go("single", visitor);
    expect(receivedBy("single")).toEqual([
      { server: "allowed", path: "/string", label: "single", visitor },
      { server: "allowed", path: "/url", label: "single", visitor },
      { server: "allowed", path: "/request", label: "single", visitor },
      { server: "allowed", path: "/caller-header", label: "single", visitor },
      { server: "other", path: "/plain", label: "single", visitor: undefined },
      // Another origin gets exactly what the caller sent: untouched, never the visitor.
      { server: "other", path: "/caller-header", label: "single", visitor: CALLER_VALUE },
    ]);
  });

  it("keeps concurrent requests' visitors apart", async () => {
    const visitors = Array.from({ length: 6 }, () => newVisitorId());
    await Promise.all(visitors.map((v, i) => go(`concurrent-${i}`, v, { name: "concurrent", size: visitors.length })));
    visitors.forEach((visitor, i) => {
      const got = receivedBy(`concurrent-${i}`);
      expect(got.filter((a) => a.server === "allowed").map((a) => a.visitor)).toEqual([visitor, visitor, visitor, visitor]);
      expect(got.filter((a) => a.server === "other").map((a) => a.visitor)).toEqual([undefined, CALLER_VALUE]);
    });
  });

  it("keeps the visitor in callbacks of the request's own events (a body read with req.on), for concurrent requests", async () => {
    const visitors = [newVisitorId(), newVisitorId(), newVisitorId()];
    await Promise.all(
      visitors.map(async (visitor, i) => {
        const response = await fetch(`${childUrl}/callbacks?label=callbacks-${i}`, {
          method: "POST",
          headers: { [DEMO_VISITOR_HEADER]: visitor },
          // Large enough to arrive in several chunks.
          body: "x".repeat(512 * 1024),
        });
        expect(await response.text()).toBe("done");
      }),
    );
    visitors.forEach((visitor, i) => {
      expect(receivedBy(`callbacks-${i}`)).toEqual([{ server: "allowed", path: "/from-callback", label: `callbacks-${i}`, visitor }]);
    });
  });

  it.each([
    ["no header", undefined],
    ["a malformed one", "not-a-visitor-id"],
  ])("with %s, sends none (and removes the caller's), even while other requests carry one", async (name, header) => {
    const label = `none-${name.replace(/\W+/g, "-")}`;
    const group = { name: label, size: 2 };
    await Promise.all([go(label, header, group), go(`${label}-neighbour`, newVisitorId(), group)]);
    expect(receivedBy(label).map((a) => [a.server, a.visitor])).toEqual([
      ["allowed", undefined],
      ["allowed", undefined],
      ["allowed", undefined],
      ["allowed", undefined],
      ["other", undefined],
      ["other", CALLER_VALUE],
    ]);
  });
});

describe("visitor-preload.mjs configuration", () => {
  it.each([
    ["a path", "http://127.0.0.1:3103/emails", "is not an origin"],
    ["another scheme", "ftp://127.0.0.1:3103", "is not an origin"],
    ["not a URL", "127.0.0.1:3103x", "is not a URL"],
  ])("refuses to start the process when an entry is %s", async (_name, entry, message) => {
    const child = spawnNode(["-e", "console.log('started')"], { [DEMO_VISITOR_FORWARD_ORIGINS_ENV]: `http://127.0.0.1:3101,${entry}` });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (out += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(code).not.toBe(0);
    expect(out).toContain(`${DEMO_VISITOR_FORWARD_ORIGINS_ENV}: ${JSON.stringify(entry)} ${message}`);
    expect(out).not.toContain("started");
  });
});
