import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { constantTimeEquals } from "./constant-equals";
import { OtpHasher, generateNumericCode, isNumericCode } from "./otp";

describe("one-time codes", () => {
  it.each([4, 6, 9, 10])("generates %i-digit codes", (digits) => {
    for (let i = 0; i < 50; i++) {
      const code = generateNumericCode(digits);
      expect(isNumericCode(code, digits)).toBe(true);
    }
  });

  it("keeps leading zeros and covers the whole range", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) seen.add(generateNumericCode(4).charAt(0));
    expect(seen.has("0")).toBe(true);
    expect(seen.size).toBe(10);
  });

  it.each([0, 3, 11, 6.5])("refuses length %s", (digits) => {
    expect(() => generateNumericCode(digits)).toThrowError(expect.objectContaining({ code: "otp_config_invalid" }));
  });

  it.each([
    ["12345", false],
    ["123456", true],
    ["12345a", false],
    ["１２３４５６", false],
    ["-12345", false],
  ])("isNumericCode(%s, 6) = %s", (code, expected) => {
    expect(isNumericCode(code, 6)).toBe(expected);
  });

  it("hashes with a per-service key, bound to the challenge", () => {
    const hasher = new OtpHasher(randomBytes(32));
    const other = new OtpHasher(randomBytes(32));
    const hash = hasher.hash("challenge-1", "123456");
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain("123456");
    expect(hasher.matches("challenge-1", "123456", hash)).toBe(true);
    expect(hasher.matches("challenge-1", "123457", hash)).toBe(false);
    expect(hasher.matches("challenge-2", "123456", hash)).toBe(false);
    expect(other.matches("challenge-1", "123456", hash)).toBe(false);
  });

  it("refuses short secrets", () => {
    expect(() => new OtpHasher(randomBytes(16))).toThrowError(expect.objectContaining({ code: "otp_config_invalid" }));
  });
});

describe("constantTimeEquals", () => {
  it.each([
    ["abc", "abc", true],
    ["abc", "abd", false],
    ["abc", "abcd", false],
    ["", "", true],
    ["", "a", false],
  ])("%j vs %j → %s", (a, b, expected) => {
    expect(constantTimeEquals(a, b)).toBe(expected);
  });

  it("compares bytes and strings by their UTF-8 bytes", () => {
    expect(constantTimeEquals(new TextEncoder().encode("é"), "é")).toBe(true);
  });
});
