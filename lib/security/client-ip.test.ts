import { describe, expect, it } from "vitest";
import { clientIp } from "./client-ip";
import { createMemoryRateLimiter, hitClientIp, IP_LIMITS } from "./rate-limit";

const headers = (value: string) => new Headers({ "x-real-ip": value, "x-forwarded-for": value });

describe("client IP from the trusted proxy's header", () => {
  it("is off unless a header is configured, and absent without the header", () => {
    expect(clientIp(headers("203.0.113.7"), undefined)).toBeNull();
    expect(clientIp(new Headers(), "x-real-ip")).toBeNull();
  });

  it.each([
    ["203.0.113.7", "203.0.113.7"],
    ["2001:DB8::1", "2001:db8::1"],
    ["[2001:db8::1]:443", "2001:db8::1"],
    ["203.0.113.7:5678", "203.0.113.7"],
    // The client wrote the first entries; the proxy appended the last one.
    ["6.6.6.6, 10.0.0.1, 203.0.113.7", "203.0.113.7"],
  ])("%s → %s", (value, ip) => {
    expect(clientIp(headers(value), "x-forwarded-for")).toBe(ip);
  });

  it.each(["unknown", "", "203.0.113.7, not-an-ip", "1.2.3.4.5", "x".repeat(2000)])("refuses %j", (value) => {
    expect(clientIp(headers(value), "x-real-ip")).toBeNull();
  });
});

describe("per-IP limits", () => {
  it("count per kind and per address", () => {
    const ip = "198.51.100.23";
    for (let i = 0; i < IP_LIMITS.signUp.limit; i++) expect(hitClientIp("signUp", ip).allowed).toBe(true);
    expect(hitClientIp("signUp", ip)).toMatchObject({ allowed: false });
    expect(hitClientIp("signUp", "198.51.100.24").allowed).toBe(true);
    expect(hitClientIp("signIn", ip).allowed).toBe(true);
  });

  it("use the same fixed-window limiter as the per-email limits", () => {
    const limiter = createMemoryRateLimiter({ limit: 1, windowMs: 1000 });
    expect(limiter.hit("a", 0).allowed).toBe(true);
    expect(limiter.hit("a", 1)).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });
});
