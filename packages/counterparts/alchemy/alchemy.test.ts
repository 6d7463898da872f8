/**
 * The Alchemy counterpart over HTTP: ID tokens from a local OIDC issuer, credential bundles opened
 * with @turnkey/crypto, whoami stamped with the decrypted key through @turnkey/sdk-server's
 * stampGetWhoami (what Alchemy's signer client sends). Frozen clock.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { decryptCredentialBundle, generateP256KeyPair, getPublicKey } from "@turnkey/crypto";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";
import { Turnkey } from "@turnkey/sdk-server";
import { exportSPKI, type JWTPayload } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isChecksumAddress } from "../lib/ethereum-address";
import type { RunningService } from "../lib/http";
import { nonceForPublicKey } from "../lib/oidc-token";
import { createTestIssuerKey, hmacToken, startTestIssuer, unsignedToken, type TestIssuer } from "../lib/oidc-test-issuer";
import { frozenClock } from "../lib/test-clock";
import { COUNTERPART_VARIANTS, UNKNOWN_EXTRA_FIELDS } from "../lib/variant";
import { startAlchemy } from "./index";

const T = 1_900_000_000;
const API_KEY = "alchemy-test-api-key-0123456789";
const AUD = "project-one";
const OTHER_AUD = "project-two";
const APP_ORIGIN = "http://localhost:3000";

const clock = frozenClock(T);
const sha256Hex = (text: string) => bytesToHex(sha256(utf8ToBytes(text)));
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
  call<AuthResponse>("/signer/v1/auth-jwt", {
    jwt,
    authProvider: "byo-auth",
    ...(targetPublicKey !== undefined ? { targetPublicKey } : {}),
    ...extra,
  });

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
    const first = await authJwt(
      await issuer.mint(claims("alice", target.publicKeyUncompressed, { email: "alice@example.com", email_verified: true })),
      target.publicKeyUncompressed,
    );
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ isSignup: true, credentialBundle: expect.any(String) });
    expect(isChecksumAddress(first.body.address)).toBe(true);
    expect(first.body.solanaAddress).toMatch(/^[1-9A-HJ-NP-Za-km-z]{32,44}$/);

    const { stampedRequest } = await whoamiWithBundle(first.body.credentialBundle!, target, first.body.orgId);
    const me = await call<Record<string, string>>("/signer/v1/whoami", { stampedRequest });
    expect(me).toEqual({
      status: 200,
      body: {
        orgId: first.body.orgId,
        userId: first.body.userId,
        address: first.body.address,
        solanaAddress: first.body.solanaAddress,
        email: "alice@example.com",
      },
    });
  });

  it("same (iss, sub, aud) → same user and addresses; a new aud or sub → a new user", async () => {
    const t1 = generateP256KeyPair();
    const a = await authJwt(await issuer.mint(claims("bob", t1.publicKeyUncompressed)), t1.publicKeyUncompressed);
    const t2 = generateP256KeyPair();
    const b = await authJwt(await issuer.mint(claims("bob", t2.publicKeyUncompressed)), t2.publicKeyUncompressed);
    expect(a.body.isSignup).toBe(true);
    expect(b.body).toMatchObject({
      isSignup: false,
      orgId: a.body.orgId,
      userId: a.body.userId,
      address: a.body.address,
      solanaAddress: a.body.solanaAddress,
    });
    expect(b.body.credentialBundle).not.toBe(a.body.credentialBundle);

    const t3 = generateP256KeyPair();
    const otherAud = await authJwt(
      await issuer.mint(claims("bob", t3.publicKeyUncompressed, { aud: OTHER_AUD })),
      t3.publicKeyUncompressed,
    );
    expect(otherAud.body.isSignup).toBe(true);
    expect(otherAud.body.orgId).not.toBe(a.body.orgId);
    expect(otherAud.body.address).not.toBe(a.body.address);

    const t4 = generateP256KeyPair();
    const otherSub = await authJwt(await issuer.mint(claims("bobby", t4.publicKeyUncompressed)), t4.publicKeyUncompressed);
    expect(otherSub.body.userId).not.toBe(a.body.userId);
  });

  it("keeps users and their wallets across a restart on the same data dir", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "alchemy-restart-"));
    const inMemory = alchemy;
    const start = () =>
      startAlchemy({ port: 0, dataDir: dir, apiKey: API_KEY, audiences: [AUD], allowedOrigins: [APP_ORIGIN], now: clock.now });
    try {
      alchemy = await start();
      const first = await authJwt(await issuer.mint(claims("restart")));
      expect(first.body.isSignup).toBe(true);
      await alchemy.close();

      alchemy = await start();
      const again = await authJwt(await issuer.mint(claims("restart")));
      expect(again.body).toMatchObject({
        isSignup: false,
        userId: first.body.userId,
        orgId: first.body.orgId,
        address: first.body.address,
        solanaAddress: first.body.solanaAddress,
      });
      await alchemy.close();
    } finally {
      alchemy = inMemory;
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("without targetPublicKey only pre-generates the wallet; a later login finds it", async () => {
    const pre = await authJwt(await issuer.mint(claims("carol")));
    expect(pre).toMatchObject({ status: 200, body: { isSignup: true, credentialBundle: null } });
    const target = generateP256KeyPair();
    const login = await authJwt(await issuer.mint(claims("carol", target.publicKeyUncompressed)), target.publicKeyUncompressed);
    expect(login.body).toMatchObject({ isSignup: false, orgId: pre.body.orgId, address: pre.body.address });
  });

  // What Alchemy's signer client sends is the only form taken (providers/wallets/alchemy/schema.ts):
  // each other spelling of the same key is refused, even with a nonce over that very text.
  it.each([
    ["compressed", (k: ReturnType<typeof generateP256KeyPair>) => k.publicKey],
    ["0x-prefixed", (k: ReturnType<typeof generateP256KeyPair>) => `0x${k.publicKeyUncompressed}`],
    ["upper-case", (k: ReturnType<typeof generateP256KeyPair>) => k.publicKeyUncompressed.toUpperCase()],
  ])("refuses a %s target key, even with the nonce over that text", async (_name, spell) => {
    const target = generateP256KeyPair();
    const text = spell(target);
    const answer = await call<ErrorBody>("/signer/v1/auth-jwt", {
      jwt: await issuer.mint(claims("dave", undefined, { nonce: sha256Hex(text) })),
      authProvider: "byo-auth",
      targetPublicKey: text,
    });
    expect(answer).toMatchObject({ status: 400, body: { error: { code: "target_public_key_invalid" } } });
  });

  it("the nonce is the SHA-256 of exactly the 04… text, and the bundle opens with the target's private key", async () => {
    const target = generateP256KeyPair();
    expect(target.publicKeyUncompressed).toMatch(/^04[0-9a-f]{128}$/);
    const answer = await authJwt(
      await issuer.mint(claims("dave", undefined, { nonce: sha256Hex(target.publicKeyUncompressed) })),
      target.publicKeyUncompressed,
    );
    expect(answer.status).toBe(200);
    const { stampedRequest } = await whoamiWithBundle(answer.body.credentialBundle!, target, answer.body.orgId);
    expect((await call("/signer/v1/whoami", { stampedRequest })).status).toBe(200);
  });

  // "If your OAuth provider reserves the nonce claim, you can use tknonce as an alternative. Only
  // one of nonce or tknonce needs to be set." (Alchemy, "Bring Your Own Authentication")
  it.each([
    ["tknonce alone", (bound: string) => ({ tknonce: bound })],
    ["tknonce next to the issuer's own nonce", (bound: string) => ({ nonce: "issuer-own-nonce-value", tknonce: bound })],
  ])("accepts the key binding in %s", async (_name, binding) => {
    const target = generateP256KeyPair();
    const answer = await authJwt(
      await issuer.mint(claims("dora", undefined, binding(nonceForPublicKey(target.publicKeyUncompressed)))),
      target.publicKeyUncompressed,
    );
    expect(answer.status).toBe(200);
    const { stampedRequest } = await whoamiWithBundle(answer.body.credentialBundle!, target, answer.body.orgId);
    expect((await call("/signer/v1/whoami", { stampedRequest })).status).toBe(200);
  });

  it("a tknonce bound to another key is refused like a wrong nonce", async () => {
    const target = generateP256KeyPair();
    const other = generateP256KeyPair();
    const answer = await call<ErrorBody>("/signer/v1/auth-jwt", {
      jwt: await issuer.mint(claims("dora", undefined, { tknonce: nonceForPublicKey(other.publicKeyUncompressed) })),
      authProvider: "byo-auth",
      targetPublicKey: target.publicKeyUncompressed,
    });
    expect(answer).toMatchObject({ status: 401, body: { error: { code: "nonce_mismatch" } } });
  });

  it("the API key expires after expirationSeconds", async () => {
    const target = generateP256KeyPair();
    const answer = await authJwt(await issuer.mint(claims("erin", target.publicKeyUncompressed)), target.publicKeyUncompressed, {
      expirationSeconds: "120",
    });
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
  const good = () => issuer.mint(claims("frank", target.publicKeyUncompressed));
  const cases: Case[] = [
    [
      "wrong API key",
      async () =>
        call(
          "/signer/v1/auth-jwt",
          { jwt: await good(), authProvider: "x", targetPublicKey: target.publicKeyUncompressed },
          "wrong-key-0123456789",
        ),
      401,
      "api_key_invalid",
    ],
    [
      "no API key",
      async () =>
        call("/signer/v1/auth-jwt", { jwt: await good(), authProvider: "x", targetPublicKey: target.publicKeyUncompressed }, null),
      401,
      "api_key_missing",
    ],
    [
      "ES256 token",
      async () =>
        authJwt(await issuer.mint(claims("frank", target.publicKeyUncompressed), { key: issuer.es256 }), target.publicKeyUncompressed),
      401,
      "alg_not_allowed",
    ],
    [
      "HS256 token (keyed with the RSA public key)",
      async () =>
        authJwt(
          await hmacToken(claims("frank", target.publicKeyUncompressed), await exportSPKI(issuer.rs256.publicKey), issuer.rs256.kid),
          target.publicKeyUncompressed,
        ),
      401,
      "alg_hmac",
    ],
    [
      "alg none",
      async () =>
        authJwt(unsignedToken(claims("frank", target.publicKeyUncompressed), { kid: issuer.rs256.kid }), target.publicKeyUncompressed),
      401,
      "alg_none",
    ],
    [
      "typ missing",
      async () =>
        authJwt(
          await issuer.mint(claims("frank", target.publicKeyUncompressed), { header: { typ: undefined } }),
          target.publicKeyUncompressed,
        ),
      401,
      "typ_missing",
    ],
    [
      "kid missing",
      async () =>
        authJwt(
          await issuer.mint(claims("frank", target.publicKeyUncompressed), { header: { kid: undefined } }),
          target.publicKeyUncompressed,
        ),
      401,
      "kid_missing",
    ],
    [
      "wrong nonce",
      async () => authJwt(await issuer.mint(claims("frank", generateP256KeyPair().publicKeyUncompressed)), target.publicKeyUncompressed),
      401,
      "nonce_mismatch",
    ],
    [
      "nonce missing with a target key",
      async () => authJwt(await issuer.mint(claims("frank")), target.publicKeyUncompressed),
      401,
      "nonce_missing",
    ],
    [
      "wrong aud",
      async () =>
        authJwt(await issuer.mint(claims("frank", target.publicKeyUncompressed, { aud: "not-ours" })), target.publicKeyUncompressed),
      401,
      "aud_mismatch",
    ],
    [
      "two accepted auds",
      async () =>
        authJwt(await issuer.mint(claims("frank", target.publicKeyUncompressed, { aud: [AUD, OTHER_AUD] })), target.publicKeyUncompressed),
      401,
      "aud_ambiguous",
    ],
    [
      "expired",
      async () =>
        authJwt(
          await issuer.mint(claims("frank", target.publicKeyUncompressed, { iat: T - 900, exp: T - 31 })),
          target.publicKeyUncompressed,
        ),
      401,
      "token_expired",
    ],
    [
      "iat missing",
      async () =>
        authJwt(await issuer.mint({ ...claims("frank", target.publicKeyUncompressed), iat: undefined }), target.publicKeyUncompressed),
      401,
      "iat_missing",
    ],
    [
      "unknown kid",
      async () =>
        authJwt(
          await issuer.mint(claims("frank", target.publicKeyUncompressed), { key: await createTestIssuerKey("RS256") }),
          target.publicKeyUncompressed,
        ),
      401,
      "kid_unknown",
    ],
    [
      "issuer discovery missing fields",
      async () => {
        const broken = await startTestIssuer();
        try {
          delete broken.discovery.subject_types_supported;
          return await authJwt(
            await broken.mint({ ...claims("frank", target.publicKeyUncompressed), iss: broken.url }),
            target.publicKeyUncompressed,
          );
        } finally {
          await broken.close();
        }
      },
      502,
      "discovery_invalid",
    ],
    ["target key not a P-256 key", async () => authJwt(await good(), "04abcd"), 400, "target_public_key_invalid"],
    [
      "expirationSeconds too long",
      async () => authJwt(await good(), target.publicKeyUncompressed, { expirationSeconds: "99999999" }),
      400,
      "expiration_invalid",
    ],
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
    user = (await authJwt(await issuer.mint(claims("grace", target.publicKeyUncompressed)), target.publicKeyUncompressed)).body;
  });

  type Stamped = Awaited<ReturnType<typeof whoamiWithBundle>>["stampedRequest"];
  type Case = [name: string, tamper: (s: Stamped) => Promise<Stamped>, status: number, code: string];
  const cases: Case[] = [
    [
      "body changed after stamping",
      async (s) => ({ ...s, body: JSON.stringify({ organizationId: "someone-else" }) }),
      401,
      "stamp_signature_invalid",
    ],
    ["stamp missing", async (s) => ({ ...s, stamp: { ...s.stamp, stampHeaderValue: "" } }), 401, "stamp_missing"],
    [
      "passkey stamp header",
      async (s) => ({ ...s, stamp: { ...s.stamp, stampHeaderName: "X-Stamp-WebAuthn" } }),
      400,
      "stamp_header_unsupported",
    ],
    [
      "stamp for another Turnkey endpoint",
      async (s) => ({ ...s, url: "https://api.turnkey.com/public/v1/query/list_wallets" }),
      400,
      "stamped_request_url_invalid",
    ],
    [
      "stamped by an unregistered key",
      async (s) => {
        const stranger = generateP256KeyPair();
        const client = new Turnkey({
          apiBaseUrl: "https://api.turnkey.com",
          defaultOrganizationId: user.orgId,
          apiPublicKey: stranger.publicKey,
          apiPrivateKey: stranger.privateKey,
        });
        return (await client.apiClient().stampGetWhoami({ organizationId: user.orgId })) ?? s;
      },
      401,
      "stamp_key_not_found",
    ],
    [
      "valid key naming another organization",
      async () =>
        (
          await whoamiWithBundle(
            (await authJwt(await issuer.mint(claims("grace", target.publicKeyUncompressed)), target.publicKeyUncompressed)).body
              .credentialBundle!,
            target,
            "another-org",
          )
        ).stampedRequest,
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
    const strict = await startAlchemy({
      port: 0,
      dataDir: "memory://",
      apiKey: API_KEY,
      audiences: [AUD],
      allowedOrigins: [],
      issuers: ["https://idp.example"],
      now: clock.now,
    });
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

// The shape of each variant's answers. (The app's own schemas read them in
// providers/wallets/alchemy/counterpart-answers.test.ts.)
describe.each(COUNTERPART_VARIANTS)("the %s variant", (variant) => {
  let service: RunningService;
  beforeAll(async () => {
    service = await startAlchemy({
      port: 0,
      dataDir: "memory://",
      apiKey: API_KEY,
      audiences: [AUD],
      allowedOrigins: [],
      now: clock.now,
      variant,
    });
  });
  afterAll(async () => {
    await service?.close();
  });
  const post = async (path: string, body: unknown): Promise<Record<string, unknown>> => {
    const response = await fetch(`${service.url}${path}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${API_KEY}` },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(200);
    return (await response.json()) as Record<string, unknown>;
  };

  it("pre-generation, login and whoami: the sparse answers carry the documented nulls and other spelling", async () => {
    const sub = `variant-${variant}`;
    const pre = await post("/signer/v1/auth-jwt", {
      jwt: await issuer.mint(claims(sub, undefined, { email: `${sub}@example.com`, email_verified: true })),
      authProvider: "byo-auth",
    });
    const preParsed = pre as unknown as AuthResponse;
    expect(pre).toMatchObject({ credentialBundle: null });

    const target = generateP256KeyPair();
    const login = await post("/signer/v1/auth-jwt", {
      jwt: await issuer.mint(claims(sub, target.publicKeyUncompressed, { email: `${sub}@example.com`, email_verified: true })),
      authProvider: "byo-auth",
      targetPublicKey: target.publicKeyUncompressed,
    });
    const loginParsed = login as unknown as AuthResponse;
    expect(login).toMatchObject({ orgId: preParsed.orgId, address: preParsed.address, credentialBundle: expect.any(String) });

    const { stampedRequest } = await whoamiWithBundle(loginParsed.credentialBundle!, target, loginParsed.orgId);
    const me = await post("/signer/v1/whoami", { stampedRequest });
    expect(me).toMatchObject({ orgId: loginParsed.orgId, userId: loginParsed.userId, address: loginParsed.address });

    if (variant === "sparse") {
      // The other spelling, nulls where the docs allow them, and fields nobody documented.
      expect(pre).toMatchObject({ isSignUp: true, userId: null, solanaAddress: null, ...UNKNOWN_EXTRA_FIELDS });
      expect(pre).not.toHaveProperty("isSignup");
      expect(login).toMatchObject({ isSignUp: false, solanaAddress: null, userId: expect.any(String), ...UNKNOWN_EXTRA_FIELDS });
      expect(me).toMatchObject({ email: null, solanaAddress: null });
    } else {
      expect(pre).toMatchObject({ isSignup: true, userId: expect.any(String), solanaAddress: expect.any(String) });
      expect(login).toMatchObject({ isSignup: false });
      expect(me).toMatchObject({ email: `${sub}@example.com`, solanaAddress: preParsed.solanaAddress });
    }
  });
});
