import { describe, expect, it } from "vitest";
import { constantEquals } from "./constant-equals";
import { hashPassword, verifyPassword } from "./password-hash";
import { memoryCounters } from "@/lib/store/testing/memory-counters";
import { counterKey, createRateLimiter, hitClientIp, IP_LIMITS } from "./rate-limit";

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
  const at = (ms: number) => new Date(Date.UTC(2030, 0, 1) + ms);
  it("allows `limit` hits per window, then refuses with a retry time", async () => {
    const limiter = createRateLimiter(memoryCounters(), "t", { limit: 2, windowMs: 60_000 });
    expect((await limiter.hit("k", at(0))).allowed).toBe(true);
    expect((await limiter.hit("k", at(1))).allowed).toBe(true);
    expect(await limiter.hit("k", at(2))).toEqual({ allowed: false, retryAfterSeconds: 60 });
    expect((await limiter.hit("other", at(2))).allowed).toBe(true);
    expect((await limiter.hit("k", at(60_000))).allowed).toBe(true);
  });

  it("per-IP limits count per kind and per address", async () => {
    const counters = memoryCounters();
    const ip = "198.51.100.23";
    for (let i = 0; i < IP_LIMITS.signUp.limit; i++) expect((await hitClientIp(counters, "signUp", ip)).allowed).toBe(true);
    expect(await hitClientIp(counters, "signUp", ip)).toMatchObject({ allowed: false });
    expect((await hitClientIp(counters, "signUp", "198.51.100.24")).allowed).toBe(true);
    expect((await hitClientIp(counters, "signIn", ip)).allowed).toBe(true);
  });

  it("stores hashed keys: no email or address in the counters", () => {
    const key = counterKey("password:sign-up", "ada@example.com");
    expect(key).not.toContain("ada");
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(counterKey("a", "b:c")).not.toBe(counterKey("a:b", "c"));
  });

  it("fails closed when the counters cannot be reached", async () => {
    const down = { ...memoryCounters(), hitWindow: () => Promise.reject(new Error("connect ECONNREFUSED 127.0.0.1:5432")) };
    await expect(createRateLimiter(down, "t", { limit: 2, windowMs: 1000 }).hit("k")).rejects.toMatchObject({
      code: "limits_unavailable",
      status: 503,
    });
  });
});

describe("constantEquals", () => {
  it("compares any lengths", () => {
    expect(constantEquals("abc", "abc")).toBe(true);
    expect(constantEquals("abc", "abd")).toBe(false);
    expect(constantEquals("abc", "abcd")).toBe(false);
  });
});
