import { describe, expect, it } from "vitest";
import { memoryCounters } from "@/lib/store/testing/memory-counters";
import type { CounterStore } from "@/lib/store/types";
import { ceiling, createFailureThrottle, exponentialDelay } from "./failure-throttle";

const perClient = (counters: CounterStore = memoryCounters()) =>
  createFailureThrottle(counters, "t", {
    delayMs: exponentialDelay({ free: 3, baseMs: 1000, maxMs: 15 * 60_000 }),
    windowMs: 24 * 3600_000,
  });
const at = (ms: number) => new Date(Date.UTC(2030, 0, 1) + ms);

describe("failure throttle (NIST SP 800-63B §5.2.2: delays, not lock-outs)", () => {
  it("allows a few attempts, then asks for 1, 2, 4 … seconds between attempts, up to the cap", async () => {
    const t = perClient();
    let now = 0;
    for (let i = 0; i < 3; i++) expect((await t.attempt("k", at(now))).allowed).toBe(true);
    expect(await t.attempt("k", at(now))).toEqual({ allowed: false, retryAfterSeconds: 1 });
    now += 1000;
    expect((await t.attempt("k", at(now))).allowed).toBe(true);
    expect(await t.attempt("k", at(now))).toEqual({ allowed: false, retryAfterSeconds: 2 });
    expect(await t.attempt("k", at(now + 1999))).toEqual({ allowed: false, retryAfterSeconds: 1 });
    now += 2000;
    expect((await t.attempt("k", at(now))).allowed).toBe(true);
    expect(await t.attempt("k", at(now))).toEqual({ allowed: false, retryAfterSeconds: 4 });
    for (let i = 0; i < 20; i++) {
      const r = await t.attempt("k", at(now));
      if (!r.allowed) now += r.retryAfterSeconds * 1000;
    }
    expect((await t.attempt("k", at(now))).retryAfterSeconds).toBeLessThanOrEqual(15 * 60);
  });

  it("counts an attempt when it is allowed, so a parallel burst cannot slip past the delay", async () => {
    const t = perClient();
    const burst = await Promise.all(Array.from({ length: 24 }, () => t.attempt("k", at(0))));
    expect(burst.filter((r) => r.allowed)).toHaveLength(3);
  });

  it("forgets a key's failures on success and after the window", async () => {
    const t = perClient();
    for (let i = 0; i < 3; i++) await t.attempt("k", at(0));
    expect((await t.attempt("k", at(0))).allowed).toBe(false);
    await t.reset("k");
    expect((await t.attempt("k", at(0))).allowed).toBe(true);
    for (let i = 0; i < 10; i++) await t.attempt("k", at(0));
    expect((await t.attempt("k", at(24 * 3600_000))).allowed).toBe(true);
  });

  it("keeps keys apart: failures from one client never delay another", async () => {
    const t = perClient();
    for (let i = 0; i < 30; i++) await t.attempt("attacker|owner@example.com", at(0));
    expect((await t.attempt("owner-laptop|owner@example.com", at(0))).allowed).toBe(true);
  });

  it("a ceiling allows `limit` attempts per window, then none until the window is over", async () => {
    const t = createFailureThrottle(memoryCounters(), "c", { delayMs: ceiling(100), windowMs: 24 * 3600_000 });
    for (let i = 0; i < 100; i++) expect((await t.attempt("owner@example.com", at(i))).allowed).toBe(true);
    const refused = await t.attempt("owner@example.com", at(1000));
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterSeconds).toBe(24 * 3600 - 1);
    expect((await t.attempt("owner@example.com", at(24 * 3600_000))).allowed).toBe(true);
  });

  it("fails closed: when the counters cannot be reached, the attempt is refused with 503 limits_unavailable", async () => {
    const down: CounterStore = {
      hitWindow: () => Promise.reject(new Error("connect ECONNREFUSED")),
      updateCounter: () => Promise.reject(Object.assign(new Error("connection terminated"), { code: "57P01" })),
      deleteCounter: () => Promise.reject(new Error("connect ECONNREFUSED")),
    };
    await expect(perClient(down).attempt("k")).rejects.toMatchObject({ code: "limits_unavailable", status: 503 });
  });
});
