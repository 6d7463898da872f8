// The app's server entry stamps each request with its TCP peer address, over anything the client
// sent under that name, so lib/security/client-ip.ts can key limits on the connection. Real
// sockets, from distinct loopback source addresses (Linux routes all of 127.0.0.0/8 locally).
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { clientIp, PEER_ADDRESS_HEADER, servedByAppServer } from "@/lib/security/client-ip";
import { adoptBuildConfig, PEER_ADDRESS_HEADER as SERVER_PEER_HEADER, SERVED_BY_APP_SERVER_KEY, withPeerAddress } from "./server.mjs";

let server: Server;
let port: number;

beforeAll(async () => {
  // The listener reads the headers as Next.js hands them to a route handler: from req.headers.
  server = createServer(
    withPeerAddress((req, res) => {
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
      res.end(JSON.stringify({ peer: req.headers[PEER_ADDRESS_HEADER] ?? null, key: clientIp(headers, undefined) }));
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function get(from: string, headers: Record<string, string | string[]> = {}): Promise<{ peer: string | null; key: string | null }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path: "/", localAddress: from, headers }, (res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => (body += chunk.toString()));
      res.on("end", () => resolve(JSON.parse(body) as { peer: string | null; key: string | null }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("scripts/server.mjs", () => {
  it("marks the process, so the app trusts the peer header only under this server", () => {
    expect(servedByAppServer()).toBe(true);
  });

  it("names the header and the process mark exactly as the app reads them", () => {
    expect(SERVER_PEER_HEADER).toBe(PEER_ADDRESS_HEADER);
    expect(SERVED_BY_APP_SERVER_KEY).toBe("byo-auth.served-by-app-server");
  });

  it("gives each connection its own client key, whatever forwarding headers the client sends", async () => {
    expect(await get("127.0.0.2")).toEqual({ peer: "127.0.0.2", key: "127.0.0.2" });
    const forged = await get("127.0.0.3", {
      [PEER_ADDRESS_HEADER]: "203.0.113.9",
      "X-Byo-Peer-Address": "203.0.113.10",
      "x-forwarded-for": "203.0.113.11",
    });
    expect(forged).toEqual({ peer: "127.0.0.3", key: "127.0.0.3" });
    expect(await get("127.0.0.3", { [PEER_ADDRESS_HEADER]: ["203.0.113.9", "203.0.113.12"] })).toEqual({
      peer: "127.0.0.3",
      key: "127.0.0.3",
    });
  });

  describe("adoptBuildConfig (the standalone folder has no next.config.ts)", () => {
    const KEY = "__NEXT_PRIVATE_STANDALONE_CONFIG";
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), "server-"));
      delete process.env[KEY];
    });
    afterEach(() => {
      delete process.env[KEY];
      rmSync(dir, { recursive: true, force: true });
    });

    it("runs with the configuration the build recorded, as Next.js's generated server.js does", () => {
      mkdirSync(join(dir, ".next"));
      writeFileSync(
        join(dir, ".next", "required-server-files.json"),
        JSON.stringify({ version: 1, config: { output: "standalone", distDir: ".next" } }),
      );
      adoptBuildConfig(dir);
      expect(JSON.parse(process.env[KEY]!)).toEqual({ output: "standalone", distDir: ".next" });
    });

    it("leaves a configuration already given alone, and does nothing without a build", () => {
      adoptBuildConfig(dir);
      expect(process.env[KEY]).toBeUndefined();
      process.env[KEY] = JSON.stringify({ given: true });
      mkdirSync(join(dir, ".next"));
      writeFileSync(join(dir, ".next", "required-server-files.json"), JSON.stringify({ config: { output: "standalone" } }));
      adoptBuildConfig(dir);
      expect(JSON.parse(process.env[KEY]!)).toEqual({ given: true });
    });
  });
});
