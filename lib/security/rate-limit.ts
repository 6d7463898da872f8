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
 * Per-client-IP limits, on top of the per-email ones, for when CLIENT_IP_HEADER is set
 * (lib/security/client-ip.ts). They stop one client from spraying many emails or accounts.
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
 * Keys a limiter remembers at most (a few MB); beyond that the oldest windows are forgotten
 * first. Forgetting can only ever grant a flood of fresh keys a reset of the OLDEST window,
 * and with per-IP limits on, nobody gets 100k fresh keys inside one window.
 */
export const MAX_TRACKED_KEYS = 100_000;

export function createMemoryRateLimiter({ limit, windowMs }: { limit: number; windowMs: number }): RateLimiter {
  // A Map iterates in insertion order, and a key is re-inserted when its window restarts, so
  // the first entries are always the oldest windows.
  const windows = new Map<string, { start: number; count: number }>();
  return {
    hit(key, now = Date.now()) {
      let w = windows.get(key);
      if (!w || now - w.start >= windowMs) {
        windows.delete(key);
        w = { start: now, count: 0 };
        windows.set(key, w);
      }
      w.count += 1;
      // Bounded memory, constant work: a hit adds at most one key, so at most one goes.
      while (windows.size > MAX_TRACKED_KEYS) windows.delete(windows.keys().next().value!);
      const retryAfterSeconds = Math.ceil((w.start + windowMs - now) / 1000);
      return { allowed: w.count <= limit, retryAfterSeconds };
    },
    reset(key) {
      windows.delete(key);
    },
  };
}
