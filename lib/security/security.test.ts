import { describe, expect, it } from "vitest";
import { constantEquals } from "./constant-equals";
import { hashPassword, verifyPassword } from "./password-hash";
import { createMemoryRateLimiter } from "./rate-limit";

describe("password hashing", () => {
  it("verifies the right password and refuses others, with a fresh salt each time", async () => {
    const a = await hashPassword("correct horse battery");
    const b = await hashPassword("correct horse battery");
    expect(a).not.toBe(b);
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(await verifyPassword("correct horse battery", a)).toBe(true);
    expect(await verifyPassword("correct horse batterY", a)).toBe(false);
    expect(await verifyPassword("x", "md5$abc")).toBe(false);
  });
});

describe("rate limiter", () => {
  it("allows `limit` hits per window, then refuses with a retry time", () => {
    const limiter = createMemoryRateLimiter({ limit: 2, windowMs: 60_000 });
    expect(limiter.hit("k", 0).allowed).toBe(true);
    expect(limiter.hit("k", 1).allowed).toBe(true);
    expect(limiter.hit("k", 2)).toEqual({ allowed: false, retryAfterSeconds: 60 });
    expect(limiter.hit("other", 2).allowed).toBe(true);
    expect(limiter.hit("k", 60_000).allowed).toBe(true);
  });
});

describe("constantEquals", () => {
  it("compares any lengths", () => {
    expect(constantEquals("abc", "abc")).toBe(true);
    expect(constantEquals("abc", "abd")).toBe(false);
    expect(constantEquals("abc", "abcd")).toBe(false);
  });
});
