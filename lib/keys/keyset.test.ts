import { generateKeyPairSync } from "node:crypto";
import { calculateJwkThumbprint, exportJWK, generateKeyPair, jwtVerify, type JWK } from "jose";
import { describe, expect, it } from "vitest";
import { mintPartnerToken } from "@/lib/tokens/partner-token";
import { createKeySet } from "./keyset";

const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

async function privateJwk(alg: "ES256" | "RS256"): Promise<JWK> {
  const { privateKey } = await generateKeyPair(alg, { extractable: true });
  return exportJWK(privateKey);
}

describe("key set", () => {
  it("publishes public members only, for current and previous keys, even when given private ones", async () => {
    const current = [await privateJwk("ES256"), await privateJwk("RS256")];
    const previous = [await privateJwk("ES256")];
    const keySet = await createKeySet(JSON.stringify(current), JSON.stringify(previous));
    expect(keySet.jwks.keys).toHaveLength(3);
    for (const key of keySet.jwks.keys) {
      for (const member of PRIVATE_MEMBERS) expect(key).not.toHaveProperty(member);
      expect(key).toMatchObject({ use: "sig" });
      expect(key.kid).toBeTruthy();
    }
    expect(JSON.stringify(keySet.jwks)).not.toMatch(/"d":/);
  });

  it("uses the RFC 7638 thumbprint as kid, ignoring a kid in the input", async () => {
    const jwk = { ...(await privateJwk("ES256")), kid: "my-own-kid" };
    const keySet = await createKeySet(JSON.stringify(jwk));
    const { d: _d, kid: _kid, ...pub } = jwk;
    expect(keySet.signingKey("ES256").kid).toBe(await calculateJwkThumbprint(pub, "sha256"));
  });

  it("reads PKCS#8 PEM, including with literal \\n as in .env files", async () => {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString().replace(/\n/g, "\\n");
    const keySet = await createKeySet(pem);
    expect(keySet.algorithms).toEqual(["RS256"]);
  });

  it.each([
    ["a symmetric key", JSON.stringify({ kty: "oct", k: "c2VjcmV0" }), /symmetric/],
    ["a public key as a current key", "PUBLIC", /must be private/],
    ["two current keys of one algorithm", "TWO_ES256", /two current ES256 keys/],
    ["a short RSA key", "RSA1024", /2048/],
    ["garbage", "not a key", /neither JSON/],
  ])("refuses %s, naming SIGNING_KEYS", async (_name, input, message) => {
    let text = input;
    if (input === "PUBLIC") {
      const { d: _d, ...pub } = await privateJwk("ES256");
      text = JSON.stringify(pub);
    } else if (input === "TWO_ES256") {
      text = JSON.stringify([await privateJwk("ES256"), await privateJwk("ES256")]);
    } else if (input === "RSA1024") {
      text = generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    }
    await expect(createKeySet(text)).rejects.toMatchObject({
      code: "signing_key_invalid",
      message: expect.stringMatching(/^SIGNING_KEYS /),
    });
    await expect(createKeySet(text)).rejects.toThrow(message);
  });

  it("asks for an RS256 key by name when only ES256 is configured", async () => {
    const keySet = await createKeySet(JSON.stringify(await privateJwk("ES256")));
    expect(() => keySet.signingKey("RS256")).toThrow(/SIGNING_KEYS has no RS256 key/);
  });

  it("rotation: a token from a previous key verifies while that key is published, and not after", async () => {
    const oldKey = await privateJwk("ES256");
    const newKey = await privateJwk("ES256");
    const before = await createKeySet(JSON.stringify(oldKey));
    const { token } = await mintPartnerToken(before, { partnerId: "p", alg: "ES256", subject: { userId: "u1", email: "a@example.com" } });

    const during = await createKeySet(JSON.stringify(newKey), JSON.stringify(oldKey));
    await expect(jwtVerify(token, during.verifier)).resolves.toBeTruthy();
    expect(during.signingKey("ES256").kid).not.toBe(before.signingKey("ES256").kid);

    const after = await createKeySet(JSON.stringify(newKey));
    await expect(jwtVerify(token, after.verifier)).rejects.toMatchObject({ code: "ERR_JWKS_NO_MATCHING_KEY" });
  });
});
