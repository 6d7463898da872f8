/**
 * The wire format below the client: JWT header and claims against the published JWKS, error
 * body shapes per API version, CORS, and persistence across a restart.
 */
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { RunningService } from "../lib/http";
import { API_VERSION_2024_01_01, startSupabaseAuth, SupabaseAuthConfigError } from "./index";
import { ANON_KEY, APP_ORIGIN, latestCode, startHarness, supabaseClient, uniqueEmail, type Harness } from "./test-support";

const PASSWORD = "correct horse battery";

let h: Harness;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "supabase-auth-"));
  h = await startHarness(dataDir);
});
afterAll(async () => {
  await h?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function signedUp(email: string) {
  const supabase = supabaseClient(h.auth.url);
  await supabase.auth.signUp({ email, password: PASSWORD });
  const token = await latestCode(h.mailbox, email, "Confirm your signup");
  const { data, error } = await supabase.auth.verifyOtp({ email, token, type: "signup" });
  expect(error).toBeNull();
  return data.session!;
}

async function post(pathname: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${h.auth.url}${pathname}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", apikey: ANON_KEY, ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
}

describe("access tokens", () => {
  it("are ES256 JWTs with Supabase's header and claims, verifiable against the public JWKS", async () => {
    const session = await signedUp(uniqueEmail("claims"));
    const jwksUrl = new URL(`${h.auth.url}/auth/v1/.well-known/jwks.json`);

    // Served without an apikey (JWT verifiers do not send one), cacheable, public members only.
    const jwksResponse = await fetch(jwksUrl);
    expect(jwksResponse.status).toBe(200);
    expect(jwksResponse.headers.get("cache-control")).toBe("public, max-age=600");
    const { keys } = (await jwksResponse.json()) as { keys: Record<string, unknown>[] };
    expect(keys).toHaveLength(1);
    expect(Object.keys(keys[0]!).sort()).toEqual(["alg", "crv", "kid", "kty", "use", "x", "y"]);
    expect(keys[0]).toMatchObject({ kty: "EC", crv: "P-256", alg: "ES256", use: "sig" });

    const header = decodeProtectedHeader(session.access_token);
    expect(header).toEqual({ alg: "ES256", kid: keys[0]!.kid, typ: "JWT" });

    const { payload } = await jwtVerify(session.access_token, createRemoteJWKSet(jwksUrl), {
      issuer: `${h.auth.url}/auth/v1`,
      audience: "authenticated",
      algorithms: ["ES256"],
      typ: "JWT",
      currentDate: h.clock.now(),
    });
    expect(Object.keys(payload)).toEqual([
      "iss",
      "sub",
      "aud",
      "exp",
      "iat",
      "email",
      "phone",
      "app_metadata",
      "user_metadata",
      "role",
      "aal",
      "amr",
      "session_id",
      "is_anonymous",
    ]);
    expect(payload).toMatchObject({
      iss: `${h.auth.url}/auth/v1`,
      sub: session.user.id,
      aud: "authenticated",
      email: session.user.email,
      phone: "",
      app_metadata: { provider: "email", providers: ["email"] },
      user_metadata: session.user.user_metadata,
      role: "authenticated",
      aal: "aal1",
      amr: [{ method: "otp", timestamp: expect.any(Number) }],
      session_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      is_anonymous: false,
    });
    expect(payload.exp! - payload.iat!).toBe(3600);
    expect(payload.exp).toBe(session.expires_at);

    // A password sign-in records its method; the client's own getClaims verifies via the JWKS.
    const supabase = supabaseClient(h.auth.url);
    const signIn = await supabase.auth.signInWithPassword({ email: session.user.email!, password: PASSWORD });
    const claims = await supabase.auth.getClaims(signIn.data.session!.access_token);
    expect(claims.error).toBeNull();
    expect(claims.data?.claims.amr).toEqual([{ method: "password", timestamp: expect.any(Number) }]);
    expect(claims.data?.claims.session_id).not.toBe(payload.session_id);
  });
});

describe("error bodies", () => {
  it("follow X-Supabase-Api-Version like GoTrue: 2024-01-01 → {code, message} and the header echoed", async () => {
    const modern = await post(
      "/auth/v1/token?grant_type=password",
      { email: "x@example.com", password: "nope-nope" },
      {
        "X-Supabase-Api-Version": API_VERSION_2024_01_01,
      },
    );
    expect(modern.status).toBe(400);
    expect(modern.body).toEqual({ code: "invalid_credentials", message: "Invalid login credentials" });
    expect(modern.headers.get("x-supabase-api-version")).toBe("2024-01-01");
    expect(modern.headers.get("x-sb-error-code")).toBe("invalid_credentials");

    for (const version of [undefined, "2023-12-31", "2024-02-30", "garbage"]) {
      const legacy = await post(
        "/auth/v1/token?grant_type=password",
        { email: "x@example.com", password: "nope-nope" },
        version ? { "X-Supabase-Api-Version": version } : {},
      );
      expect(legacy.body, String(version)).toEqual({ code: 400, error_code: "invalid_credentials", msg: "Invalid login credentials" });
      expect(legacy.headers.get("x-supabase-api-version")).toBeNull();
    }

    const weak = await post("/auth/v1/signup", { email: uniqueEmail("weak"), password: "123" });
    expect(weak.status).toBe(422);
    expect(weak.body).toEqual({
      code: 422,
      error_code: "weak_password",
      msg: "Password should be at least 6 characters.",
      weak_password: { reasons: ["length"] },
    });

    const missingRefresh = await post("/auth/v1/token?grant_type=refresh_token", {});
    expect(missingRefresh).toMatchObject({ status: 400, body: { error: "invalid_request", error_description: "refresh_token required" } });
    const badGrant = await post("/auth/v1/token?grant_type=magic", {});
    expect(badGrant).toMatchObject({ status: 400, body: { error: "unsupported_grant_type" } });
    const badJson = await post("/auth/v1/signup", { email: 42, password: PASSWORD });
    expect(badJson).toMatchObject({ status: 400, body: { error_code: "bad_json" } });

    const noBearer = await fetch(`${h.auth.url}/auth/v1/user`, { headers: { apikey: ANON_KEY } });
    expect(noBearer.status).toBe(401);
    expect(await noBearer.json()).toMatchObject({ error_code: "no_authorization" });

    const unknown = await fetch(`${h.auth.url}/auth/v1/admin/users`, { headers: { apikey: ANON_KEY } });
    expect(unknown.status).toBe(404);
    const notAuth = await fetch(`${h.auth.url}/rest/v1/things`);
    expect(notAuth.status).toBe(404);
    expect(await notAuth.json()).toEqual({ message: "no Route matched with those values" });
  });
});

describe("CORS", () => {
  it("answers preflights for allowed origins with the headers supabase-js sends, and refuses others", async () => {
    const preflight = await fetch(`${h.auth.url}/auth/v1/token?grant_type=password`, {
      method: "OPTIONS",
      headers: {
        Origin: APP_ORIGIN,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "apikey, authorization, content-type, x-client-info, x-supabase-api-version",
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe(APP_ORIGIN);
    const allowed = preflight.headers.get("access-control-allow-headers")!.split(/,\s*/);
    expect(allowed).toEqual(expect.arrayContaining(["apikey", "authorization", "content-type", "x-client-info", "x-supabase-api-version"]));
    expect(preflight.headers.get("access-control-allow-methods")).toContain("POST");

    const foreign = await fetch(`${h.auth.url}/auth/v1/token?grant_type=password`, {
      method: "OPTIONS",
      headers: { Origin: "https://evil.example", "Access-Control-Request-Method": "POST" },
    });
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get("access-control-allow-origin")).toBeNull();

    // Actual responses expose the version header, without which a browser client cannot read error codes.
    const failed = await post(
      "/auth/v1/token?grant_type=password",
      { email: "x@example.com", password: "nope-nope" },
      {
        Origin: APP_ORIGIN,
        "X-Supabase-Api-Version": API_VERSION_2024_01_01,
      },
    );
    expect(failed.headers.get("access-control-allow-origin")).toBe(APP_ORIGIN);
    expect(failed.headers.get("access-control-expose-headers")).toMatch(/X-Supabase-Api-Version/i);
    expect(failed.headers.get("vary")).toBe("Origin");
  });
});

describe("persistence", () => {
  it("keeps users, sessions, refresh tokens and the signing key across a restart", async () => {
    const email = uniqueEmail("durable");
    const session = await signedUp(email);
    const kidBefore = decodeProtectedHeader(session.access_token).kid;
    const keyFile = await stat(path.join(dataDir, "supabase-signing-key.private.jwk.json"));
    expect(keyFile.mode & 0o777).toBe(0o600);

    const port = new URL(h.auth.url).port;
    await h.auth.close();
    const restarted = await h.start({ port: Number(port) });
    expect(restarted.url).toBe(`http://127.0.0.1:${port}`);

    const supabase = supabaseClient(restarted.url);
    expect((await supabase.auth.getUser(session.access_token)).data.user?.id).toBe(session.user.id);
    const refreshed = await supabase.auth.refreshSession({ refresh_token: session.refresh_token });
    expect(refreshed.error).toBeNull();
    expect(decodeProtectedHeader(refreshed.data.session!.access_token).kid).toBe(kidBefore);
    const signIn = await supabase.auth.signInWithPassword({ email, password: PASSWORD });
    expect(signIn.error).toBeNull();
    expect(signIn.data.user?.email_confirmed_at).toBe(session.user.email_confirmed_at);
  });
});

describe("mail failures", () => {
  let broken: RunningService;
  beforeAll(async () => {
    broken = await startSupabaseAuth({
      port: 0,
      dataDir: "memory://",
      anonKey: ANON_KEY,
      mail: { apiUrl: h.mailbox.url, apiKey: "not-the-mailbox-key-0123456789", from: "a@example.com" },
      allowedOrigins: [],
    });
  });
  afterAll(async () => {
    await broken?.close();
  });

  it("answer GoTrue's 500 and leave no half-created user or usable code behind", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      const supabase = supabaseClient(broken.url);
      const email = uniqueEmail("undelivered");
      const signUp = await supabase.auth.signUp({ email, password: PASSWORD });
      expect(signUp.error?.status).toBe(500);
      expect(signUp.error?.name).toBe("AuthRetryableFetchError");
      // The user was rolled back: not "email not confirmed", and signing up again is not rate limited.
      const signIn = await supabase.auth.signInWithPassword({ email, password: PASSWORD });
      expect(signIn.error?.code).toBe("invalid_credentials");
      expect((await supabase.auth.signUp({ email, password: PASSWORD })).error?.status).toBe(500);
      expect(logged).toHaveBeenCalledWith(expect.stringContaining("[supabase-auth] POST /auth/v1/signup"), expect.anything());
    } finally {
      logged.mockRestore();
    }
  });
});

describe("configuration", () => {
  it("refuses unsafe or malformed options", async () => {
    const base = {
      port: 0,
      dataDir: "memory://",
      anonKey: ANON_KEY,
      mail: { apiUrl: h.mailbox.url, apiKey: "k".repeat(20), from: "a@example.com" },
      allowedOrigins: [],
    };
    await expect(startSupabaseAuth({ ...base, anonKey: "short" })).rejects.toBeInstanceOf(SupabaseAuthConfigError);
    await expect(startSupabaseAuth({ ...base, allowedOrigins: ["http://localhost:3000/"] })).rejects.toBeInstanceOf(
      SupabaseAuthConfigError,
    );
    await expect(startSupabaseAuth({ ...base, accessTokenTtlSeconds: 0 })).rejects.toBeInstanceOf(SupabaseAuthConfigError);
    await expect(startSupabaseAuth({ ...base, publicUrl: "ftp://x" })).rejects.toBeInstanceOf(SupabaseAuthConfigError);
  });
});
