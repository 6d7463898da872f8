// The app's Alchemy parsers against the documentation's own examples (fixtures/README.md), and the
// target key the browser sends against the form Alchemy's signer client sends.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createHash } from "node:crypto";
import { generateP256KeyPair } from "@turnkey/crypto";
import { describe, expect, it } from "vitest";
import { nonceForPublicKey } from "@/lib/tokens/id-token";
import { alchemyTargetPublicKey, authJwtResponseSchema, targetPublicKeySchema, whoamiResponseSchema } from "./schema";

const fixture = (name: string): unknown => JSON.parse(readFileSync(join(__dirname, "fixtures", name), "utf8"));

describe("auth-jwt responses the documentation allows", () => {
  it("a login with every field", () => {
    expect(authJwtResponseSchema.parse(fixture("auth-jwt.response.login.json"))).toEqual({
      orgId: "string",
      isSignup: false,
      credentialBundle: "string",
      userId: "string",
      address: "string",
      solanaAddress: "string",
    });
  });

  it("every nullable field null: read as missing, and a null isSignup as false (its documented default)", () => {
    expect(authJwtResponseSchema.parse(fixture("auth-jwt.response.nulls.json"))).toEqual({
      orgId: "string",
      isSignup: false,
      credentialBundle: null,
      userId: null,
      address: null,
      solanaAddress: null,
    });
  });

  it("the signer client's shape: isSignUp spelling, the other fields absent", () => {
    expect(authJwtResponseSchema.parse(fixture("auth-jwt.response.signer-client.json"))).toEqual({
      orgId: "string",
      isSignup: true,
      credentialBundle: "string",
      userId: null,
      address: null,
      solanaAddress: null,
    });
  });

  it("unknown extra fields are ignored; a missing orgId is not", () => {
    expect(authJwtResponseSchema.parse({ orgId: "o", isSignup: true, futureFeature: { enabled: true } })).toMatchObject({
      orgId: "o",
      isSignup: true,
    });
    expect(authJwtResponseSchema.safeParse({ isSignup: true }).success).toBe(false);
  });
});

describe("whoami responses the documentation allows", () => {
  it("every field", () => {
    expect(whoamiResponseSchema.parse(fixture("whoami.response.json"))).toEqual({
      userId: "string",
      orgId: "string",
      address: "string",
      email: "string",
      solanaAddress: "string",
    });
  });

  it("email and solanaAddress null ('string or null')", () => {
    expect(whoamiResponseSchema.parse(fixture("whoami.response.nulls.json"))).toEqual({
      userId: "string",
      orgId: "string",
      address: "string",
      email: null,
      solanaAddress: null,
    });
  });

  it("address and userId stay required (documented as strings)", () => {
    expect(whoamiResponseSchema.safeParse({ userId: "u", orgId: "o", address: null }).success).toBe(false);
    expect(whoamiResponseSchema.safeParse({ orgId: "o", address: "a" }).success).toBe(false);
  });
});

describe("the target public key the browser sends", () => {
  it("is the uncompressed key: 130 lowercase hex characters starting 04, no 0x, the same point as the compressed key", () => {
    const keyPair = generateP256KeyPair();
    const key = alchemyTargetPublicKey(keyPair);
    expect(key).toMatch(/^04[0-9a-f]{128}$/);
    expect(key).not.toBe(keyPair.publicKey);
    // Same x coordinate as the compressed form (02/03 ‖ x).
    expect(key.slice(2, 66)).toBe(keyPair.publicKey.slice(2));
  });

  it("the nonce is the SHA-256 of exactly that text (not of the bytes, not of the compressed form)", () => {
    const keyPair = generateP256KeyPair();
    const key = alchemyTargetPublicKey(keyPair);
    expect(nonceForPublicKey(key)).toBe(createHash("sha256").update(key, "utf8").digest("hex"));
    expect(nonceForPublicKey(key)).not.toBe(nonceForPublicKey(keyPair.publicKey));
    expect(nonceForPublicKey(key)).not.toBe(createHash("sha256").update(Buffer.from(key, "hex")).digest("hex"));
  });

  it.each([
    ["compressed", (k: ReturnType<typeof generateP256KeyPair>) => k.publicKey],
    ["0x-prefixed", (k: ReturnType<typeof generateP256KeyPair>) => `0x${k.publicKeyUncompressed}`],
    ["upper-case", (k: ReturnType<typeof generateP256KeyPair>) => k.publicKeyUncompressed.toUpperCase()],
  ])("the server action's input refuses a %s key", (_name, spell) => {
    expect(targetPublicKeySchema.safeParse(spell(generateP256KeyPair())).success).toBe(false);
  });
});
