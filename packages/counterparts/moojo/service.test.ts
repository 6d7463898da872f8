/**
 * The Moojo counterpart over real HTTP, with a local JWKS server standing in for Google's
 * securetoken keys and a frozen (steppable) clock. (That the app's schemas and its own
 * credential bodies fit these answers is tested in providers/wallets/moojo/counterpart-answers.test.ts.)
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
import { addressFromPublicKey } from "../lib/ethereum-address";
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
interface CredentialData {
  id: string;
  definitionId: string;
  createdAt: number;
  attesterAddress: string;
  recipientAddress: string;
  slug: string;
  fields: Record<string, string | number>;
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

async function call(
  path: string,
  body: unknown,
  headers: Record<string, string> = { "x-api-key": API_KEY },
  base = moojo.url,
): Promise<{ status: number; body: unknown; wwwAuthenticate: string | null }> {
  const response = await fetch(`${base}${path}`, {
    method: "POST",
    headers: { ...(body === undefined ? {} : { "Content-Type": "application/json" }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json(), wwwAuthenticate: response.headers.get("www-authenticate") };
}

/** "Retrieve user credentials": x-api-key and the user's bearer token, empty body. */
const list = (token?: string, apiKey: string | null = API_KEY, base = moojo.url) =>
  call(
    "/user/vault/list-credentials",
    undefined,
    { ...(apiKey !== null ? { "x-api-key": apiKey } : {}), ...(token !== undefined ? { Authorization: `Bearer ${token}` } : {}) },
    base,
  );

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
    [
      "wrong API key",
      401,
      "api_key_invalid",
      async () => post({ idType: "firebaseJwt", id: await idToken(uid) }, { "x-api-key": `${API_KEY}x` }),
    ],
    ["API key checked before the body", 401, "api_key_missing", () => post("{not json", {})],
    ["another idType", 400, "id_type_unsupported", async () => post({ idType: "googleJwt", id: await idToken(uid) })],
    ["no idType", 400, "validation_error", async () => post({ id: await idToken(uid) })],
    ["no id", 400, "validation_error", () => post({ idType: "firebaseJwt" })],
    ["not JSON", 400, "invalid_json", () => post("{not json")],
    [
      "not application/json",
      415,
      "unsupported_media_type",
      async () => post({ idType: "firebaseJwt", id: await idToken(uid) }, undefined, "text/plain"),
    ],
    // The production-configuration proof: an emulator-style unsigned token is refused.
    [
      "unsigned token, emulator not configured",
      401,
      "unsigned_token_rejected",
      async () => post({ idType: "firebaseJwt", id: unsignedIdToken(firebaseClaims(PROJECT, uid, nowSeconds())) }),
    ],
    ["wrong aud", 401, "aud_invalid", async () => post({ idType: "firebaseJwt", id: await idToken(uid, { aud: "other-project" }) })],
    [
      "wrong iss",
      401,
      "iss_invalid",
      async () => post({ idType: "firebaseJwt", id: await idToken(uid, { iss: "https://securetoken.google.com/other-project" }) }),
    ],
    [
      "expired",
      401,
      "token_expired",
      async () => post({ idType: "firebaseJwt", id: await idToken(uid, { iat: T - 7200, exp: T - 3600 }) }),
    ],
    ["bad signature", 401, "signature_invalid", async () => post({ idType: "firebaseJwt", id: tamperSignature(await idToken(uid)) })],
    [
      "HS256",
      401,
      "alg_not_allowed",
      async () =>
        post({
          idType: "firebaseJwt",
          id: await new SignJWT(firebaseClaims(PROJECT, uid, T))
            .setProtectedHeader({ alg: "HS256", kid: google.kid })
            .sign(randomBytes(32)),
        }),
    ],
    [
      "unknown kid",
      401,
      "kid_unknown",
      async () => post({ idType: "firebaseJwt", id: await signIdToken(stranger, firebaseClaims(PROJECT, uid, T)) }),
    ],
    ["garbage id", 401, "token_malformed", () => post({ idType: "firebaseJwt", id: "garbage" })],
  ])("%s → %i %s", async (_label, status, code, request) => {
    const response = await request();
    expect(response.status).toBe(status);
    expectFailure(response.body, code);
  });

  it("Google's keys unreachable → 502 jwks_unreachable", async () => {
    const dead = await startJwksServer([]);
    await dead.close();
    const isolated = await startMoojo(
      options({ dataDir: "memory://", firebase: { projectId: PROJECT, jwksUrl: dead.url }, logger: { error: () => undefined } }),
    );
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

describe("POST /user/vault/list-credentials with the Moojo token", () => {
  it("works with x-api-key and the bearer token until the token expires, two hours later", async () => {
    const uid = "bearerUser0000000000000001";
    const auth = await authenticate(await idToken(uid));

    const ok = await list(auth.token);
    expect(ok.status).toBe(200);
    const body = ok.body as Success<{ credentials: CredentialData[] }>;
    expect(Object.keys(body).sort()).toEqual(["data", "status", "traceId"]);
    expect(body.traceId).toMatch(UUID);
    expect(body.data).toEqual({ credentials: [] });

    clockMs += 2 * 3600 * 1000 - 1;
    expect((await list(auth.token)).status).toBe(200);
    clockMs += 1;
    const expired = await list(auth.token);
    expect(expired.status).toBe(401);
    expectFailure(expired.body, "access_token_expired");
    expect(expired.wwwAuthenticate).toMatch(/invalid_token/);

    // A fresh Firebase ID token gets a fresh Moojo token for the same user.
    const renewed = await authenticate(await idToken(uid));
    expect(renewed.publicUserId).toBe(auth.publicUserId);
    expect((await list(renewed.token)).status).toBe(200);
  });

  it.each<[string, string | undefined, string | null, string]>([
    ["no API key", "valid", null, "api_key_missing"],
    ["a wrong API key", "valid", `${API_KEY}x`, "api_key_invalid"],
    ["no Authorization header", undefined, API_KEY, "access_token_missing"],
    ["an unknown token", randomBytes(32).toString("hex"), API_KEY, "access_token_invalid"],
    ["an upper-case variant of a token shape", "A".repeat(64), API_KEY, "access_token_invalid"],
    ["not a token at all", "abc", API_KEY, "access_token_invalid"],
  ])("refuses %s", async (_label, token, apiKey, code) => {
    const valid = token === "valid" ? (await authenticate(await idToken("refusedLister000000000001"))).token : token;
    const response = await list(valid, apiKey);
    expect(response.status).toBe(401);
    expectFailure(response.body, code);
  });
});

describe("define-credential and add-credential", () => {
  const definition = {
    slug: "groceries-expenses",
    name: "Groceries Expenses",
    description: "Average grocery spending over 90 days",
    fieldDefinitions: [
      { name: "monthly-spend", type: "uint", description: "the dollar value" },
      { name: "currency", type: "string", description: "ISO 4217" },
    ],
  };

  it("defines once, idempotently; adds to the user; lists it in definition order with the user's address", async () => {
    const first = await call("/define-credential", definition);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ status: "success", traceId: expect.any(String) });
    const firstId = (first.body as Success<{ definitionId: string }>).data.definitionId;
    expect(firstId).toMatch(/^0x[0-9a-f]{64}$/);
    // The same definition again: the same answer, nothing broken.
    const again = await call("/define-credential", definition);
    expect(again.status).toBe(200);
    expect((again.body as Success<{ definitionId: string }>).data.definitionId).toBe(firstId);
    // The same slug with other fields: refused, never changed.
    const changed = await call("/define-credential", { ...definition, fieldDefinitions: [definition.fieldDefinitions[0]] });
    expect(changed.status).toBe(409);
    expectFailure(changed.body, "credential_already_defined");

    const auth = await authenticate(await idToken("credentialUser00000000001"));
    const added = await call("/user/add-credential", {
      publicUserId: auth.publicUserId,
      slug: "groceries-expenses",
      fields: { currency: "USD", "monthly-spend": 300 },
    });
    expect(added.status).toBe(200);
    expect(added.body).toMatchObject({ status: "success", traceId: expect.any(String) });

    const listed = await list(auth.token);
    const parsed = listed.body as Success<{ credentials: CredentialData[] }>;
    expect(parsed.data.credentials).toHaveLength(1);
    const [credential] = parsed.data.credentials;
    expect(credential).toMatchObject({
      definitionId: firstId,
      slug: "groceries-expenses",
      createdAt: clockMs,
      fields: { "monthly-spend": 300, currency: "USD" },
    });
    expect(Object.keys(credential!.fields)).toEqual(["monthly-spend", "currency"]);
    expect(credential!.id).toBe((added.body as Success<{ credentialId: string }>).data.credentialId);
    // The recipient is the address of the user's own Moojo key.
    const uncompressed = secp256k1.Point.fromHex(auth.publicKey.slice(2)).toBytes(false);
    expect(credential!.recipientAddress).toBe(addressFromPublicKey(uncompressed));

    // Another user sees none of it.
    const other = await authenticate(await idToken("credentialUser00000000002"));
    expect(((await list(other.token)).body as Success<{ credentials: CredentialData[] }>).data.credentials).toEqual([]);
  });

  it("a definition without fields gives credentials with empty fields", async () => {
    expect((await call("/define-credential", { slug: "attended-demo" })).status).toBe(200);
    const auth = await authenticate(await idToken("emptyFieldsUser0000000001"));
    expect((await call("/user/add-credential", { publicUserId: auth.publicUserId, slug: "attended-demo", fields: {} })).status).toBe(200);
    const parsed = (await list(auth.token)).body as Success<{ credentials: CredentialData[] }>;
    expect(parsed.data.credentials.map((c) => c.fields)).toEqual([{}]);
  });

  const twelve = Array.from({ length: 12 }, (_, i) => ({ name: `f${i}`, type: "uint" as const }));
  it.each<[string, string, unknown, number, string]>([
    [
      "13 field definitions",
      "/define-credential",
      { slug: "too-many", fieldDefinitions: [...twelve, { name: "f12", type: "uint" }] },
      400,
      "validation_error",
    ],
    [
      "a type other than uint and string",
      "/define-credential",
      { slug: "bad-type", fieldDefinitions: [{ name: "a", type: "bool" }] },
      400,
      "validation_error",
    ],
    [
      "duplicate field names",
      "/define-credential",
      {
        slug: "dupes",
        fieldDefinitions: [
          { name: "a", type: "uint" },
          { name: "a", type: "string" },
        ],
      },
      400,
      "validation_error",
    ],
    ["no slug", "/define-credential", { fieldDefinitions: [] }, 400, "validation_error"],
    ["an unknown property", "/define-credential", { slug: "x", fields: [] }, 400, "validation_error"],
    [
      "an unknown slug",
      "/user/add-credential",
      { publicUserId: "a6e8f837-2f6b-478c-a007-82989d000000", slug: "never-defined", fields: {} },
      400,
      "slug_unknown",
    ],
    [
      "a missing field",
      "/user/add-credential",
      { publicUserId: "@user", slug: "groceries-expenses", fields: { currency: "USD" } },
      400,
      "fields_invalid",
    ],
    [
      "an undefined field",
      "/user/add-credential",
      { publicUserId: "@user", slug: "groceries-expenses", fields: { currency: "USD", "monthly-spend": 1, extra: "x" } },
      400,
      "fields_invalid",
    ],
    [
      "a string for a uint",
      "/user/add-credential",
      { publicUserId: "@user", slug: "groceries-expenses", fields: { currency: "USD", "monthly-spend": "300" } },
      400,
      "fields_invalid",
    ],
    [
      "a negative uint",
      "/user/add-credential",
      { publicUserId: "@user", slug: "groceries-expenses", fields: { currency: "USD", "monthly-spend": -1 } },
      400,
      "fields_invalid",
    ],
    [
      "a fractional uint",
      "/user/add-credential",
      { publicUserId: "@user", slug: "groceries-expenses", fields: { currency: "USD", "monthly-spend": 1.5 } },
      400,
      "fields_invalid",
    ],
    [
      "a number for a string",
      "/user/add-credential",
      { publicUserId: "@user", slug: "groceries-expenses", fields: { currency: 840, "monthly-spend": 1 } },
      400,
      "fields_invalid",
    ],
    [
      "an unknown user",
      "/user/add-credential",
      { publicUserId: "00000000-0000-4000-8000-000000000000", slug: "groceries-expenses", fields: { currency: "USD", "monthly-spend": 1 } },
      404,
      "user_unknown",
    ],
    [
      "a publicUserId that is not a UUID",
      "/user/add-credential",
      { publicUserId: "nope", slug: "groceries-expenses", fields: {} },
      400,
      "validation_error",
    ],
  ])("refuses %s", async (_label, path, body, status, code) => {
    await call("/define-credential", definition);
    let request = body;
    if ((body as { publicUserId?: string }).publicUserId === "@user") {
      const auth = await authenticate(await idToken("validationUser00000000001"));
      request = { ...(body as object), publicUserId: auth.publicUserId };
    }
    const response = await call(path, request);
    expect(response.status).toBe(status);
    expectFailure(response.body, code);
  });

  it.each(["/define-credential", "/user/add-credential"])("%s needs the API key, checked before the body", async (path) => {
    const missing = await call(path, "{not json", {});
    expect(missing.status).toBe(401);
    expectFailure(missing.body, "api_key_missing");
    const wrong = await call(path, {}, { "x-api-key": `${API_KEY}x` });
    expect(wrong.status).toBe(401);
    expectFailure(wrong.body, "api_key_invalid");
  });
});

describe("nothing undocumented", () => {
  // Moojo documents no user-profile call; an earlier version of this counterpart invented one
  // (and the app called it), which would have failed every real connect. So: 404.
  const undocumented = ["me", "profile", "info", "credentials"].flatMap((name) => [
    ["GET", `/user/${name}`],
    ["POST", `/user/${name}`],
  ]);
  it.each([...undocumented, ["GET", "/user"], ["POST", "/user/vault"]])("%s %s → 404", async (method, path) => {
    const auth = await authenticate(await idToken("undocumentedUser000000001"));
    const response = await fetch(`${moojo.url}${path}`, {
      method,
      headers: { "x-api-key": API_KEY, Authorization: `Bearer ${auth.token}` },
    });
    expect(response.status).toBe(404);
  });

  it("the documented calls take POST only", async () => {
    for (const path of ["/user/authenticate", "/user/vault/list-credentials", "/define-credential", "/user/add-credential"]) {
      expect((await fetch(`${moojo.url}${path}`, { headers: { "x-api-key": API_KEY } })).status).toBe(405);
    }
  });
});

describe("the shape of the answers, in both variants", () => {
  it.each(["standard", "sparse"] as const)("%s", async (variant) => {
    const service = await startMoojo(options({ dataDir: "memory://", variant }));
    try {
      const auth = await post({ idType: "firebaseJwt", id: await idToken("variantUser00000000000001") }, undefined, undefined, service.url);
      expect(auth.status).toBe(200);
      const authenticated = (auth.body as Success<AuthData>).data;
      const define = await call(
        "/define-credential",
        { slug: "variant-demo", fieldDefinitions: [{ name: "sign-in-method", type: "string" }] },
        undefined,
        service.url,
      );
      expect(define.status).toBe(200);
      const add = await call(
        "/user/add-credential",
        { publicUserId: authenticated.publicUserId, slug: "variant-demo", fields: { "sign-in-method": "firebase" } },
        undefined,
        service.url,
      );
      expect(add.status).toBe(200);
      const listed = await list(authenticated.token, API_KEY, service.url);
      expect((listed.body as Success<{ credentials: CredentialData[] }>).data.credentials).toHaveLength(1);

      const envelope = listed.body as Record<string, unknown>;
      const credential = (envelope.data as { credentials: Record<string, unknown>[] }).credentials[0]!;
      if (variant === "standard") {
        expect(Object.keys(envelope).sort()).toEqual(["data", "status", "traceId"]);
        expect(Object.keys(credential).sort()).toEqual([
          "attesterAddress",
          "createdAt",
          "definitionId",
          "fields",
          "id",
          "recipientAddress",
          "slug",
        ]);
        expect(authenticated.expiresAtIso8601).toMatch(ISO_8601);
      } else {
        // The legal-but-unusual shapes: no traceId, unknown fields, lower-case addresses, no milliseconds.
        expect(envelope).not.toHaveProperty("traceId");
        expect(envelope).toHaveProperty("_counterpartUnknownField");
        expect(envelope.data).toHaveProperty("futureFeature");
        expect(credential).toHaveProperty("_counterpartUnknownField");
        expect(credential.recipientAddress).toBe(String(credential.recipientAddress).toLowerCase());
        expect(authenticated.expiresAtIso8601).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      }
    } finally {
      await service.close();
    }
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
    expect((await list(auth.token)).status).toBe(200);
    const again = await authenticate(await idToken("persistUser000000000000001"));
    expect(again.publicUserId).toBe(auth.publicUserId);
  });
});
