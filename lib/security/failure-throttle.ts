// Throttles by failures: each key may fail a few times freely, then must wait longer and longer
// between attempts. Used for password sign-in (NIST SP 800-63B §5.2.2, "Rate Limiting
// (Throttling)": limit consecutive failed attempts, prefer delays over lock-outs, so that an
// attacker cannot lock the real owner out at will:
// https://pages.nist.gov/800-63-3/sp800-63b.html#throttle).
//
// Invariants:
// - An attempt is counted when it is ALLOWED, before the password is checked, and forgotten on
//   success (reset). Counting afterwards would let a burst of parallel attempts all pass a
//   check that still sees zero failures. The count lives in the shared store and is updated
//   atomically (CounterStore.updateCounter), so bursts spread over instances count too.
// - A refusal costs nothing and tells the client when to come back (retryAfterSeconds): the
//   server never sleeps on a request.
// - Fail closed: when the store cannot be reached, attempts are refused (limits_unavailable).
import type { CounterStore } from "@/lib/store/types";
import { counterKey, counting, type Verdict } from "./rate-limit";

export interface FailureThrottle {
  /** Counts an attempt for `key` if one is allowed now; otherwise says how long to wait. */
  attempt(key: string, now?: Date): Promise<Verdict>;
  /** Forgets `key`'s failures (after a success). */
  reset(key: string): Promise<void>;
}

export interface FailureThrottleOptions {
  /** How long to wait after the last attempt, given how many have been counted (0: no wait). */
  delayMs: (attempts: number) => number;
  /** Attempts older than this (counted from the first) are forgotten. */
  windowMs: number;
}

export function createFailureThrottle(
  counters: CounterStore,
  name: string,
  { delayMs, windowMs }: FailureThrottleOptions,
): FailureThrottle {
  return {
    attempt(key, now) {
      return counting(() =>
        counters.updateCounter<Verdict>(
          counterKey(name, key),
          (current, t) => {
            const e = current ?? { first: t, last: t, count: 0, expiresAt: t + windowMs };
            const wait = Math.max(0, Math.min(e.last + delayMs(e.count), e.first + windowMs) - t);
            if (e.count > 0 && wait > 0) return { next: e, result: { allowed: false, retryAfterSeconds: Math.ceil(wait / 1000) } };
            return { next: { ...e, count: e.count + 1, last: t }, result: { allowed: true, retryAfterSeconds: 0 } };
          },
          now,
        ),
      );
    },
    reset: (key) => counting(() => counters.deleteCounter(counterKey(name, key))),
  };
}

/** Exponential delays: `free` attempts without waiting, then 1 s, 2 s, 4 s … up to `maxMs`. */
export const exponentialDelay =
  ({ free, baseMs, maxMs }: { free: number; baseMs: number; maxMs: number }) =>
  (attempts: number): number =>
    attempts < free ? 0 : Math.min(baseMs * 2 ** (attempts - free), maxMs);

/** A ceiling: `limit` attempts, then nothing until the window (from the first attempt) is over. */
export const ceiling =
  (limit: number) =>
  (attempts: number): number =>
    attempts < limit ? 0 : Number.POSITIVE_INFINITY;
