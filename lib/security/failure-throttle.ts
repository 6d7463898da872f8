// Throttles by failures: each key may fail a few times freely, then must wait longer and longer
// between attempts. Used for password sign-in (NIST SP 800-63B §5.2.2, "Rate Limiting
// (Throttling)": limit consecutive failed attempts, prefer delays over lock-outs, so that an
// attacker cannot lock the real owner out at will:
// https://pages.nist.gov/800-63-3/sp800-63b.html#throttle).
//
// Invariants:
// - An attempt is counted when it is ALLOWED, before the password is checked, and forgotten on
//   success (reset). Counting afterwards would let a burst of parallel attempts all pass a
//   check that still sees zero failures.
// - A refusal costs nothing and tells the client when to come back (retryAfterSeconds): the
//   server never sleeps on a request.
// - In process memory, bounded like rate-limit.ts; several instances need a shared store.

export interface FailureThrottle {
  /** Counts an attempt for `key` if one is allowed now; otherwise says how long to wait. */
  attempt(key: string, now?: number): { allowed: boolean; retryAfterSeconds: number };
  /** Forgets `key`'s failures (after a success). */
  reset(key: string): void;
}

export interface FailureThrottleOptions {
  /** How long to wait after the last attempt, given how many have been counted (0: no wait). */
  delayMs: (attempts: number) => number;
  /** Attempts older than this (counted from the first) are forgotten. */
  windowMs: number;
  /**
   * Keys remembered at most; when full, expired or unthrottled keys are dropped, never a
   * throttled one. If none can be dropped, a new key's attempt goes through untracked: refusing
   * it would let a flood of throttled keys refuse every sign-in of everyone (fail closed is a
   * denial of service here); the per-client request limits still bound such a newcomer.
   */
  maxKeys?: number;
}

const EVICTION_SCAN = 64;

export function createFailureThrottle({ delayMs, windowMs, maxKeys = 100_000 }: FailureThrottleOptions): FailureThrottle {
  // Insertion order = age of the first attempt, so the oldest entries come first.
  const entries = new Map<string, { first: number; last: number; attempts: number }>();
  const waitFor = (e: { first: number; last: number; attempts: number }, now: number) =>
    Math.max(0, Math.min(e.last + delayMs(e.attempts), e.first + windowMs) - now);

  function makeRoom(now: number): boolean {
    let scanned = 0;
    for (const [k, e] of entries) {
      if (now - e.first >= windowMs || waitFor(e, now) === 0) {
        entries.delete(k);
        return true;
      }
      if (++scanned >= EVICTION_SCAN) break;
    }
    return false;
  }

  return {
    attempt(key, now = Date.now()) {
      let e = entries.get(key);
      if (e && now - e.first >= windowMs) {
        entries.delete(key);
        e = undefined;
      }
      if (!e) {
        if (entries.size >= maxKeys && !makeRoom(now)) return { allowed: true, retryAfterSeconds: 0 };
        e = { first: now, last: now, attempts: 0 };
        entries.set(key, e);
      }
      const wait = waitFor(e, now);
      if (e.attempts > 0 && wait > 0) return { allowed: false, retryAfterSeconds: Math.ceil(wait / 1000) };
      e.attempts += 1;
      e.last = now;
      return { allowed: true, retryAfterSeconds: 0 };
    },
    reset(key) {
      entries.delete(key);
    },
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
