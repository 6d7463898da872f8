// Fixed-window attempt limiter, in process memory.
//
// Invariant: limits protect a single app instance. With several instances, back this
// interface with a shared store (Redis INCR + EXPIRE) so that attackers cannot spread
// attempts across instances.

export interface RateLimiter {
  /** Counts one attempt for `key`; `allowed` is false once the limit is reached in the window. */
  hit(key: string, now?: number): { allowed: boolean; retryAfterSeconds: number };
  reset(key: string): void;
}

export function createMemoryRateLimiter({ limit, windowMs }: { limit: number; windowMs: number }): RateLimiter {
  const windows = new Map<string, { start: number; count: number }>();
  return {
    hit(key, now = Date.now()) {
      let w = windows.get(key);
      if (!w || now - w.start >= windowMs) {
        w = { start: now, count: 0 };
        windows.set(key, w);
      }
      w.count += 1;
      // Bounded memory: drop expired windows occasionally.
      if (windows.size > 10_000) for (const [k, v] of windows) if (now - v.start >= windowMs) windows.delete(k);
      const retryAfterSeconds = Math.ceil((w.start + windowMs - now) / 1000);
      return { allowed: w.count <= limit, retryAfterSeconds };
    },
    reset(key) {
      windows.delete(key);
    },
  };
}
