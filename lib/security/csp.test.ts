import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, newNonce } from "./csp";

describe("content security policy", () => {
  it("allows only nonce'd scripts (and what they load), no plugins, no <base>, no framing", () => {
    const csp = contentSecurityPolicy({ nonce: "abc", dev: false, formActions: ["https://issuer.example"] });
    const directives = Object.fromEntries(csp.split("; ").map((d) => [d.split(" ")[0], d.split(" ").slice(1).join(" ")]));
    expect(directives["script-src"]).toBe("'self' 'nonce-abc' 'strict-dynamic'");
    expect(directives).toMatchObject({
      "object-src": "'none'",
      "base-uri": "'none'",
      "frame-ancestors": "'none'",
      "form-action": "'self' https://issuer.example",
    });
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).not.toContain("unsafe-eval");
  });

  it("adds eval only for next dev", () => {
    expect(contentSecurityPolicy({ nonce: "n", dev: true, formActions: [] })).toContain("'unsafe-eval'");
  });

  it("makes a fresh 128-bit nonce each time", () => {
    const nonces = new Set(Array.from({ length: 100 }, newNonce));
    expect(nonces.size).toBe(100);
    for (const n of nonces) expect(atob(n)).toHaveLength(16);
  });
});
