import { createHash } from "node:crypto";
import { exportJWK, generateKeyPair, jwtVerify } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { createKeySet, type KeySet } from "@/lib/keys/keyset";
import { ID_TOKEN_LIFETIME_SECONDS, mintIdToken, nonceForPublicKey } from "./id-token";
import { mintPartnerToken, PARTNER_TOKEN_LIFETIME_SECONDS } from "./partner-token";

let keySet: KeySet;
const now = new Date("2026-11-21T12:00:00Z");
const nowSeconds = now.getTime() / 1000;

beforeAll(async () => {
  const keys = [];
  for (const alg of ["ES256", "RS256"] as const) keys.push(await exportJWK((await generateKeyPair(alg, { extractable: true })).privateKey));
  keySet = await createKeySet(JSON.stringify(keys));
});

describe("AIR Kit partner token", () => {
  it.each(["ES256", "RS256"] as const)("has the contract's header and claims (%s)", async (alg) => {
    const signed = await mintPartnerToken(keySet, {
      partnerId: "demo-partner",
      alg,
      now,
      subject: { userId: "usr_1", email: "ada@example.com" },
    });
    const { payload, protectedHeader } = await jwtVerify(signed.token, keySet.verifier, { currentDate: now });
    expect(protectedHeader).toEqual({ alg, typ: "JWT", kid: keySet.signingKey(alg).kid });
    expect(payload).toMatchObject({ partnerId: "demo-partner", email: "ada@example.com", partnerUserId: "usr_1", iat: nowSeconds });
    expect(payload.exp! - payload.iat!).toBe(PARTNER_TOKEN_LIFETIME_SECONDS);
    expect(PARTNER_TOKEN_LIFETIME_SECONDS).toBe(300);
    expect(payload.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(payload).not.toHaveProperty("sub");
  });

  it("gives every token a unique jti", async () => {
    const opts = { partnerId: "p", alg: "ES256" as const, now, subject: { userId: "u", email: "e@example.com" } };
    const [a, b] = await Promise.all([mintPartnerToken(keySet, opts), mintPartnerToken(keySet, opts)]);
    expect(a.claims.jti).not.toBe(b.claims.jti);
  });
});

describe("OIDC ID token", () => {
  it("carries iss, sub, aud, nonce, email and a five-minute lifetime", async () => {
    const signed = await mintIdToken(keySet, {
      issuer: "https://app.example.com",
      audience: "project-1",
      subject: "usr_1",
      email: "ada@example.com",
      emailVerified: true,
      nonce: "abc",
      alg: "RS256",
      now,
    });
    const { payload, protectedHeader } = await jwtVerify(signed.token, keySet.verifier, {
      issuer: "https://app.example.com",
      audience: "project-1",
      currentDate: now,
    });
    expect(protectedHeader).toMatchObject({ alg: "RS256", typ: "JWT" });
    expect(payload).toMatchObject({ sub: "usr_1", nonce: "abc", email: "ada@example.com", email_verified: true });
    expect(payload.exp! - payload.iat!).toBe(ID_TOKEN_LIFETIME_SECONDS);
    expect(typeof payload.jti).toBe("string");
  });

  it("binds the nonce to the hex text of the public key, not its bytes", () => {
    const hex = "02" + "ab".repeat(32);
    const expected = createHash("sha256").update(hex, "utf8").digest("hex");
    expect(nonceForPublicKey(hex)).toBe(expected);
    expect(nonceForPublicKey(`0x${hex}`)).toBe(expected);
    expect(nonceForPublicKey(hex)).not.toBe(createHash("sha256").update(Buffer.from(hex, "hex")).digest("hex"));
    expect(() => nonceForPublicKey("not hex")).toThrow();
  });
});
