import { privateKeyToAccount } from "viem/accounts";
import { parseSignature, verifyMessage } from "viem";
import { describe, expect, it } from "vitest";
import { signatureFromRsv } from "./rsv";

const account = privateKeyToAccount("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");

describe("signatureFromRsv (Turnkey's { r, s, v } → r‖s‖v)", () => {
  it("packs a recovery id as 27/28, with or without 0x, and the result verifies", async () => {
    const signature = await account.signMessage({ message: "m" });
    const { r, s, yParity } = parseSignature(signature);
    const packed = signatureFromRsv({ r: r.slice(2), s: s.slice(2), v: `0${yParity}` });
    expect(packed).toBe(signature);
    expect(signatureFromRsv({ r, s, v: (27 + yParity).toString(16) })).toBe(signature);
    expect(await verifyMessage({ address: account.address, message: "m", signature: packed })).toBe(true);
  });

  it.each([
    ["v out of range", { r: "11".repeat(32), s: "22".repeat(32), v: "02" }],
    ["short r after padding is not hex", { r: "zz", s: "22".repeat(32), v: "00" }],
    ["s too long", { r: "11".repeat(32), s: "22".repeat(33), v: "00" }],
  ])("refuses %s", (_name, rsv) => {
    expect(() => signatureFromRsv(rsv)).toThrow();
  });
});
