import { describe, expect, it } from "vitest";
import { clientIp, PEER_ADDRESS_HEADER, UNPARSEABLE_CLIENT } from "./client-ip";

const headers = (value: string) => new Headers({ "x-real-ip": value, "x-forwarded-for": value });

describe("client address from the connection (stamped by scripts/server.mjs)", () => {
  const peer = (address: string, extra: Record<string, string> = {}) => new Headers({ [PEER_ADDRESS_HEADER]: address, ...extra });

  it("counts the connection's address when no proxy header is configured: limits are on by default", () => {
    expect(clientIp(peer("198.51.100.7"), undefined, true)).toBe("198.51.100.7");
    expect(clientIp(peer("::ffff:198.51.100.7"), undefined, true)).toBe("198.51.100.7");
    expect(clientIp(peer("2001:db8:1:2::5"), undefined, true)).toBe("2001:db8:1:2::/64");
    // Loopback too: behind a same-host proxy without CLIENT_IP_HEADER, everyone shares one bucket (fails towards limiting).
    expect(clientIp(peer("127.0.0.1"), undefined, true)).toBe("127.0.0.1");
  });

  it("ignores client-sent X-Forwarded-For and the like when no header is configured", () => {
    expect(clientIp(peer("198.51.100.7", { "x-forwarded-for": "203.0.113.99", "x-real-ip": "203.0.113.98" }), undefined, true)).toBe(
      "198.51.100.7",
    );
  });

  it("ignores the peer header unless the process was started by the app's server (anyone can send it to a plain `next start`)", () => {
    expect(clientIp(peer("198.51.100.7"), undefined, false)).toBeNull();
    expect(clientIp(peer("198.51.100.7"), "x-real-ip", false)).toBeNull();
  });

  it("prefers the configured proxy header; without it, a remote peer still counts, this host does not", () => {
    expect(clientIp(peer("10.0.0.2", { "x-real-ip": "203.0.113.7" }), "x-real-ip", true)).toBe("203.0.113.7");
    // Someone who reached the app around the proxy is counted by their own address.
    expect(clientIp(peer("198.51.100.7"), "x-real-ip", true)).toBe("198.51.100.7");
    // A process on this host (health check; the test stack's browser) has no key.
    expect(clientIp(peer("127.0.0.1"), "x-real-ip", true)).toBeNull();
    expect(clientIp(peer("::1"), "x-real-ip", true)).toBeNull();
  });
});

describe("client IP from the trusted proxy's header", () => {
  it("is absent when neither a header nor the connection's address is known", () => {
    expect(clientIp(headers("203.0.113.7"), undefined, false)).toBeNull();
    expect(clientIp(new Headers(), "x-real-ip", false)).toBeNull();
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
    expect(key("1::2:3:4:5.6.7.8")).toBe("1:0:0:2::/64"); // a dotted tail is two groups
    expect(key("fe80::1%eth0")).toBe("fe80:0:0:0::/64"); // zone ids are dropped
    expect(key("::ffff:cb00:7107")).toBe("203.0.113.7"); // mapped IPv4, hex notation
  });

  it("never throws on odd but valid forms: they land in a bucket", () => {
    for (const value of ["::%a:b:c:d:e:f:g:h:i", "::", "::1", "1:2:3:4:5:6:7:8", "::ffff:1.2.3.4"]) {
      expect(() => clientIp(headers(value), "x-real-ip")).not.toThrow();
      expect(clientIp(headers(value), "x-real-ip")).toEqual(expect.any(String));
    }
  });

  it.each(["unknown", "", "203.0.113.7, not-an-ip", "1.2.3.4.5", "x".repeat(2000)])(
    "counts an unusable value %j in one shared bucket",
    (value) => {
      expect(clientIp(headers(value), "x-real-ip")).toBe(UNPARSEABLE_CLIENT);
    },
  );
});
