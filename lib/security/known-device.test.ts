import { describe, expect, it } from "vitest";
import { isKnownDevice, knownDeviceToken, readCookie } from "./known-device";

const SECRET = "s".repeat(43);

describe("known-device cookies", () => {
  it("vouch for the email they were issued for, whatever its case", () => {
    const token = knownDeviceToken(SECRET, "owner@example.com");
    expect(isKnownDevice(SECRET, "owner@example.com", token)).toBe(true);
    expect(isKnownDevice(SECRET, "Owner@Example.com", token)).toBe(true);
    expect(token).not.toContain("owner");
  });

  it.each([
    ["another email", (t: string) => [SECRET, "attacker@example.com", t]],
    ["another server's secret", (t: string) => ["x".repeat(43), "owner@example.com", t]],
    ["a changed MAC", (t: string) => [SECRET, "owner@example.com", `${t.slice(0, -2)}AA`]],
    // Always a different first character (a fixed "Z" left the token unchanged 1 run in 64).
    [
      "a changed nonce",
      (t: string) => [SECRET, "owner@example.com", t.replace(/^v1\.(.)/, (_m, c: string) => `v1.${c === "Z" ? "Y" : "Z"}`)],
    ],
    ["another version", (t: string) => [SECRET, "owner@example.com", t.replace(/^v1/, "v2")]],
    ["extra parts", (t: string) => [SECRET, "owner@example.com", `${t}.x`]],
    ["nothing", () => [SECRET, "owner@example.com", undefined]],
  ])("vouch for nothing with %s", (_name, args) => {
    const [secret, email, value] = args(knownDeviceToken(SECRET, "owner@example.com")) as [string, string, string | undefined];
    expect(isKnownDevice(secret, email, value)).toBe(false);
  });

  it("are read from a Cookie header by exact name", () => {
    expect(readCookie("a=1; byo.device=v1.n.m; x.byo.device=no", "byo.device")).toBe("v1.n.m");
    expect(readCookie("xbyo.device=v1", "byo.device")).toBeUndefined();
    expect(readCookie(null, "byo.device")).toBeUndefined();
  });
});
