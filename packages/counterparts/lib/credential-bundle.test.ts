import { decryptCredentialBundle, generateP256KeyPair, getPublicKey } from "@turnkey/crypto";
import { bs58check } from "@turnkey/encoding";
import { bytesToHex } from "@noble/hashes/utils.js";
import { describe, expect, it } from "vitest";
import { encryptCredentialBundle } from "./credential-bundle";
import { generateP256KeyPair as generateKey } from "./p256-keys";

describe("credential bundle", () => {
  it.each([
    ["compressed target", (k: ReturnType<typeof generateP256KeyPair>) => k.publicKey],
    ["uncompressed target", (k: ReturnType<typeof generateP256KeyPair>) => k.publicKeyUncompressed],
    ["0x-prefixed target", (k: ReturnType<typeof generateP256KeyPair>) => `0x${k.publicKeyUncompressed}`],
  ])("decryptCredentialBundle opens it (%s) and yields the key", (_name, target) => {
    const receiver = generateP256KeyPair();
    const credential = generateKey();
    const bundle = encryptCredentialBundle(credential.privateKey, target(receiver));
    const decrypted = decryptCredentialBundle(bundle, receiver.privateKey);
    expect(decrypted).toBe(bytesToHex(credential.privateKey));
    // The client derives the stamping key from what it decrypted.
    expect(bytesToHex(getPublicKey(decrypted, true))).toBe(credential.publicKey.compressedHex);
    // 33-byte compressed encapsulated key + 32-byte plaintext + 16-byte tag.
    expect(bs58check.decode(bundle)).toHaveLength(33 + 32 + 16);
  });

  it("cannot be opened with another key, nor after tampering", () => {
    const receiver = generateP256KeyPair();
    const bundle = encryptCredentialBundle(generateKey().privateKey, receiver.publicKey);
    expect(() => decryptCredentialBundle(bundle, generateP256KeyPair().privateKey)).toThrow();
    const bytes = bs58check.decode(bundle);
    bytes[40] = (bytes[40] ?? 0) ^ 0x01;
    expect(() => decryptCredentialBundle(bs58check.encode(bytes), receiver.privateKey)).toThrow();
  });

  it.each([
    ["not hex", "zz"],
    ["wrong length", "02abcd"],
    ["not on the curve", `02${"ff".repeat(32)}`],
  ])("refuses a target public key that is %s", (_name, target) => {
    expect(() => encryptCredentialBundle(generateKey().privateKey, target)).toThrowError(
      expect.objectContaining({ code: "target_public_key_invalid" }),
    );
  });

  it("refuses a credential that is not a P-256 private key", () => {
    expect(() => encryptCredentialBundle(new Uint8Array(32), generateP256KeyPair().publicKey)).toThrowError(
      expect.objectContaining({ code: "private_key_invalid" }),
    );
  });
});
