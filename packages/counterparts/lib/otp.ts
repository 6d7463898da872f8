/**
 * One-time code helpers shared by the counterparts that email or text codes to users.
 *
 * Invariants:
 * - Codes come from a CSPRNG (`crypto.randomInt`, which is unbiased over the range).
 * - Only `HMAC-SHA256(serviceSecret, challengeId NUL code)` is ever stored. A short numeric
 *   code hashed without a secret could be brute-forced offline from a leaked database; the
 *   challenge id binds the hash to one challenge so hashes cannot be replayed across them.
 * - Comparison is constant time.
 */
import { createHmac, randomInt } from "node:crypto";
import { constantTimeEquals } from "./constant-equals";

export const MIN_OTP_DIGITS = 4;
/** Upper bound keeps codes typable (and far below `randomInt`'s 2^48 range limit). */
export const MAX_OTP_DIGITS = 10;
/** HMAC keys shorter than the hash output weaken it; require at least 32 bytes. */
export const MIN_OTP_SECRET_BYTES = 32;

export class OtpConfigError extends Error {
  override readonly name = "OtpConfigError";
  readonly code = "otp_config_invalid";
}

/** A uniformly random string of `digits` decimal digits (leading zeros kept). */
export function generateNumericCode(digits: number): string {
  if (!Number.isInteger(digits) || digits < MIN_OTP_DIGITS || digits > MAX_OTP_DIGITS) {
    throw new OtpConfigError(`OTP length must be an integer in [${MIN_OTP_DIGITS}, ${MAX_OTP_DIGITS}]`);
  }
  return randomInt(0, 10 ** digits)
    .toString()
    .padStart(digits, "0");
}

/** True when `code` is exactly `digits` ASCII digits. */
export function isNumericCode(code: string, digits: number): boolean {
  return code.length === digits && /^[0-9]+$/.test(code);
}

export class OtpHasher {
  readonly #secret: Buffer;

  constructor(secret: Uint8Array) {
    if (secret.byteLength < MIN_OTP_SECRET_BYTES) {
      throw new OtpConfigError(`OTP secret must be at least ${MIN_OTP_SECRET_BYTES} bytes`);
    }
    // Copy so later mutation of the caller's buffer cannot change our key.
    this.#secret = Buffer.from(secret);
  }

  /** Hex HMAC of the code, bound to its challenge. */
  hash(challengeId: string, code: string): string {
    return createHmac("sha256", this.#secret).update(`${challengeId}\u0000${code}`, "utf8").digest("hex");
  }

  matches(challengeId: string, code: string, storedHash: string): boolean {
    return constantTimeEquals(this.hash(challengeId, code), storedHash);
  }
}
