import { describe, expect, it } from "vitest";
import { hexToBytes } from "@noble/hashes/utils.js";
import { hashMessage, recoverMessageAddress, verifyMessage } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { addressFromPrivateKey } from "./ethereum-address";
import { eip191Digest, signDigest, toRsvHex } from "./ethereum-signing";

// Hardhat's first development key: public, holds nothing.
const KEY_HEX = "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const key = hexToBytes(KEY_HEX);

describe("counterpart secp256k1 signing", () => {
  it("derives the address viem derives from the same key", () => {
    expect(addressFromPrivateKey(key)).toBe(privateKeyToAccount(`0x${KEY_HEX}`).address);
  });

  it("hashes EIP-191 exactly as viem's hashMessage", () => {
    const text = "Sign a test message for Test App.\nNonce: 0123";
    expect(`0x${Buffer.from(eip191Digest(new TextEncoder().encode(text))).toString("hex")}`).toBe(hashMessage(text));
  });

  it("signs personal messages byte for byte like viem's local account (RFC 6979, low s, v = 27/28)", async () => {
    const text = "hello world";
    const ours = toRsvHex(signDigest(key, eip191Digest(new TextEncoder().encode(text))));
    expect(ours).toBe(await privateKeyToAccount(`0x${KEY_HEX}`).signMessage({ message: text }));
    expect(await recoverMessageAddress({ message: text, signature: ours })).toBe(addressFromPrivateKey(key));
    expect(await verifyMessage({ address: addressFromPrivateKey(key) as `0x${string}`, message: text, signature: ours })).toBe(true);
  });

  it("refuses a digest that is not 32 bytes", () => {
    expect(() => signDigest(key, new Uint8Array(31))).toThrow(TypeError);
  });
});
