/**
 * End to end over HTTP: partner JWKS server + mailbox + AIR Kit counterpart on loopback port 0.
 */
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { AirLoginResult, AirUserDetails } from "@mocanetwork/airkit";
import { createRemoteJWKSet, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { RunningService } from "../lib/http";
import { startMailbox } from "../mailbox";
import { maskEmail, startAirKit } from "./index";
import { createTestSigningKey, signTestToken, startJwksServer, type JwksServer, type TestSigningKey } from "../lib/test-signing";

const PARTNER = "demo-partner";
const APP_ORIGIN = "http://localhost:3000";
const MAIL_KEY = "flow-test-mail-key-0123456789";

type LoginResponse =
  | { status: "authenticated"; result: AirLoginResult }
  | { status: "verification_required"; challengeId: string; email: string; expiresAt: string };
interface ErrorBody {
  error: { code: string; message: string; attemptsRemaining?: number };
}

let partnerKey: TestSigningKey;
let jwks: JwksServer;
let mailbox: RunningService;
let air: RunningService;
let dataDir: string;

async function call<T>(
  method: string,
  pathname: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: T; headers: Headers }> {
  const response = await fetch(`${air.url}${pathname}`, {
    method,
    headers: { ...(body !== undefined ? { "Content-Type": "application/json" } : {}), ...headers },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, body: (await response.json()) as T, headers: response.headers };
}

async function partnerToken(email: string, partnerUserId?: string): Promise<string> {
  const iat = Math.floor(Date.now() / 1000);
  return signTestToken({
    key: partnerKey,
    claims: { partnerId: PARTNER, email, ...(partnerUserId ? { partnerUserId } : {}), iat, exp: iat + 300 },
  });
}

async function latestCode(email: string): Promise<string> {
  const response = await fetch(`${mailbox.url}/api/messages?to=${encodeURIComponent(email)}`);
  const { messages } = (await response.json()) as { messages: { subject: string; text: string }[] };
  const message = messages[0];
  expect(message?.subject).toBe("Your AIR Kit verification code");
  expect(message?.text).toContain(PARTNER);
  const code = /\b([0-9]{6})\b/.exec(message?.text ?? "")?.[1];
  expect(code).toBeDefined();
  return code!;
}

async function loginWithCode(email: string, partnerUserId?: string): Promise<AirLoginResult> {
  const login = await call<LoginResponse>("POST", "/v1/auth/login", {
    partnerId: PARTNER,
    authToken: await partnerToken(email, partnerUserId),
  });
  expect(login.status).toBe(200);
  if (login.body.status !== "verification_required") throw new Error("expected a verification challenge");
  const verify = await call<LoginResponse>("POST", "/v1/auth/verify", {
    challengeId: login.body.challengeId,
    code: await latestCode(email),
  });
  expect(verify.status).toBe(200);
  if (verify.body.status !== "authenticated") throw new Error("expected authentication");
  return verify.body.result;
}

beforeAll(async () => {
  partnerKey = await createTestSigningKey("ES256");
  jwks = await startJwksServer([partnerKey.publicJwk]);
  dataDir = await mkdtemp(path.join(tmpdir(), "airkit-flow-"));
  mailbox = await startMailbox({ port: 0, dataDir: "memory://", apiKey: MAIL_KEY });
  air = await startAirKit({
    port: 0,
    dataDir,
    partners: [{ partnerId: PARTNER, jwksUrl: jwks.url, allowedOrigins: [APP_ORIGIN] }],
    mail: { apiUrl: mailbox.url, apiKey: MAIL_KEY, from: "AIR Kit (counterpart) <no-reply@air.local>" },
  });
});

afterAll(async () => {
  await air?.close();
  await mailbox?.close();
  await jwks?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe("AIR Kit counterpart over HTTP", () => {
  it("listens on a real port and persists its signing key privately", async () => {
    expect(air.url).toMatch(/^http:\/\/127\.0\.0\.1:[1-9][0-9]*$/);
    const keyFile = await stat(path.join(dataDir, "airkit-signing-key.private.jwk.json"));
    expect(keyFile.mode & 0o777).toBe(0o600);
  });

  it("first login needs the emailed code; later logins are immediate with the same account", async () => {
    const email = "Jane.Doe@Example.com";
    const login = await call<LoginResponse>("POST", "/v1/auth/login", {
      partnerId: PARTNER,
      authToken: await partnerToken(email, "usr_1"),
    });
    expect(login.status).toBe(200);
    expect(login.body).toMatchObject({ status: "verification_required", email: "j***@example.com" });
    if (login.body.status !== "verification_required") return;
    expect(new Date(login.body.expiresAt).getTime()).toBeGreaterThan(Date.now() + 9 * 60_000);

    const code = await latestCode("jane.doe@example.com");
    const wrong = await call<ErrorBody>("POST", "/v1/auth/verify", {
      challengeId: login.body.challengeId,
      code: code === "000000" ? "000001" : "000000",
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toMatchObject({ code: "otp_invalid", attemptsRemaining: 4 });

    const verified = await call<LoginResponse>("POST", "/v1/auth/verify", { challengeId: login.body.challengeId, code });
    expect(verified.status).toBe(200);
    if (verified.body.status !== "authenticated") throw new Error("expected authentication");
    const first = verified.body.result;
    // Before MFA, AIR hands out no address ("User Management").
    expect(first).toEqual({ isLoggedIn: true, id: expect.any(String), token: expect.any(String), isMFASetup: false });

    const reused = await call<ErrorBody>("POST", "/v1/auth/verify", { challengeId: login.body.challengeId, code });
    expect(reused.status).toBe(409);
    expect(reused.body.error.code).toBe("otp_used");

    // Second login with a new partner token: no code, same account, updated partnerUserId.
    const again = await call<LoginResponse>(
      "POST",
      "/v1/auth/login",
      { partnerId: PARTNER, authToken: await partnerToken("jane.doe@example.com", "usr_1b") },
      { Origin: APP_ORIGIN },
    );
    expect(again.status).toBe(200);
    expect(again.headers.get("access-control-allow-origin")).toBe(APP_ORIGIN);
    if (again.body.status !== "authenticated") throw new Error("expected immediate authentication");
    expect(again.body.result.id).toBe(first.id);
    expect(again.body.result.token).not.toBe(first.token);

    // The AIR token verifies against the published JWKS and carries exactly the documented claims.
    const jwksResponse = await fetch(`${air.url}/.well-known/jwks.json`);
    expect(jwksResponse.headers.get("cache-control")).toBe("public, max-age=300");
    const published = (await jwksResponse.json()) as { keys: Record<string, unknown>[] };
    expect(published.keys).toHaveLength(1);
    expect(Object.keys(published.keys[0]!).sort()).toEqual(["alg", "crv", "kid", "kty", "use", "x", "y"]);
    const { payload, protectedHeader } = await jwtVerify(
      again.body.result.token,
      createRemoteJWKSet(new URL(`${air.url}/.well-known/jwks.json`)),
      {
        algorithms: ["ES256"],
      },
    );
    expect(protectedHeader).toEqual({ alg: "ES256", typ: "JWT", kid: published.keys[0]!.kid });
    expect(payload).toEqual({
      sub: first.id,
      partnerId: PARTNER,
      partnerUserId: "usr_1b",
      iat: expect.any(Number),
      exp: expect.any(Number),
    });
    expect(payload.exp! - payload.iat!).toBe(3600);

    // /v1/user returns AirUserDetails, without an address before MFA.
    const auth = { Authorization: `Bearer ${again.body.result.token}` };
    const me = await call<AirUserDetails>("GET", "/v1/user", undefined, auth);
    expect(me.status).toBe(200);
    expect(me.body).toEqual({
      partnerId: PARTNER,
      partnerUserId: "usr_1b",
      user: { id: first.id, email: "jane.doe@example.com", isMFASetup: false },
    });

    // Logout revokes that session only.
    expect((await call<{ ok: boolean }>("POST", "/v1/auth/logout", undefined, auth)).body).toEqual({ ok: true });
    const afterLogout = await call<ErrorBody>("GET", "/v1/user", undefined, auth);
    expect(afterLogout.status).toBe(401);
    expect(afterLogout.body.error.code).toBe("session_invalid");
    const firstSession = await call<AirUserDetails>("GET", "/v1/user", undefined, { Authorization: `Bearer ${first.token}` });
    expect(firstSession.status).toBe(200);
  });

  it("rejects bad partner tokens with their codes and statuses", async () => {
    const good = await partnerToken("x@example.com");
    const [h, p] = good.split(".");
    const cases: [unknown, number, string][] = [
      [{ partnerId: PARTNER, authToken: `${h}.${p}.AAAA` }, 401, "signature_invalid"],
      [{ partnerId: "nobody", authToken: good }, 404, "partner_unknown"],
      [{ partnerId: PARTNER }, 400, "validation_error"],
    ];
    for (const [body, status, code] of cases) {
      const response = await call<ErrorBody>("POST", "/v1/auth/login", body);
      expect([response.status, response.body.error.code]).toEqual([status, code]);
    }
  });

  it("refuses a login from an origin the partner did not register", async () => {
    const response = await call<ErrorBody>(
      "POST",
      "/v1/auth/login",
      { partnerId: PARTNER, authToken: await partnerToken("o@example.com") },
      { Origin: "https://evil.example" },
    );
    expect(response.status).toBe(403);
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("answers CORS preflights for the partner origin only", async () => {
    const allowed = await fetch(`${air.url}/v1/auth/login`, {
      method: "OPTIONS",
      headers: { Origin: APP_ORIGIN, "Access-Control-Request-Method": "POST" },
    });
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get("access-control-allow-origin")).toBe(APP_ORIGIN);
    expect(allowed.headers.get("vary")).toContain("Origin");
    const denied = await fetch(`${air.url}/v1/auth/login`, {
      method: "OPTIONS",
      headers: { Origin: "https://evil.example", "Access-Control-Request-Method": "POST" },
    });
    expect(denied.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("rate-limits codes per email (429 with Retry-After) and limits wrong attempts", async () => {
    const email = "limited@example.com";
    const challengeIds: string[] = [];
    for (let i = 0; i < 3; i++) {
      const login = await call<LoginResponse>("POST", "/v1/auth/login", { partnerId: PARTNER, authToken: await partnerToken(email) });
      if (login.body.status !== "verification_required") throw new Error("expected a challenge");
      challengeIds.push(login.body.challengeId);
    }
    const limited = await call<ErrorBody>("POST", "/v1/auth/login", { partnerId: PARTNER, authToken: await partnerToken(email) });
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe("otp_rate_limited");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(500);

    const challengeId = challengeIds[2]!;
    const code = await latestCode(email);
    const wrong = code === "000000" ? "000001" : "000000";
    for (let i = 0; i < 5; i++) await call<ErrorBody>("POST", "/v1/auth/verify", { challengeId, code: wrong });
    const dead = await call<ErrorBody>("POST", "/v1/auth/verify", { challengeId, code });
    expect([dead.status, dead.body.error.code]).toEqual([429, "otp_attempts_exceeded"]);

    const unknown = await call<ErrorBody>("POST", "/v1/auth/verify", { challengeId: "nope", code: "123456" });
    expect([unknown.status, unknown.body.error.code]).toEqual([404, "challenge_not_found"]);
  });

  it("rejects missing, forged and foreign AIR tokens on /v1/user", async () => {
    const missing = await call<ErrorBody>("GET", "/v1/user");
    expect([missing.status, missing.body.error.code]).toEqual([401, "session_invalid"]);
    const forgedKey = await createTestSigningKey("ES256");
    const forged = await signTestToken({
      key: forgedKey,
      claims: { sub: "x", partnerId: PARTNER, iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 60 },
    });
    const response = await call<ErrorBody>("GET", "/v1/user", undefined, { Authorization: `Bearer ${forged}` });
    expect([response.status, response.body.error.code]).toEqual([401, "session_invalid"]);
  });
});

describe("AIR Kit counterpart without a mail service", () => {
  it("answers 502 mail_unavailable and does not count the undelivered challenge", async () => {
    // A loopback port that was just released: nothing listens there.
    const closed = await startJwksServer([]);
    await closed.close();
    const service = await startAirKit({
      port: 0,
      dataDir: "memory://",
      partners: [{ partnerId: PARTNER, jwksUrl: jwks.url, allowedOrigins: [APP_ORIGIN] }],
      mail: { apiUrl: new URL(closed.url).origin, apiKey: MAIL_KEY, from: "no-reply@air.local" },
    });
    const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const previous = air;
    air = service;
    let logCalls = 0;
    try {
      for (let i = 0; i < 4; i++) {
        const response = await call<ErrorBody>("POST", "/v1/auth/login", {
          partnerId: PARTNER,
          authToken: await partnerToken("nomail@example.com"),
        });
        // Never 429: failed deliveries are discarded rather than counted.
        expect([response.status, response.body.error.code]).toEqual([502, "mail_unavailable"]);
      }
    } finally {
      air = previous;
      logCalls = logged.mock.calls.length;
      logged.mockRestore();
      await service.close();
    }
    expect(logCalls).toBe(4);
  });
});

describe("maskEmail", () => {
  it.each([
    ["jane.doe@example.com", "j***@example.com"],
    ["j@example.com", "j***@example.com"],
    ["odd", "***"],
  ])("%s → %s", (email, masked) => {
    expect(maskEmail(email)).toBe(masked);
  });
});

describe("AIR Kit counterpart persistence and expiry", () => {
  it("keeps accounts and sessions across restarts; expired sessions are refused", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "airkit-restart-"));
    let clock = Date.now();
    const start = () =>
      startAirKit({
        port: 0,
        dataDir: dir,
        partners: [{ partnerId: PARTNER, jwksUrl: jwks.url, allowedOrigins: [APP_ORIGIN] }],
        mail: { apiUrl: mailbox.url, apiKey: MAIL_KEY, from: "AIR Kit (counterpart) <no-reply@air.local>" },
        sessionTtlSeconds: 60,
        now: () => new Date(clock),
      });
    let service = await start();
    const previous = air;
    try {
      air = service;
      const result = await loginWithCode("restart@example.com", "usr_r");
      await service.close();

      service = await start();
      air = service;
      const me = await call<AirUserDetails>("GET", "/v1/user", undefined, { Authorization: `Bearer ${result.token}` });
      expect(me.status).toBe(200);
      expect(me.body.user.id).toBe(result.id);

      const again = await call<LoginResponse>("POST", "/v1/auth/login", {
        partnerId: PARTNER,
        authToken: await partnerToken("restart@example.com"),
      });
      expect(again.body.status).toBe("authenticated");

      clock += 61_000;
      const expired = await call<ErrorBody>("GET", "/v1/user", undefined, { Authorization: `Bearer ${result.token}` });
      expect([expired.status, expired.body.error.code]).toEqual([401, "session_expired"]);
    } finally {
      air = previous;
      await service.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
