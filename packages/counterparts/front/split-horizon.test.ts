// The split-horizon preload in a child process, as the launcher loads it into the app
// (NODE_OPTIONS=--import): fetches to a mapped public origin reach the internal one.
import { execFile } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseRoutes } from "./split-horizon.mjs";

const run = promisify(execFile);
const PRELOAD = fileURLToPath(new URL("./split-horizon.mjs", import.meta.url));

let server: Server;
let internal: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () =>
      res.end(
        JSON.stringify({
          method: req.method,
          url: req.url,
          auth: req.headers.authorization ?? null,
          forwarded: `${req.headers["x-forwarded-proto"]}://${req.headers["x-forwarded-host"]}`,
          body,
        }),
      ),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  internal = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Runs `script` in a fresh Node with the preload and DEMO_INTERNAL_ORIGINS, returning its stdout. */
async function inChild(script: string, routes: Record<string, string>): Promise<string> {
  const { stdout } = await run(process.execPath, ["--import", PRELOAD, "--input-type=module", "-e", script], {
    env: { ...process.env, NODE_OPTIONS: "", DEMO_INTERNAL_ORIGINS: JSON.stringify(routes) },
    timeout: 20_000,
  });
  return stdout.trim();
}

describe("split-horizon preload", () => {
  it("sends a string, URL or Request for a mapped public origin to the internal origin, keeping path, query, method, headers and body", async () => {
    const out = await inChild(
      `const base = "http://oidc.demo.localhost:3950";
       const a = await (await fetch(base + "/token?x=1")).json();
       const b = await (await fetch(new URL("/jwks", base))).json();
       const c = await (await fetch(new Request(base + "/p", { method: "POST", body: "hi", headers: { authorization: "Bearer t" } }))).json();
       const d = await (await fetch(base + "/q", { method: "PUT", body: "yo", headers: { "x-forwarded-host": "evil.example" } })).json();
       console.log(JSON.stringify([a, b, c, d]));`,
      { "http://oidc.demo.localhost:3950": internal },
    );
    // The counterpart learns the public origin the caller used (and only from the preload).
    const forwarded = "http://oidc.demo.localhost:3950";
    expect(JSON.parse(out)).toEqual([
      { method: "GET", url: "/token?x=1", auth: null, forwarded, body: "" },
      { method: "GET", url: "/jwks", auth: null, forwarded, body: "" },
      { method: "POST", url: "/p", auth: "Bearer t", forwarded, body: "hi" },
      { method: "PUT", url: "/q", auth: null, forwarded, body: "yo" },
    ]);
  });

  it("leaves every other origin alone (an unmapped *.localhost name still fails to resolve in Node)", async () => {
    const out = await inChild(
      `try { await fetch("http://other.demo.localhost:3950/"); console.log("reached"); }
       catch (e) { console.log(e.cause?.code ?? e.message); }`,
      { "http://oidc.demo.localhost:3950": internal },
    );
    expect(out).toBe("ENOTFOUND");
  });

  it("parses DEMO_INTERNAL_ORIGINS strictly", () => {
    expect(parseRoutes(undefined)).toEqual({});
    expect(parseRoutes('{"https://a.example":"http://127.0.0.1:1"}')).toEqual({ "https://a.example": "http://127.0.0.1:1" });
    expect(() => parseRoutes("[]")).toThrow(/JSON object/);
    expect(() => parseRoutes('{"nope":"http://127.0.0.1:1"}')).toThrow(/bad route/);
    expect(() => parseRoutes('{"https://a.example":1}')).toThrow(/bad route/);
  });
});
