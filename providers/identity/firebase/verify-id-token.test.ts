import { createLocalJWKSet, exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT, UnsecuredJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { verifyFirebaseIdToken } from "./verify-id-token";

const projectId = "demo-byo";
const now = new Date("2026-11-21T12:00:00Z");
const t = Math.floor(now.getTime() / 1000);
const good: JWTPayload = {
  iss: `https://securetoken.google.com/${projectId}`,
  aud: projectId,
  sub: "uid-123",
  iat: t - 60,
  exp: t + 3540,
  auth_time: t - 60,
  email: "ada@example.com",
  email_verified: true,
  firebase: { sign_in_provider: "password", identities: { email: ["ada@example.com"] } },
};

let signingKey: CryptoKey;
let otherKey: CryptoKey;
let jwk: JWK;
beforeAll(async () => {
  const pair = await generateKeyPair("RS256");
  signingKey = pair.privateKey;
  jwk = { ...(await exportJWK(pair.publicKey)), kid: "google-1", alg: "RS256" };
  otherKey = (await generateKeyPair("RS256")).privateKey;
});

const keys = () => createLocalJWKSet({ keys: [jwk] });
const sign = (claims: JWTPayload, key: CryptoKey = signingKey, kid = "google-1") =>
  new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid, typ: "JWT" }).sign(key);
// Nothing listens on port 9 (discard): a test that reaches the emulator lookup fails loudly.
const NO_EMULATOR = { host: "127.0.0.1:9", apiKey: "fake-api-key" };
const verify = (token: string, emulator?: typeof NO_EMULATOR) => verifyFirebaseIdToken(token, { projectId, keys: keys(), emulator, now });

describe("Firebase ID token verification", () => {
  it("accepts a token signed by Google's key with the right claims", async () => {
    await expect(verify(await sign(good))).resolves.toMatchObject({ sub: "uid-123", email_verified: true });
  });

  it("never accepts an unsigned token on its claims alone: without the emulator it is refused, with it the emulator must confirm it", async () => {
    const unsigned = new UnsecuredJWT(good).encode();
    await expect(verify(unsigned)).rejects.toMatchObject({ code: "unsigned_token_rejected" });
    // Well-formed claims are not enough: the emulator is asked (and here cannot be reached).
    // verify-id-token.emulator.test.ts runs the same against the real Auth Emulator.
    await expect(verify(unsigned, NO_EMULATOR)).rejects.toMatchObject({ code: "provider_unreachable" });
  });

  it("refuses an unsigned token without the firebase claim every emulator token has, before asking the emulator (which answers such a token with a 500)", async () => {
    const { firebase: _omitted, ...handMade } = good;
    await expect(verify(new UnsecuredJWT(handMade).encode(), NO_EMULATOR)).rejects.toMatchObject({ code: "token_malformed" });
  });

  it.each([
    ["wrong aud", async () => sign({ ...good, aud: "someone-else" }), "aud_invalid"],
    ["wrong iss", async () => sign({ ...good, iss: "https://securetoken.google.com/other" }), "iss_invalid"],
    ["expired", async () => sign({ ...good, iat: t - 7200, auth_time: t - 7200, exp: t - 3600 }), "token_expired"],
    ["bad signature", async () => sign(good, otherKey), "signature_invalid"],
    ["unknown kid", async () => sign(good, signingKey, "not-google"), "kid_unknown"],
    ["no kid", async () => new SignJWT(good).setProtectedHeader({ alg: "RS256" }).sign(signingKey), "kid_missing"],
    [
      "HS256",
      async () => new SignJWT(good).setProtectedHeader({ alg: "HS256", kid: "google-1" }).sign(new TextEncoder().encode("x".repeat(32))),
      "alg_not_allowed",
    ],
    ["empty sub", async () => sign({ ...good, sub: "" }), "sub_invalid"],
    ["auth_time in the future", async () => sign({ ...good, auth_time: t + 600 }), "auth_time_invalid"],
    ["no auth_time", async () => sign({ ...good, auth_time: undefined }), "auth_time_invalid"],
    ["iat in the future", async () => sign({ ...good, iat: t + 600 }), "iat_invalid"],
    ["garbage", async () => "not.a.jwt", "token_malformed"],
    ["unsigned in production", async () => new UnsecuredJWT(good).encode(), "unsigned_token_rejected"],
  ])("rejects %s", async (_name, make, code) => {
    await expect(verify(await make())).rejects.toMatchObject({ code });
  });

  it("rejects an unsigned emulator token with wrong claims even when the emulator is configured", async () => {
    await expect(verify(new UnsecuredJWT({ ...good, aud: "other" }).encode(), NO_EMULATOR)).rejects.toMatchObject({ code: "aud_invalid" });
  });

  it("reports an unreachable key server as such, not as a bad token", async () => {
    const token = await sign(good);
    const failing = async () => {
      throw new TypeError("fetch failed");
    };
    await expect(verifyFirebaseIdToken(token, { projectId, keys: failing, now })).rejects.toMatchObject({ code: "jwks_unreachable" });
  });
});
