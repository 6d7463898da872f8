import { describe, expect, it } from "vitest";
import { addressFromPrivateKey, generateAccountKey, isChecksumAddress, toChecksumAddress } from "./ethereum-address";

function privateKeyFromNumber(n: number): Uint8Array {
  const key = new Uint8Array(32);
  new DataView(key.buffer).setUint32(28, n);
  return key;
}

describe("address derivation", () => {
  it.each([
    [1, "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf"],
    [2, "0x2B5AD5c4795c026514f8317c7a215E218DcCD6cF"],
  ])("private key %i → %s", (n, expected) => {
    expect(addressFromPrivateKey(privateKeyFromNumber(n))).toBe(expected);
  });

  // Test vectors from EIP-55 itself.
  it.each([
    "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
    "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
    "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
    "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
  ])("EIP-55 checksum of %s", (expected) => {
    expect(toChecksumAddress(expected.toLowerCase())).toBe(expected);
    expect(isChecksumAddress(expected)).toBe(true);
    expect(isChecksumAddress(expected.toLowerCase())).toBe(false);
  });

  it("rejects malformed input", () => {
    expect(() => toChecksumAddress("0x1234")).toThrowError(expect.objectContaining({ code: "address_invalid" }));
    expect(isChecksumAddress("0xZZ5F4552091A69125d5DfCb7b8C2659029395Bdf")).toBe(false);
  });

  it("generates distinct valid keys", () => {
    const a = generateAccountKey();
    const b = generateAccountKey();
    expect(a.privateKey).toHaveLength(32);
    expect(isChecksumAddress(a.address)).toBe(true);
    expect(a.address).not.toBe(b.address);
    expect(addressFromPrivateKey(a.privateKey)).toBe(a.address);
  });
});
