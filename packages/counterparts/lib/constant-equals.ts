import { createHash, timingSafeEqual } from "node:crypto";

/**
 * Compares two secrets without leaking, through timing, where they first differ or how long
 * the expected one is. Both sides are hashed to 32 bytes first because `timingSafeEqual`
 * requires equal lengths (and throws otherwise, which would itself reveal the length).
 * Strings are compared as their UTF-8 bytes.
 */
export function constantTimeEquals(a: string | Uint8Array, b: string | Uint8Array): boolean {
  const digestA = createHash("sha256").update(a).digest();
  const digestB = createHash("sha256").update(b).digest();
  return timingSafeEqual(digestA, digestB);
}
