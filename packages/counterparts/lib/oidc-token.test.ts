import { exportSPKI, type JWTPayload } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createOidcTokenVerifier,
  nonceForPublicKey,
  OidcTokenError,
  type OidcTokenErrorCode,
  type OidcTokenVerifier,
  type VerifyOidcTokenOptions,
} from "./oidc-token";
import { createTestIssuerKey, hmacToken, startTestIssuer, unsignedToken, type TestIssuer } from "./oidc-test-issuer";

/** Frozen clock: 2030-03-17T17:46:40Z. */
const T = 1_900_000_000;
const now = () => new Date(T * 1000);
const AUD = "project-1";
const PUBLIC_KEY = "02" + "ab".repeat(32);
const NONCE = nonceForPublicKey(PUBLIC_KEY);

let issuer: TestIssuer;
let both: OidcTokenVerifier;
let rsOnly: OidcTokenVerifier;
const allowAll: VerifyOidcTokenOptions = { issuerAllowed: () => true, audiences: [AUD], nonce: NONCE };

function claims(overrides: JWTPayload = {}): JWTPayload {
  return { sub: "user-1", aud: AUD, iat: T - 10, exp: T + 290, nonce: NONCE, email: "a@example.com", email_verified: true, ...overrides };
}
function without(payload: JWTPayload, member: string): JWTPayload {
  const copy: Record<string, unknown> = { ...payload };
  delete copy[member];
  return copy as JWTPayload;
}
async function rejection(promise: Promise<unknown>): Promise<OidcTokenError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OidcTokenError);
  return error as OidcTokenError;
}

beforeAll(async () => {
  issuer = await startTestIssuer();
  both = createOidcTokenVerifier({ algorithms: ["RS256", "ES256"], now });
  rsOnly = createOidcTokenVerifier({
    algorithms: ["RS256"],
    requireTyp: true,
    requiredDiscoveryFields: [
      "id_token_signing_alg_values_supported",
      "authorization_endpoint",
      "response_types_supported",
      "subject_types_supported",
    ],
    now,
  });
});
afterAll(async () => {
  await issuer.close();
});

describe("OIDC ID token: accepted", () => {
  it.each([
    ["RS256", () => issuer.mint(claims())],
    ["ES256", () => issuer.mint(claims(), { key: issuer.es256 })],
    ["aud array containing ours", () => issuer.mint(claims({ aud: ["other", AUD] }))],
    ["expired within tolerance", () => issuer.mint(claims({ iat: T - 300, exp: T - 20 }))],
    ["iat ahead within tolerance", () => issuer.mint(claims({ iat: T + 20, exp: T + 300 }))],
    ["no typ (not required)", () => issuer.mint(claims(), { header: { typ: undefined } })],
  ])("%s", async (_name, mint) => {
    const verified = await both.verify(await mint(), allowAll);
    expect(verified).toMatchObject({
      issuer: issuer.url,
      subject: "user-1",
      matchedAudiences: [AUD],
      email: "a@example.com",
      emailVerified: true,
    });
  });

  it("accepts any audience when none is required, and no nonce when none is expected", async () => {
    const verified = await both.verify(await issuer.mint(without(claims({ aud: "x" }), "nonce")), { issuerAllowed: () => true });
    expect(verified.matchedAudiences).toEqual(["x"]);
  });

  it("nonce = hex SHA-256 of the key's hex text, 0x ignored", () => {
    expect(nonceForPublicKey("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(nonceForPublicKey("0xabc")).toBe(nonceForPublicKey("abc"));
  });
});

describe("OIDC ID token: rejected", () => {
  type Case = [
    name: string,
    token: () => Promise<string>,
    code: OidcTokenErrorCode,
    verifier?: () => OidcTokenVerifier,
    options?: Partial<VerifyOidcTokenOptions>,
  ];
  const cases: Case[] = [
    ["not a JWS", async () => "nope", "token_malformed"],
    ["alg none", async () => unsignedToken({ iss: issuer.url, ...claims() }, { kid: issuer.rs256.kid }), "alg_none"],
    [
      "HS256 keyed with the RSA public key",
      async () => hmacToken({ iss: issuer.url, ...claims() }, await exportSPKI(issuer.rs256.publicKey), issuer.rs256.kid),
      "alg_hmac",
    ],
    ["ES256 where RS256 is required", () => issuer.mint(claims(), { key: issuer.es256 }), "alg_not_allowed", () => rsOnly],
    ["typ missing where required", () => issuer.mint(claims(), { header: { typ: undefined } }), "typ_missing", () => rsOnly],
    ["typ at+jwt", () => issuer.mint(claims(), { header: { typ: "at+jwt" } }), "typ_invalid"],
    ["kid missing", () => issuer.mint(claims(), { header: { kid: undefined } }), "kid_missing"],
    ["iss missing", () => issuer.mint(claims({ iss: undefined })), "iss_missing"],
    ["issuer refused by the caller", () => issuer.mint(claims()), "issuer_not_allowed", undefined, { issuerAllowed: () => false }],
    ["issuer not an http URL", () => issuer.mint(claims({ iss: "file:///etc" })), "issuer_not_allowed"],
    ["kid unknown", async () => issuer.mint(claims(), { key: await createTestIssuerKey("RS256") }), "kid_unknown"],
    [
      "kid of another key",
      async () => issuer.mint(claims(), { key: await createTestIssuerKey("RS256"), header: { kid: issuer.rs256.kid } }),
      "signature_invalid",
    ],
    ["expired", () => issuer.mint(claims({ iat: T - 600, exp: T - 31 })), "token_expired"],
    ["nbf in the future", () => issuer.mint(claims({ nbf: T + 120 })), "token_not_yet_valid"],
    ["iat in the future", () => issuer.mint(claims({ iat: T + 120, exp: T + 400 })), "iat_in_future"],
    ["exp missing", () => issuer.mint(without(claims(), "exp")), "exp_missing"],
    ["iat missing", () => issuer.mint(without(claims(), "iat")), "iat_missing"],
    ["sub missing", () => issuer.mint(without(claims(), "sub")), "sub_missing"],
    ["wrong aud", () => issuer.mint(claims({ aud: "someone-else" })), "aud_mismatch"],
    ["nonce missing", () => issuer.mint(without(claims(), "nonce")), "nonce_missing"],
    ["nonce of another key", () => issuer.mint(claims({ nonce: nonceForPublicKey("03" + "cd".repeat(32)) })), "nonce_mismatch"],
    [
      "nonce over the key bytes instead of the text",
      () => issuer.mint(claims({ nonce: nonceForPublicKey(Buffer.from(PUBLIC_KEY, "hex").toString("latin1")) })),
      "nonce_mismatch",
    ],
  ];
  it.each(cases)("%s", async (_name, token, code, verifier = () => both, options = {}) => {
    const error = await rejection(verifier().verify(await token(), { ...allowAll, ...options }));
    expect(error.code).toBe(code);
  });

  it("checks the header and issuer gate before any network request", async () => {
    const fresh = await startTestIssuer();
    try {
      const v = createOidcTokenVerifier({ algorithms: ["RS256"], now });
      const none = unsignedToken({ iss: fresh.url, ...claims() }, { kid: fresh.rs256.kid });
      expect((await rejection(v.verify(none, allowAll))).code).toBe("alg_none");
      expect((await rejection(v.verify(await fresh.mint(claims()), { ...allowAll, issuerAllowed: () => false }))).code).toBe(
        "issuer_not_allowed",
      );
      expect(fresh.requests).toEqual({ discovery: 0, jwks: 0 });
    } finally {
      await fresh.close();
    }
  });
});

describe("OIDC discovery", () => {
  type Case = [name: string, breakIt: (i: TestIssuer) => void, code: OidcTokenErrorCode];
  it.each<Case>([
    ["no jwks_uri", (i) => delete i.discovery.jwks_uri, "discovery_invalid"],
    ["no authorization_endpoint (required by this verifier)", (i) => delete i.discovery.authorization_endpoint, "discovery_invalid"],
    ["no subject_types_supported", (i) => delete i.discovery.subject_types_supported, "discovery_invalid"],
    ["empty id_token_signing_alg_values_supported", (i) => (i.discovery.id_token_signing_alg_values_supported = []), "discovery_invalid"],
    ["names another issuer", (i) => (i.discovery.issuer = "http://127.0.0.1:1"), "discovery_invalid"],
    ["jwks_uri not http(s)", (i) => (i.discovery.jwks_uri = "file:///etc/passwd"), "discovery_invalid"],
    ["JWKS gone", (i) => (i.discovery.jwks_uri = `${i.url}/missing.json`), "jwks_unreachable"],
  ])("%s", async (_name, breakIt, code) => {
    const broken = await startTestIssuer();
    try {
      breakIt(broken);
      expect((await rejection(rsOnly.verify(await broken.mint(claims()), allowAll))).code).toBe(code);
    } finally {
      await broken.close();
    }
  });

  it("an unreachable issuer → discovery_unreachable", async () => {
    const gone = await startTestIssuer();
    const token = await gone.mint(claims());
    await gone.close();
    expect((await rejection(both.verify(token, allowAll))).code).toBe("discovery_unreachable");
  });

  it("an issuer with a path component", async () => {
    const tenant = await startTestIssuer({ path: "/tenants/a" });
    try {
      await expect(both.verify(await tenant.mint(claims()), allowAll)).resolves.toMatchObject({ issuer: tenant.url });
    } finally {
      await tenant.close();
    }
  });

  it("fetches discovery and JWKS once for many tokens; refetches the JWKS once per cooldown on an unknown kid", async () => {
    const fresh = await startTestIssuer();
    const cooldownMs = 300;
    try {
      const v = createOidcTokenVerifier({ algorithms: ["RS256", "ES256"], jwksCooldownMs: cooldownMs, now });
      await Promise.all([1, 2, 3].map(async () => v.verify(await fresh.mint(claims()), allowAll)));
      for (let i = 0; i < 3; i++) await v.verify(await fresh.mint(claims(), { key: fresh.es256 }), allowAll);
      expect(fresh.requests).toEqual({ discovery: 1, jwks: 1 });

      // Keys made up front: RSA key generation is slow enough to outlast the cooldown.
      const [rotated, ...strangers] = await Promise.all([1, 2, 3, 4, 5].map(() => createTestIssuerKey("RS256")));
      fresh.jwks.push(rotated!.publicJwk);
      await new Promise((resolve) => setTimeout(resolve, cooldownMs + 50));
      await expect(v.verify(await fresh.mint(claims(), { key: rotated }), allowAll)).resolves.toBeDefined();
      expect(fresh.requests.jwks).toBe(2);

      for (const key of strangers) {
        expect((await rejection(v.verify(await fresh.mint(claims(), { key }), allowAll))).code).toBe("kid_unknown");
      }
      expect(fresh.requests).toEqual({ discovery: 1, jwks: 2 });
    } finally {
      await fresh.close();
    }
  });

  it("uses the injected fetch", async () => {
    const seen: string[] = [];
    const v = createOidcTokenVerifier({
      algorithms: ["RS256"],
      now,
      fetch: (input, init) => {
        seen.push(String(input));
        return fetch(input, init);
      },
    });
    await v.verify(await issuer.mint(claims()), allowAll);
    expect(seen).toEqual([`${issuer.url}/.well-known/openid-configuration`, `${issuer.url}/jwks.json`]);
  });
});
