// Fixed-window attempt limits, counted in the shared store (AppStore's CounterStore), so every
// app instance sees the same counts: an attacker gains nothing by spreading attempts.
//
// Invariants:
// - A hit is counted atomically before anything it guards runs (one upsert; see sql-store.ts).
// - Fail closed: when the counters cannot be reached, the guarded action is refused with
//   503 limits_unavailable, never let through uncounted.
// - Keys are hashed before they are stored: the table never holds an email or an address.
import { createHash } from "node:crypto";
import { AppError } from "@/lib/http/errors";
import type { CounterStore } from "@/lib/store/types";

export interface Verdict {
  allowed: boolean;
  retryAfterSeconds: number;
}

export interface RateLimiter {
  /** Counts one attempt for `key`; `allowed` is false once the limit is reached in the window. */
  hit(key: string, now?: Date): Promise<Verdict>;
  reset(key: string): Promise<void>;
}

/** The refusal when counting is impossible (database down). */
export const limitsUnavailable = () =>
  new AppError("limits_unavailable", 503, "The service cannot check its limits right now. Try again in a moment.", {
    retryAfterSeconds: 5,
  });

/** A counter's key as stored: a hash of the limiter's name and the key. */
export const counterKey = (name: string, key: string) => createHash("sha256").update(`${name}\u0000${key}`).digest("base64url");

/** Runs a counting call; any failure to count becomes limitsUnavailable (fail closed). */
export async function counting<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof AppError) throw error;
    console.error(`[limits] could not count (${(error as { code?: string }).code ?? (error as Error).message}); refusing`);
    throw limitsUnavailable();
  }
}

export function createRateLimiter(
  counters: CounterStore,
  name: string,
  { limit, windowMs }: { limit: number; windowMs: number },
): RateLimiter {
  return {
    async hit(key, now) {
      const { count, resetMs } = await counting(() => counters.hitWindow(counterKey(name, key), windowMs, now));
      return { allowed: count <= limit, retryAfterSeconds: Math.max(1, Math.ceil(resetMs / 1000)) };
    },
    reset: (key) => counting(() => counters.deleteCounter(counterKey(name, key))),
  };
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

/** Counts one hit for `ip` under `kind`, across every instance. */
export function hitClientIp(counters: CounterStore, kind: IpLimit, ip: string): Promise<Verdict> {
  return createRateLimiter(counters, `ip:${kind}`, IP_LIMITS[kind]).hit(ip);
}
