import { createHash, timingSafeEqual } from "node:crypto";

/**
 * Compares two secrets in time independent of where they differ. Both sides are hashed
 * first so that inputs of different lengths do not leak their length through an early exit.
 */
export function constantEquals(a: string, b: string): boolean {
  const ha = createHash("sha256").update(a, "utf8").digest();
  const hb = createHash("sha256").update(b, "utf8").digest();
  return timingSafeEqual(ha, hb);
}
