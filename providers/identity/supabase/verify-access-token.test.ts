import { createLocalJWKSet, exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT, UnsecuredJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { verifySupabaseAccessToken } from "./verify-access-token";

const url = "http://127.0.0.1:54321";
const now = new Date("2026-11-21T12:00:00Z");
const t = Math.floor(now.getTime() / 1000);
const good: JWTPayload = {
  iss: `${url}/auth/v1`,
  aud: "authenticated",
  sub: "8f0e-uuid",
  role: "authenticated",
  iat: t - 10,
  exp: t + 3590,
  email: "ada@example.com",
  session_id: "s-1",
  is_anonymous: false,
};

let key: CryptoKey;
let other: CryptoKey;
let jwk: JWK;
beforeAll(async () => {
  const pair = await generateKeyPair("ES256");
  key = pair.privateKey;
  jwk = { ...(await exportJWK(pair.publicKey)), kid: "sb-1", alg: "ES256" };
  other = (await generateKeyPair("ES256")).privateKey;
});

const sign = (claims: JWTPayload, k: CryptoKey = key, kid = "sb-1") =>
  new SignJWT(claims).setProtectedHeader({ alg: "ES256", kid, typ: "JWT" }).sign(k);
const verify = (token: string) => verifySupabaseAccessToken(token, { url, keys: createLocalJWKSet({ keys: [jwk] }), now });

describe("Supabase access token verification", () => {
  it("accepts a user's token signed with the project's key", async () => {
    await expect(verify(await sign(good))).resolves.toMatchObject({ sub: "8f0e-uuid", role: "authenticated" });
  });

  it.each([
    ["wrong aud", () => sign({ ...good, aud: "anon" }), "aud_invalid"],
    ["wrong iss", () => sign({ ...good, iss: "http://evil.example/auth/v1" }), "iss_invalid"],
    ["expired", () => sign({ ...good, iat: t - 7200, exp: t - 3600 }), "token_expired"],
    ["bad signature", () => sign(good, other), "signature_invalid"],
    ["unknown kid", () => sign(good, key, "rotated-away"), "kid_unknown"],
    ["anon role", () => sign({ ...good, role: "anon" }), "role_invalid"],
    ["service_role", () => sign({ ...good, role: "service_role" }), "role_invalid"],
    ["anonymous user", () => sign({ ...good, is_anonymous: true }), "anonymous_user"],
    [
      "legacy HS256 secret",
      () => new SignJWT(good).setProtectedHeader({ alg: "HS256", kid: "sb-1" }).sign(new TextEncoder().encode("x".repeat(32))),
      "alg_not_allowed",
    ],
    ["unsigned", async () => new UnsecuredJWT(good).encode(), "alg_not_allowed"],
    ["no kid", () => new SignJWT(good).setProtectedHeader({ alg: "ES256" }).sign(key), "kid_missing"],
    ["no sub", () => sign({ ...good, sub: undefined }), "sub_invalid"],
  ])("rejects %s", async (_name, make, code) => {
    await expect(verify(await make())).rejects.toMatchObject({ code });
  });
});
