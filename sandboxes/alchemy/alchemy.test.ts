/**
 * The Alchemy sandbox over HTTP: ID tokens from a local OIDC issuer, credential bundles opened
 * with @turnkey/crypto, whoami stamped with the decrypted key through @turnkey/sdk-server's
 * stampGetWhoami (what Alchemy's signer client sends). Frozen clock.
 */
import { decryptCredentialBundle, generateP256KeyPair, getPublicKey } from "@turnkey/crypto";
import { bytesToHex } from "@noble/hashes/utils.js";
import { Turnkey } from "@turnkey/sdk-server";
import { exportSPKI, type JWTPayload } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isChecksumAddress } from "../lib/ethereum-address";
import type { RunningService } from "../lib/http";
import { nonceForPublicKey } from "../lib/oidc-token";
import { createTestIssuerKey, hmacToken, startTestIssuer, unsignedToken, type TestIssuer } from "../lib/oidc-test-issuer";
import { frozenClock } from "../lib/test-clock";
import { startAlchemy } from "./index";

const T = 1_900_000_000;
const API_KEY = "alchemy-test-api-key-0123456789";
const AUD = "project-one";
const OTHER_AUD = "project-two";
const APP_ORIGIN = "http://localhost:3000";

const clock = frozenClock(T);
let issuer: TestIssuer;
let alchemy: RunningService;

interface AuthResponse {
  orgId: string;
  isSignup: boolean;
  credentialBundle: string | null;
  userId: string;
  address: string;
  solanaAddress: string;
}
interface ErrorBody {
  error: { code: string; message: string };
}

async function call<T>(path: string, body: unknown, apiKey: string | null = API_KEY): Promise<{ status: number; body: T }> {
  const response = await fetch(`${alchemy.url}${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...(apiKey !== null ? { Authorization: `Bearer ${apiKey}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as T };
}

function claims(sub: string, targetPublicKey?: string, overrides: JWTPayload = {}): JWTPayload {
  return {
    iss: issuer.url,
    sub,
    aud: AUD,
    iat: T - 5,
    exp: T + 300,
    ...(targetPublicKey !== undefined ? { nonce: nonceForPublicKey(targetPublicKey) } : {}),
    ...overrides,
  };
}

const authJwt = (jwt: string, targetPublicKey?: string, extra: object = {}) =>
  call<AuthResponse>("/signer/v1/auth-jwt", { jwt, authProvider: "byo-auth", ...(targetPublicKey !== undefined ? { targetPublicKey } : {}), ...extra });

/** What the signer client does with a bundle: decrypt, derive the public key, stamp whoami. */
async function whoamiWithBundle(bundle: string, target: ReturnType<typeof generateP256KeyPair>, orgId: string) {
  const privateKey = decryptCredentialBundle(bundle, target.privateKey);
  const publicKey = bytesToHex(getPublicKey(privateKey, true));
  const stampedRequest = await new Turnkey({
    apiBaseUrl: "https://api.turnkey.com",
    defaultOrganizationId: orgId,
    apiPublicKey: publicKey,
    apiPrivateKey: privateKey,
  })
    .apiClient()
    .stampGetWhoami({ organizationId: orgId });
  return { stampedRequest: stampedRequest!, publicKey, privateKey };
}

beforeAll(async () => {
  issuer = await startTestIssuer();
  alchemy = await startAlchemy({
    port: 0,
    dataDir: "memory://",
    apiKey: API_KEY,
    audiences: [AUD, OTHER_AUD],
    allowedOrigins: [APP_ORIGIN],
    now: clock.now,
  });
});
afterAll(async () => {
  await alchemy?.close();
  await issuer?.close();
});

describe("auth-jwt", () => {
  it("a good RS256 token → a bundle @turnkey/crypto opens; the key it holds stamps whoami", async () => {
    const target = generateP256KeyPair();
    const first = await authJwt(await issuer.mint(claims("alice", target.publicKey, { email: "alice@example.com", email_verified: true })), target.publicKey);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ isSignup: true, credentialBundle: expect.any(String) });
    expect(isChecksumAddress(first.body.address)).toBe(true);
    expect(first.body.solanaAddress).toMatch(/^[1-9A-HJ-NP-Za-km-z]{32,44}$/);

    const { stampedRequest } = await whoamiWithBundle(first.body.credentialBundle!, target, first.body.orgId);
    const me = await call<Record<string, string>>("/signer/v1/whoami", { stampedRequest });
    expect(me).toEqual({
      status: 200,
      body: { orgId: first.body.orgId, userId: first.body.userId, address: first.body.address, solanaAddress: first.body.solanaAddress, email: "alice@example.com" },
    });
  });

  it("same (iss, sub, aud) → same user and addresses; a new aud or sub → a new user", async () => {
    const t1 = generateP256KeyPair();
    const a = await authJwt(await issuer.mint(claims("bob", t1.publicKey)), t1.publicKey);
    const t2 = generateP256KeyPair();
    const b = await authJwt(await issuer.mint(claims("bob", t2.publicKey)), t2.publicKey);
    expect(a.body.isSignup).toBe(true);
    expect(b.body).toMatchObject({ isSignup: false, orgId: a.body.orgId, userId: a.body.userId, address: a.body.address, solanaAddress: a.body.solanaAddress });
    expect(b.body.credentialBundle).not.toBe(a.body.credentialBundle);

    const t3 = generateP256KeyPair();
    const otherAud = await authJwt(await issuer.mint(claims("bob", t3.publicKey, { aud: OTHER_AUD })), t3.publicKey);
    expect(otherAud.body.isSignup).toBe(true);
    expect(otherAud.body.orgId).not.toBe(a.body.orgId);
    expect(otherAud.body.address).not.toBe(a.body.address);

    const t4 = generateP256KeyPair();
    const otherSub = await authJwt(await issuer.mint(claims("bobby", t4.publicKey)), t4.publicKey);
    expect(otherSub.body.userId).not.toBe(a.body.userId);
  });

  it("without targetPublicKey only pre-generates the wallet; a later login finds it", async () => {
    const pre = await authJwt(await issuer.mint(claims("carol")));
    expect(pre).toMatchObject({ status: 200, body: { isSignup: true, credentialBundle: null } });
    const target = generateP256KeyPair();
    const login = await authJwt(await issuer.mint(claims("carol", target.publicKey)), target.publicKey);
    expect(login.body).toMatchObject({ isSignup: false, orgId: pre.body.orgId, address: pre.body.address });
  });

  it("accepts an uncompressed 0x-prefixed target key (nonce over the hex without 0x)", async () => {
    const target = generateP256KeyPair();
    const answer = await authJwt(await issuer.mint(claims("dave", target.publicKeyUncompressed)), `0x${target.publicKeyUncompressed}`);
    expect(answer.status).toBe(200);
    const { stampedRequest } = await whoamiWithBundle(answer.body.credentialBundle!, target, answer.body.orgId);
    expect((await call("/signer/v1/whoami", { stampedRequest })).status).toBe(200);
  });

  it("the API key expires after expirationSeconds", async () => {
    const target = generateP256KeyPair();
    const answer = await authJwt(await issuer.mint(claims("erin", target.publicKey)), target.publicKey, { expirationSeconds: "120" });
    const { stampedRequest } = await whoamiWithBundle(answer.body.credentialBundle!, target, answer.body.orgId);
    expect((await call("/signer/v1/whoami", { stampedRequest })).status).toBe(200);
    clock.advance(121);
    try {
      const late = await call<ErrorBody>("/signer/v1/whoami", { stampedRequest });
      expect(late).toMatchObject({ status: 401, body: { error: { code: "stamp_key_expired" } } });
    } finally {
      clock.reset();
    }
  });

  type Case = [name: string, request: () => Promise<{ status: number; body: unknown }>, status: number, code: string];
  const target = generateP256KeyPair();
  const good = () => issuer.mint(claims("frank", target.publicKey));
  const cases: Case[] = [
    ["wrong API key", async () => call("/signer/v1/auth-jwt", { jwt: await good(), authProvider: "x", targetPublicKey: target.publicKey }, "wrong-key-0123456789"), 401, "api_key_invalid"],
    ["no API key", async () => call("/signer/v1/auth-jwt", { jwt: await good(), authProvider: "x", targetPublicKey: target.publicKey }, null), 401, "api_key_missing"],
    ["ES256 token", async () => authJwt(await issuer.mint(claims("frank", target.publicKey), { key: issuer.es256 }), target.publicKey), 401, "alg_not_allowed"],
    [
      "HS256 token (keyed with the RSA public key)",
      async () => authJwt(await hmacToken(claims("frank", target.publicKey), await exportSPKI(issuer.rs256.publicKey), issuer.rs256.kid), target.publicKey),
      401,
      "alg_hmac",
    ],
    ["alg none", async () => authJwt(unsignedToken(claims("frank", target.publicKey), { kid: issuer.rs256.kid }), target.publicKey), 401, "alg_none"],
    ["typ missing", async () => authJwt(await issuer.mint(claims("frank", target.publicKey), { header: { typ: undefined } }), target.publicKey), 401, "typ_missing"],
    ["kid missing", async () => authJwt(await issuer.mint(claims("frank", target.publicKey), { header: { kid: undefined } }), target.publicKey), 401, "kid_missing"],
    ["wrong nonce", async () => authJwt(await issuer.mint(claims("frank", generateP256KeyPair().publicKey)), target.publicKey), 401, "nonce_mismatch"],
    ["nonce missing with a target key", async () => authJwt(await issuer.mint(claims("frank")), target.publicKey), 401, "nonce_missing"],
    ["wrong aud", async () => authJwt(await issuer.mint(claims("frank", target.publicKey, { aud: "not-ours" })), target.publicKey), 401, "aud_mismatch"],
    ["two accepted auds", async () => authJwt(await issuer.mint(claims("frank", target.publicKey, { aud: [AUD, OTHER_AUD] })), target.publicKey), 401, "aud_ambiguous"],
    ["expired", async () => authJwt(await issuer.mint(claims("frank", target.publicKey, { iat: T - 900, exp: T - 31 })), target.publicKey), 401, "token_expired"],
    ["iat missing", async () => authJwt(await issuer.mint({ ...claims("frank", target.publicKey), iat: undefined }), target.publicKey), 401, "iat_missing"],
    ["unknown kid", async () => authJwt(await issuer.mint(claims("frank", target.publicKey), { key: await createTestIssuerKey("RS256") }), target.publicKey), 401, "kid_unknown"],
    [
      "issuer discovery missing fields",
      async () => {
        const broken = await startTestIssuer();
        try {
          delete broken.discovery.subject_types_supported;
          return await authJwt(await broken.mint({ ...claims("frank", target.publicKey), iss: broken.url }), target.publicKey);
        } finally {
          await broken.close();
        }
      },
      502,
      "discovery_invalid",
    ],
    ["target key not a P-256 key", async () => authJwt(await good(), "04abcd"), 400, "target_public_key_invalid"],
    ["expirationSeconds too long", async () => authJwt(await good(), target.publicKey, { expirationSeconds: "99999999" }), 400, "expiration_invalid"],
    ["authProvider missing", async () => call("/signer/v1/auth-jwt", { jwt: await good() }), 400, "validation_error"],
  ];
  it.each(cases)("rejects: %s", async (_name, request, status, code) => {
    const answer = await request();
    expect(answer.status).toBe(status);
    expect(answer.body).toMatchObject({ error: { code } });
  });
});

describe("whoami", () => {
  let user: AuthResponse;
  let target: ReturnType<typeof generateP256KeyPair>;
  beforeAll(async () => {
    target = generateP256KeyPair();
    user = (await authJwt(await issuer.mint(claims("grace", target.publicKey)), target.publicKey)).body;
  });

  type Stamped = Awaited<ReturnType<typeof whoamiWithBundle>>["stampedRequest"];
  type Case = [name: string, tamper: (s: Stamped) => Promise<Stamped>, status: number, code: string];
  const cases: Case[] = [
    ["body changed after stamping", async (s) => ({ ...s, body: JSON.stringify({ organizationId: "someone-else" }) }), 401, "stamp_signature_invalid"],
    ["stamp missing", async (s) => ({ ...s, stamp: { ...s.stamp, stampHeaderValue: "" } }), 401, "stamp_missing"],
    ["passkey stamp header", async (s) => ({ ...s, stamp: { ...s.stamp, stampHeaderName: "X-Stamp-WebAuthn" } }), 400, "stamp_header_unsupported"],
    ["stamp for another Turnkey endpoint", async (s) => ({ ...s, url: "https://api.turnkey.com/public/v1/query/list_wallets" }), 400, "stamped_request_url_invalid"],
    [
      "stamped by an unregistered key",
      async (s) => {
        const stranger = generateP256KeyPair();
        const client = new Turnkey({ apiBaseUrl: "https://api.turnkey.com", defaultOrganizationId: user.orgId, apiPublicKey: stranger.publicKey, apiPrivateKey: stranger.privateKey });
        return (await client.apiClient().stampGetWhoami({ organizationId: user.orgId })) ?? s;
      },
      401,
      "stamp_key_not_found",
    ],
    [
      "valid key naming another organization",
      async () => (await whoamiWithBundle((await authJwt(await issuer.mint(claims("grace", target.publicKey)), target.publicKey)).body.credentialBundle!, target, "another-org")).stampedRequest,
      403,
      "organization_mismatch",
    ],
  ];
  it.each(cases)("rejects: %s", async (_name, tamper, status, code) => {
    const { stampedRequest } = await whoamiWithBundle(user.credentialBundle!, target, user.orgId);
    const answer = await call<ErrorBody>("/signer/v1/whoami", { stampedRequest: await tamper(stampedRequest) });
    expect(answer.status).toBe(status);
    expect(answer.body.error.code).toBe(code);
  });

  it("requires the API key too", async () => {
    const { stampedRequest } = await whoamiWithBundle(user.credentialBundle!, target, user.orgId);
    expect((await call<ErrorBody>("/signer/v1/whoami", { stampedRequest }, null)).body.error.code).toBe("api_key_missing");
  });
});

describe("configuration", () => {
  it.each([
    ["a short API key", { apiKey: "short" }],
    ["no audiences", { audiences: [] }],
    ["an origin with a path", { allowedOrigins: ["http://localhost:3000/app"] }],
  ])("refuses %s", async (_name, override) => {
    await expect(
      startAlchemy({ port: 0, dataDir: "memory://", apiKey: API_KEY, audiences: [AUD], allowedOrigins: [], ...override }),
    ).rejects.toMatchObject({ code: "alchemy_config_invalid" });
  });

  it("an issuer allowlist refuses other issuers before fetching anything", async () => {
    const strict = await startAlchemy({ port: 0, dataDir: "memory://", apiKey: API_KEY, audiences: [AUD], allowedOrigins: [], issuers: ["https://idp.example"], now: clock.now });
    try {
      const before = { ...issuer.requests };
      const response = await fetch(`${strict.url}/signer/v1/auth-jwt`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Authorization: `Bearer ${API_KEY}` },
        body: JSON.stringify({ jwt: await issuer.mint(claims("henry")), authProvider: "x" }),
      });
      expect(response.status).toBe(401);
      expect(((await response.json()) as ErrorBody).error.code).toBe("issuer_not_allowed");
      expect(issuer.requests).toEqual(before);
    } finally {
      await strict.close();
    }
  });
});
