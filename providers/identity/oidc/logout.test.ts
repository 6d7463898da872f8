import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { endSessionEndpoint, oidcLogoutUrl } from "./logout";

// One loopback server plays several providers, told apart by path: /with, /without, /http-elsewhere.
let server: Server;
let base: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    const docs: Record<string, unknown> = {
      "/with/.well-known/openid-configuration": { issuer: `${base}/with`, end_session_endpoint: `${base}/with/session/end` },
      "/without/.well-known/openid-configuration": { issuer: `${base}/without` },
      "/http-elsewhere/.well-known/openid-configuration": { end_session_endpoint: "http://idp.example.com/logout" },
      "/script/.well-known/openid-configuration": { end_session_endpoint: "javascript:alert(1)" },
    };
    const doc = docs[req.url ?? ""];
    res.writeHead(doc ? 200 : 404, { "content-type": "application/json" }).end(JSON.stringify(doc ?? {}));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("RP-initiated logout", () => {
  it("sends the browser to end_session_endpoint with id_token_hint, client_id, the registered post-logout URI and our state", async () => {
    const url = new URL(
      (await oidcLogoutUrl({
        issuer: `${base}/with`,
        clientId: "app",
        idToken: "eyJ.id.token",
        postLogoutRedirectUri: "https://app.example.com/signin",
      }))!,
    );
    expect(`${url.origin}${url.pathname}`).toBe(`${base}/with/session/end`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      id_token_hint: "eyJ.id.token",
      client_id: "app",
      post_logout_redirect_uri: "https://app.example.com/signin",
      state: "signed_out",
    });
  });

  it.each(["without", "http-elsewhere", "script", "missing"])(
    "offers no logout URL when the provider (%s) publishes no usable endpoint",
    async (path) => {
      expect(await endSessionEndpoint(`${base}/${path}`)).toBeNull();
      expect(
        await oidcLogoutUrl({
          issuer: `${base}/${path}`,
          clientId: "app",
          idToken: undefined,
          postLogoutRedirectUri: "https://app.example.com/signin",
        }),
      ).toBeNull();
    },
  );

  it("offers none when the provider cannot be reached", async () => {
    expect(await endSessionEndpoint("http://127.0.0.1:9/")).toBeNull();
  });
});
