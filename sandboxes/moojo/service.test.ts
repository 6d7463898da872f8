/**
 * The Moojo sandbox over real HTTP, with a local JWKS server standing in for Google's
 * securetoken keys and a frozen (steppable) clock.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { SignJWT, type JWTPayload } from "jose";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openDatabase } from "../lib/db";
import type { RunningService } from "../lib/http";
import { MoojoConfigError, startMoojo, type MoojoOptions } from "./index";
import { MOOJO_MIGRATIONS } from "./schema";
import { hashAccessToken } from "./store";
import {
  createRsaKey,
  firebaseClaims,
  signIdToken,
  startJwksServer,
  tamperSignature,
  unsignedIdToken,
  type JwksServer,
  type SigningKey,
} from "./test-support";

const PROJECT = "byo-auth-prod";
const API_KEY = "moojo-test-api-key-0123456789abcdef";
/** Frozen clock start: 2030-03-17T17:46:40Z. */
const T = 1_900_000_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TOKEN = /^[0-9a-f]{64}$/;
const COMPRESSED_SECP256K1 = /^0x0[23][0-9a-f]{64}$/;
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

interface Success<T> {
  status: "success";
  traceId: string;
  data: T;
}
interface Failure {
  status: "error";
  traceId: string;
  error: { code: string; message: string };
}
interface AuthData {
  token: string;
  expiresAtIso8601: string;
  publicUserId: string;
  publicKey: string;
}
interface MeData {
  publicUserId: string;
  publicKey: string;
  firebaseUid: string;
  email?: string;
  createdAt: string;
}

let google: SigningKey;
let stranger: SigningKey;
let jwks: JwksServer;
let moojo: RunningService;
let dataDir: string;
let clockMs: number;
const now = () => new Date(clockMs);
const nowSeconds = () => Math.floor(clockMs / 1000);

function options(overrides: Partial<MoojoOptions> = {}): MoojoOptions {
  return {
    port: 0,
    dataDir,
    apiKey: API_KEY,
    firebase: { projectId: PROJECT, jwksUrl: jwks.url },
    now,
    ...overrides,
  };
}

const idToken = (uid: string, overrides: JWTPayload = {}) => signIdToken(google, firebaseClaims(PROJECT, uid, nowSeconds(), overrides));

async function post(
  body: unknown,
  headers: Record<string, string> = { "x-api-key": API_KEY },
  contentType = "application/json",
  base = moojo.url,
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${base}/user/authenticate`, {
    method: "POST",
    headers: { "Content-Type": contentType, ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

async function authenticate(token: string): Promise<AuthData> {
  const response = await post({ idType: "firebaseJwt", id: token });
  expect(response.status).toBe(200);
  return (response.body as Success<AuthData>).data;
}

async function me(token?: string): Promise<{ status: number; body: unknown; wwwAuthenticate: string | null }> {
  const response = await fetch(`${moojo.url}/user/me`, {
    headers: token !== undefined ? { Authorization: `Bearer ${token}` } : {},
  });
  return { status: response.status, body: await response.json(), wwwAuthenticate: response.headers.get("www-authenticate") };
}

function expectFailure(body: unknown, code: string): void {
  expect(Object.keys(body as object).sort()).toEqual(["error", "status", "traceId"]);
  const failure = body as Failure;
  expect(failure.status).toBe("error");
  expect(failure.traceId).toMatch(UUID);
  expect(failure.error.code).toBe(code);
  expect(typeof failure.error.message).toBe("string");
}

beforeAll(async () => {
  [google, stranger] = await Promise.all([createRsaKey(), createRsaKey()]);
  jwks = await startJwksServer([google.publicJwk!]);
  dataDir = await mkdtemp(path.join(tmpdir(), "moojo-"));
  clockMs = T * 1000;
  moojo = await startMoojo(options());
});

afterAll(async () => {
  await moojo?.close();
  await jwks?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

beforeEach(() => {
  clockMs = T * 1000;
});

describe("POST /user/authenticate: refusals", () => {
  const uid = "refusedUser0000000000000001";
  it.each<[string, number, string, () => Promise<{ status: number; body: unknown }>]>([
    ["no API key", 401, "api_key_missing", async () => post({ idType: "firebaseJwt", id: await idToken(uid) }, {})],
    ["wrong API key", 401, "api_key_invalid", async () => post({ idType: "firebaseJwt", id: await idToken(uid) }, { "x-api-key": `${API_KEY}x` })],
    ["API key checked before the body", 401, "api_key_missing", () => post("{not json", {})],
    ["another idType", 400, "id_type_unsupported", async () => post({ idType: "googleJwt", id: await idToken(uid) })],
    ["no idType", 400, "validation_error", async () => post({ id: await idToken(uid) })],
    ["no id", 400, "validation_error", () => post({ idType: "firebaseJwt" })],
    ["not JSON", 400, "invalid_json", () => post("{not json")],
    ["not application/json", 415, "unsupported_media_type", async () => post({ idType: "firebaseJwt", id: await idToken(uid) }, undefined, "text/plain")],
    // The production-configuration proof: an emulator-style unsigned token is refused.
    ["unsigned token, emulator not configured", 401, "unsigned_token_rejected", async () =>
      post({ idType: "firebaseJwt", id: unsignedIdToken(firebaseClaims(PROJECT, uid, nowSeconds())) })],
    ["wrong aud", 401, "aud_invalid", async () => post({ idType: "firebaseJwt", id: await idToken(uid, { aud: "other-project" }) })],
    ["wrong iss", 401, "iss_invalid", async () =>
      post({ idType: "firebaseJwt", id: await idToken(uid, { iss: "https://securetoken.google.com/other-project" }) })],
    ["expired", 401, "token_expired", async () => post({ idType: "firebaseJwt", id: await idToken(uid, { iat: T - 7200, exp: T - 3600 }) })],
    ["bad signature", 401, "signature_invalid", async () => post({ idType: "firebaseJwt", id: tamperSignature(await idToken(uid)) })],
    ["HS256", 401, "alg_not_allowed", async () =>
      post({
        idType: "firebaseJwt",
        id: await new SignJWT(firebaseClaims(PROJECT, uid, T)).setProtectedHeader({ alg: "HS256", kid: google.kid }).sign(randomBytes(32)),
      })],
    ["unknown kid", 401, "kid_unknown", async () => post({ idType: "firebaseJwt", id: await signIdToken(stranger, firebaseClaims(PROJECT, uid, T)) })],
    ["garbage id", 401, "token_malformed", () => post({ idType: "firebaseJwt", id: "garbage" })],
  ])("%s → %i %s", async (_label, status, code, request) => {
    const response = await request();
    expect(response.status).toBe(status);
    expectFailure(response.body, code);
  });

  it("Google's keys unreachable → 502 jwks_unreachable", async () => {
    const dead = await startJwksServer([]);
    await dead.close();
    const isolated = await startMoojo(options({ dataDir: "memory://", firebase: { projectId: PROJECT, jwksUrl: dead.url }, logger: { error: () => undefined } }));
    try {
      const response = await post({ idType: "firebaseJwt", id: await idToken("u1") }, undefined, undefined, isolated.url);
      expect(response.status).toBe(502);
      expectFailure(response.body, "jwks_unreachable");
    } finally {
      await isolated.close();
    }
  });
});

describe("POST /user/authenticate: success", () => {
  it("answers exactly the documented shape", async () => {
    const response = await post({ idType: "firebaseJwt", id: await idToken("shapeUser00000000000000001") });
    expect(response.status).toBe(200);
    const body = response.body as Success<AuthData>;
    expect(Object.keys(body).sort()).toEqual(["data", "status", "traceId"]);
    expect(body.status).toBe("success");
    expect(body.traceId).toMatch(UUID);
    expect(Object.keys(body.data).sort()).toEqual(["expiresAtIso8601", "publicKey", "publicUserId", "token"]);
    expect(body.data.token).toMatch(TOKEN);
    expect(body.data.publicUserId).toMatch(UUID);
    expect(body.data.publicKey).toMatch(COMPRESSED_SECP256K1);
    // A real curve point, not just 33 bytes of hex.
    expect(() => secp256k1.Point.fromHex(body.data.publicKey.slice(2))).not.toThrow();
    expect(body.data.expiresAtIso8601).toMatch(ISO_8601);
    expect(new Date(body.data.expiresAtIso8601).getTime()).toBe(clockMs + 2 * 3600 * 1000);
  });

  it("the same Firebase uid is the same user with a fresh token; another uid is another user", async () => {
    const first = await authenticate(await idToken("sameUser000000000000000001"));
    const again = await authenticate(await idToken("sameUser000000000000000001"));
    const other = await authenticate(await idToken("otherUser00000000000000001"));
    expect(again.publicUserId).toBe(first.publicUserId);
    expect(again.publicKey).toBe(first.publicKey);
    expect(again.token).not.toBe(first.token);
    expect(other.publicUserId).not.toBe(first.publicUserId);
    expect(other.publicKey).not.toBe(first.publicKey);
  });

  it("concurrent first logins of one uid create one user", async () => {
    const tokens = await Promise.all(Array.from({ length: 5 }, () => idToken("racingUser0000000000000001")));
    const results = await Promise.all(tokens.map((token) => authenticate(token)));
    expect(new Set(results.map((result) => result.publicUserId)).size).toBe(1);
    expect(new Set(results.map((result) => result.token)).size).toBe(5);
  });
});

describe("GET /user/me with the Moojo token", () => {
  it("works as a bearer until it expires, two hours later", async () => {
    const uid = "bearerUser0000000000000001";
    const auth = await authenticate(await idToken(uid));

    const ok = await me(auth.token);
    expect(ok.status).toBe(200);
    const body = ok.body as Success<MeData>;
    expect(body.status).toBe("success");
    expect(body.traceId).toMatch(UUID);
    expect(body.data).toEqual({
      publicUserId: auth.publicUserId,
      publicKey: auth.publicKey,
      firebaseUid: uid,
      email: `${uid.toLowerCase()}@example.com`,
      createdAt: new Date(T * 1000).toISOString(),
    });

    clockMs += 2 * 3600 * 1000 - 1;
    expect((await me(auth.token)).status).toBe(200);
    clockMs += 1;
    const expired = await me(auth.token);
    expect(expired.status).toBe(401);
    expectFailure(expired.body, "access_token_expired");
    expect(expired.wwwAuthenticate).toMatch(/invalid_token/);

    // A fresh Firebase ID token gets a fresh Moojo token for the same user.
    const renewed = await authenticate(await idToken(uid));
    expect(renewed.publicUserId).toBe(auth.publicUserId);
    expect((await me(renewed.token)).status).toBe(200);
  });

  it.each<[string, string | undefined, string]>([
    ["no Authorization header", undefined, "access_token_missing"],
    ["an unknown token", randomBytes(32).toString("hex"), "access_token_invalid"],
    ["an upper-case variant of a token shape", "A".repeat(64), "access_token_invalid"],
    ["not a token at all", "abc", "access_token_invalid"],
  ])("refuses %s", async (_label, token, code) => {
    const response = await me(token);
    expect(response.status).toBe(401);
    expectFailure(response.body, code);
  });
});

describe("configuration", () => {
  it.each<[string, Partial<MoojoOptions>]>([
    ["a short API key", { apiKey: "short" }],
    ["a zero token lifetime", { tokenTtlSeconds: 0 }],
    ["emulator tokens for a non-demo project", { firebase: { projectId: PROJECT, emulatorHost: "127.0.0.1:9099" } }],
  ])("refuses %s", async (_label, overrides) => {
    await expect(startMoojo(options({ dataDir: "memory://", ...overrides }))).rejects.toBeInstanceOf(MoojoConfigError);
  });
});

describe("persistence", () => {
  it("keeps users and tokens across a restart, storing tokens only as SHA-256", async () => {
    const auth = await authenticate(await idToken("persistUser000000000000001"));
    await moojo.close();

    const db = await openDatabase(dataDir, MOOJO_MIGRATIONS);
    try {
      const rows = await db.query<Record<string, unknown>>("SELECT * FROM access_tokens");
      expect(JSON.stringify(rows.rows)).not.toContain(auth.token);
      const mine = await db.query("SELECT 1 FROM access_tokens WHERE token_sha256 = $1", [hashAccessToken(auth.token)]);
      expect(mine.rows).toHaveLength(1);
    } finally {
      await db.close();
    }

    moojo = await startMoojo(options());
    const profile = await me(auth.token);
    expect(profile.status).toBe(200);
    expect((profile.body as Success<MeData>).data.publicKey).toBe(auth.publicKey);
    const again = await authenticate(await idToken("persistUser000000000000001"));
    expect(again.publicUserId).toBe(auth.publicUserId);
  });
});
