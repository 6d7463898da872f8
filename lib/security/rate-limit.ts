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

/**
 * Per-client limits, on top of the per-email ones, keyed by the client's address
 * (lib/security/client-ip.ts: CLIENT_IP_HEADER, else the TCP connection). They stop one client
 * from spraying many emails or accounts.
 */
export const IP_LIMITS = {
  /** Every state-changing route handler. */
  request: { limit: 120, windowMs: 60_000 },
  /** Password sign-in attempts, whatever the email. */
  signIn: { limit: 30, windowMs: 15 * 60_000 },
  /** New password accounts (each sends an email). */
  signUp: { limit: 10, windowMs: 60 * 60_000 },
} as const;
export type IpLimit = keyof typeof IP_LIMITS;

const ipLimiters = globalThis as typeof globalThis & { __ipLimiters?: Record<IpLimit, RateLimiter> };

/** Counts one hit for `ip` under `kind`. */
export function hitClientIp(kind: IpLimit, ip: string): { allowed: boolean; retryAfterSeconds: number } {
  // On globalThis so that Next.js dev-mode module reloads do not reset the counts.
  ipLimiters.__ipLimiters ??= {
    request: createMemoryRateLimiter(IP_LIMITS.request),
    signIn: createMemoryRateLimiter(IP_LIMITS.signIn),
    signUp: createMemoryRateLimiter(IP_LIMITS.signUp),
  };
  return ipLimiters.__ipLimiters[kind].hit(ip);
}

/**
 * Keys a limiter remembers at most (a few MB). When full, room is made by dropping an expired
 * window or one still under its limit, oldest first; a window AT its limit (someone being
 * throttled right now) is never forgotten, so flooding the table with fresh keys cannot buy
 * an attacker a reset. If no room can be made cheaply, the new key is refused: fail closed.
 */
export const MAX_TRACKED_KEYS = 100_000;
/** How many of the oldest entries one hit may look at to make room (constant work per hit). */
const EVICTION_SCAN = 64;

export function createMemoryRateLimiter({ limit, windowMs }: { limit: number; windowMs: number }): RateLimiter {
  // A Map iterates in insertion order, and a key is re-inserted when its window restarts, so
  // the first entries are always the oldest windows.
  const windows = new Map<string, { start: number; count: number }>();
  /** Drops one forgettable window among the oldest; false if there is none to drop. */
  function makeRoom(now: number): boolean {
    let scanned = 0;
    for (const [k, v] of windows) {
      if (now - v.start >= windowMs || v.count < limit) {
        windows.delete(k);
        return true;
      }
      if (++scanned >= EVICTION_SCAN) break;
    }
    return false;
  }
  return {
    hit(key, now = Date.now()) {
      let w = windows.get(key);
      if (!w || now - w.start >= windowMs) {
        windows.delete(key);
        if (windows.size >= MAX_TRACKED_KEYS && !makeRoom(now)) return { allowed: false, retryAfterSeconds: Math.ceil(windowMs / 1000) };
        w = { start: now, count: 0 };
        windows.set(key, w);
      }
      w.count += 1;
      const retryAfterSeconds = Math.ceil((w.start + windowMs - now) / 1000);
      return { allowed: w.count <= limit, retryAfterSeconds };
    },
    reset(key) {
      windows.delete(key);
    },
  };
}
