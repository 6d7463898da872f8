import { bs58, bs58check } from "@turnkey/encoding";
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { base58CheckEncode, base58Encode } from "./base58";

describe("base58", () => {
  it.each([
    ["", ""],
    ["00", "1"],
    ["000000", "111"],
    ["0001", "12"],
    [Buffer.from("Hello World!").toString("hex"), "2NEpo7TZRRrLZSi2U"],
  ])("encodes %s as %s", (hex, expected) => {
    expect(base58Encode(Buffer.from(hex, "hex"))).toBe(expected);
  });

  it("agrees with @turnkey/encoding on random input (with leading zeros)", () => {
    for (let i = 0; i < 50; i++) {
      const bytes = new Uint8Array([...new Uint8Array(i % 3), ...randomBytes(1 + (i % 40))]);
      expect(base58Encode(bytes)).toBe(bs58.encode(bytes));
      expect(Buffer.from(bs58check.decode(base58CheckEncode(bytes))).equals(Buffer.from(bytes))).toBe(true);
    }
  });
});
