import { describe, expect, it } from "vitest";
import { ceiling, createFailureThrottle, exponentialDelay } from "./failure-throttle";

const perClient = () => createFailureThrottle({ delayMs: exponentialDelay({ free: 3, baseMs: 1000, maxMs: 15 * 60_000 }), windowMs: 24 * 3600_000 });

describe("failure throttle (NIST SP 800-63B §5.2.2: delays, not lock-outs)", () => {
  it("allows a few attempts, then asks for 1, 2, 4 … seconds between attempts, up to the cap", () => {
    const t = perClient();
    let now = 0;
    for (let i = 0; i < 3; i++) expect(t.attempt("k", now).allowed).toBe(true);
    expect(t.attempt("k", now)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    now += 1000;
    expect(t.attempt("k", now).allowed).toBe(true);
    expect(t.attempt("k", now)).toEqual({ allowed: false, retryAfterSeconds: 2 });
    expect(t.attempt("k", now + 1999)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    now += 2000;
    expect(t.attempt("k", now).allowed).toBe(true);
    expect(t.attempt("k", now)).toEqual({ allowed: false, retryAfterSeconds: 4 });
    for (let i = 0; i < 20; i++) {
      const r = t.attempt("k", now);
      if (!r.allowed) now += r.retryAfterSeconds * 1000;
    }
    expect(t.attempt("k", now).retryAfterSeconds).toBeLessThanOrEqual(15 * 60);
  });

  it("counts an attempt when it is allowed, so a parallel burst cannot slip past the delay", () => {
    const t = perClient();
    const burst = Array.from({ length: 24 }, () => t.attempt("k", 0));
    expect(burst.filter((r) => r.allowed)).toHaveLength(3);
  });

  it("forgets a key's failures on success and after the window", () => {
    const t = perClient();
    for (let i = 0; i < 3; i++) t.attempt("k", 0);
    expect(t.attempt("k", 0).allowed).toBe(false);
    t.reset("k");
    expect(t.attempt("k", 0).allowed).toBe(true);
    for (let i = 0; i < 10; i++) t.attempt("k", 0);
    expect(t.attempt("k", 24 * 3600_000).allowed).toBe(true);
  });

  it("keeps keys apart: failures from one client never delay another", () => {
    const t = perClient();
    for (let i = 0; i < 30; i++) t.attempt("attacker|owner@example.com", 0);
    expect(t.attempt("owner-laptop|owner@example.com", 0).allowed).toBe(true);
  });

  it("a ceiling allows `limit` attempts per window, then none until the window is over", () => {
    const t = createFailureThrottle({ delayMs: ceiling(100), windowMs: 24 * 3600_000 });
    for (let i = 0; i < 100; i++) expect(t.attempt("owner@example.com", i).allowed).toBe(true);
    const refused = t.attempt("owner@example.com", 1000);
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterSeconds).toBe(24 * 3600 - 1);
    expect(t.attempt("owner@example.com", 24 * 3600_000).allowed).toBe(true);
  });

  it("remembers a bounded number of keys, never forgets one being throttled, and never lets a full table refuse everyone", () => {
    const t = createFailureThrottle({ delayMs: exponentialDelay({ free: 1, baseMs: 60_000, maxMs: 60_000 }), windowMs: 3600_000, maxKeys: 10 });
    t.attempt("victim", 0);
    expect(t.attempt("victim", 0).allowed).toBe(false);
    for (let i = 0; i < 9; i++) {
      t.attempt(`flood${i}`, 0);
      t.attempt(`flood${i}`, 0);
    }
    // Full of throttled keys: the throttled keys stay throttled…
    expect(t.attempt("victim", 2).allowed).toBe(false);
    expect(t.attempt("flood0", 2).allowed).toBe(false);
    // …and a newcomer (the owner signing in) is not refused because an attacker filled the table.
    expect(t.attempt("owner", 1).allowed).toBe(true);
    expect(t.attempt("owner", 1).allowed).toBe(true);
  });
});
