import { describe, expect, it } from "vitest";
import { clientIp, UNPARSEABLE_CLIENT } from "./client-ip";
import { createMemoryRateLimiter, hitClientIp, IP_LIMITS, MAX_TRACKED_KEYS } from "./rate-limit";

const headers = (value: string) => new Headers({ "x-real-ip": value, "x-forwarded-for": value });

describe("client IP from the trusted proxy's header", () => {
  it("is off unless a header is configured, and absent without the header", () => {
    expect(clientIp(headers("203.0.113.7"), undefined)).toBeNull();
    expect(clientIp(new Headers(), "x-real-ip")).toBeNull();
  });

  it.each([
    ["203.0.113.7", "203.0.113.7"],
    ["2001:DB8::1", "2001:db8:0:0::/64"],
    ["[2001:db8::1]:443", "2001:db8:0:0::/64"],
    ["203.0.113.7:5678", "203.0.113.7"],
    // The client wrote the first entries; the proxy appended the last one.
    ["6.6.6.6, 10.0.0.1, 203.0.113.7", "203.0.113.7"],
    // However much the client wrote before it.
    [`${"6.6.6.6, ".repeat(5000)}203.0.113.7`, "203.0.113.7"],
    ["::ffff:203.0.113.7", "203.0.113.7"],
  ])("%s → %s", (value, ip) => {
    expect(clientIp(headers(value), "x-forwarded-for")).toBe(ip);
  });

  it("counts IPv6 per /64, so one subscriber cannot rotate addresses", () => {
    const key = (v: string) => clientIp(headers(v), "x-real-ip");
    expect(key("2001:db8:1:2:aaaa::1")).toBe("2001:db8:1:2::/64");
    expect(key("2001:0db8:0001:0002:ffff:ffff:ffff:ffff")).toBe("2001:db8:1:2::/64");
    expect(key("[2001:db8:1:2::99]:443")).toBe("2001:db8:1:2::/64");
    expect(key("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(key("2001:db8:1:3::1")).not.toBe(key("2001:db8:1:2::1"));
  });

  it.each(["unknown", "", "203.0.113.7, not-an-ip", "1.2.3.4.5", "x".repeat(2000)])("counts an unusable value %j in one shared bucket", (value) => {
    expect(clientIp(headers(value), "x-real-ip")).toBe(UNPARSEABLE_CLIENT);
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

  it("remember a bounded number of keys, forgetting the oldest first", () => {
    const limiter = createMemoryRateLimiter({ limit: 1, windowMs: 60_000 });
    expect(limiter.hit("first", 0).allowed).toBe(true);
    expect(limiter.hit("first", 0).allowed).toBe(false);
    for (let i = 0; i < MAX_TRACKED_KEYS; i++) limiter.hit(`k${i}`, 1);
    expect(limiter.hit("first", 2).allowed).toBe(true); // forgotten: the oldest went first
    expect(limiter.hit(`k${MAX_TRACKED_KEYS - 1}`, 2).allowed).toBe(false); // a recent one is kept
  });

  it("use the same fixed-window limiter as the per-email limits", () => {
    const limiter = createMemoryRateLimiter({ limit: 1, windowMs: 1000 });
    expect(limiter.hit("a", 0).allowed).toBe(true);
    expect(limiter.hit("a", 1)).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });
});
