import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { FAULT_PATH, HttpError, closeServer, createServer, listen, sendJson } from "./http";

describe("http router", () => {
  let url: string;
  const server = createServer(
    [
      { method: "GET", path: "/ok", handler: (ctx) => sendJson(ctx.res, 200, { ok: true, q: ctx.url.searchParams.get("q") }) },
      { method: "POST", path: "/echo", handler: async (ctx) => sendJson(ctx.res, 200, { body: await ctx.readJson() }) },
      {
        method: "GET",
        path: "/teapot",
        handler: () => {
          throw new HttpError(418, "teapot", "I am a teapot", { details: { spout: 1, code: "ignored" }, headers: { "Retry-After": "7" } });
        },
      },
      {
        method: "GET",
        path: "/boom",
        handler: () => {
          throw new Error("secret database password in message");
        },
      },
    ],
    { cors: { allowedOrigins: ["http://app.test"] }, logger: { error: vi.fn() } },
  );

  beforeAll(async () => {
    url = await listen(server, 0);
  });
  afterAll(async () => {
    await closeServer(server);
  });

  const post = (body: string, headers: Record<string, string> = { "Content-Type": "application/json" }) =>
    fetch(`${url}/echo`, { method: "POST", headers, body });

  it("routes and parses JSON bodies", async () => {
    expect(await (await fetch(`${url}/ok?q=1`)).json()).toEqual({ ok: true, q: "1" });
    const echoed = await post('{"a":[1,2]}', { "Content-Type": "application/json; charset=utf-8" });
    expect(await echoed.json()).toEqual({ body: { a: [1, 2] } });
  });

  it.each([
    ["unknown route", () => fetch(`${url}/missing`), 404, "not_found"],
    ["wrong method", () => fetch(`${url}/ok`, { method: "DELETE" }), 405, "method_not_allowed"],
    ["bad JSON", () => post("{"), 400, "invalid_json"],
    ["empty body", () => post(""), 400, "invalid_json"],
    ["not JSON media type", () => post("{}", { "Content-Type": "text/plain" }), 415, "unsupported_media_type"],
    ["64 KiB + 1", () => post(JSON.stringify("x".repeat(64 * 1024 - 1))), 413, "payload_too_large"],
    ["HttpError", () => fetch(`${url}/teapot`), 418, "teapot"],
  ])("%s → %i %s", async (_name, request, status, code) => {
    const response = await request();
    expect(response.status).toBe(status);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe(code);
    expect(typeof body.error.message).toBe("string");
  });

  it("accepts a body of exactly 64 KiB", async () => {
    const response = await post(JSON.stringify("x".repeat(64 * 1024 - 2)));
    expect(response.status).toBe(200);
  });

  it("answers 413 for an oversized chunked body (no Content-Length)", async () => {
    const { request } = await import("node:http");
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${url}/echo`, { method: "POST", headers: { "Content-Type": "application/json" } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      for (let i = 0; i < 80; i++) req.write("x".repeat(1024));
      req.end();
    });
    expect(status).toBe(413);
  });

  it("keeps error details but never lets them override code/message", async () => {
    const response = await fetch(`${url}/teapot`);
    expect(response.headers.get("retry-after")).toBe("7");
    expect(await response.json()).toEqual({ error: { spout: 1, code: "teapot", message: "I am a teapot" } });
  });

  it("hides unexpected errors behind a generic 500", async () => {
    const response = await fetch(`${url}/boom`);
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ error: { code: "internal_error", message: "Internal server error" } });
    expect(text).not.toContain("secret");
  });

  it("reflects only allowlisted origins and answers preflights", async () => {
    const allowed = await fetch(`${url}/ok`, { headers: { Origin: "http://app.test" } });
    expect(allowed.headers.get("access-control-allow-origin")).toBe("http://app.test");
    expect(allowed.headers.get("vary")).toBe("Origin");
    const other = await fetch(`${url}/ok`, { headers: { Origin: "http://evil.test" } });
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
    expect(other.headers.get("vary")).toBe("Origin");

    const preflight = await fetch(`${url}/echo`, {
      method: "OPTIONS",
      headers: { Origin: "http://app.test", "Access-Control-Request-Method": "POST" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-methods")).toContain("POST");
    expect(preflight.headers.get("access-control-allow-headers")).toContain("Content-Type");
    const denied = await fetch(`${url}/echo`, { method: "OPTIONS", headers: { Origin: "http://evil.test" } });
    expect(denied.status).toBe(403);
    expect(denied.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("sets defensive headers", async () => {
    const response = await fetch(`${url}/ok`);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("cache-control")).toBe("no-store");
  });
});

describe("fault injection", () => {
  const routes = [
    {
      method: "GET" as const,
      path: "/ok",
      handler: (ctx: { res: Parameters<typeof sendJson>[0] }) => sendJson(ctx.res, 200, { ok: true }),
    },
  ];
  const setFault = (url: string, mode: unknown) =>
    fetch(`${url}${FAULT_PATH}`, { method: "PUT", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ mode }) });

  it("is not served unless asked for", async () => {
    const server = createServer(routes);
    const url = await listen(server, 0);
    try {
      expect((await setFault(url, "down")).status).toBe(404);
      expect((await fetch(`${url}/ok`)).status).toBe(200);
    } finally {
      await closeServer(server);
    }
  });

  it("drops connections while down, answers 503 while failing, and recovers", async () => {
    const server = createServer(routes, { faultInjection: true });
    const url = await listen(server, 0);
    try {
      expect((await setFault(url, "down")).status).toBe(200);
      await expect(fetch(`${url}/ok`)).rejects.toThrow(TypeError); // fetch failed: the connection was dropped
      expect((await setFault(url, "error")).status).toBe(200);
      const failing = await fetch(`${url}/ok`);
      expect(failing.status).toBe(503);
      expect(((await failing.json()) as { error: { code: string } }).error.code).toBe("unavailable");
      expect((await setFault(url, "sideways")).status).toBe(400);
      expect((await setFault(url, "up")).status).toBe(200);
      expect(await (await fetch(`${url}/ok`)).json()).toEqual({ ok: true });
    } finally {
      await closeServer(server);
    }
  });
});
