/**
 * Password hashing with scrypt (node:crypto) and GoTrue's password policy.
 *
 * Invariants:
 * - Stored form: `$scrypt$ln=<log2 N>,r=<r>,p=<p>$<salt b64>$<key b64>` with a fresh 16-byte
 *   salt per hash. Parameters travel with the hash so they can be raised later without
 *   breaking existing users; parameters read back are bounds-checked, so a tampered row cannot
 *   make verification allocate unbounded memory.
 * - Comparison is constant time (equal-length derived keys, `timingSafeEqual`).
 * - Passwords are NFC-normalised before hashing, so the same password typed on systems that
 *   compose accents differently still matches.
 * - Sign-in for an unknown email (or a user without a password) still runs one full scrypt
 *   against a dummy hash, so response time does not reveal whether the account exists.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";
import { AuthFailure } from "./errors";

/** GoTrue's default `GOTRUE_PASSWORD_MIN_LENGTH`. Measured in bytes, like Go's `len`. */
export const PASSWORD_MIN_BYTES = 6;
/** GoTrue refuses longer passwords (bcrypt's limit); kept so behaviour matches the real service. */
export const PASSWORD_MAX_BYTES = 72;

const LOG2_N = 15;
const BLOCK_SIZE = 8;
const PARALLELISM = 1;
const KEY_BYTES = 32;
const SALT_BYTES = 16;
/** Upper bounds accepted when reading a stored hash (about 128 MiB of scrypt memory). */
const MAX_LOG2_N = 17;
const MAX_BLOCK_SIZE = 16;
const MAX_PARALLELISM = 4;

function derive(password: string, salt: Buffer, log2N: number, r: number, p: number): Promise<Buffer> {
  const options: ScryptOptions = { N: 2 ** log2N, r, p, maxmem: 256 * r * p * 2 ** log2N };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize("NFC"), salt, KEY_BYTES, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, LOG2_N, BLOCK_SIZE, PARALLELISM);
  return `$scrypt$ln=${LOG2_N},r=${BLOCK_SIZE},p=${PARALLELISM}$${salt.toString("base64")}$${key.toString("base64")}`;
}

const STORED = /^\$scrypt\$ln=([0-9]{1,2}),r=([0-9]{1,2}),p=([0-9]{1,2})\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/;

/** True when `password` matches `stored`. A malformed stored hash never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const match = STORED.exec(stored);
  if (!match) return false;
  const [log2N, r, p] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (log2N < 1 || log2N > MAX_LOG2_N || r < 1 || r > MAX_BLOCK_SIZE || p < 1 || p > MAX_PARALLELISM) return false;
  const salt = Buffer.from(match[4] ?? "", "base64");
  const expected = Buffer.from(match[5] ?? "", "base64");
  if (expected.byteLength !== KEY_BYTES || salt.byteLength < SALT_BYTES) return false;
  const actual = await derive(password, salt, log2N, r, p);
  return timingSafeEqual(actual, expected);
}

/**
 * GoTrue's `checkPasswordStrength` for new passwords, in its order and with its messages:
 * empty → 400 `validation_failed`; over 72 bytes → 400 `validation_failed`;
 * under the minimum → 422 `weak_password` with reason `length`.
 */
export function checkNewPassword(password: string | undefined): string {
  if (password === undefined || password === "") {
    throw new AuthFailure(400, "validation_failed", "Signup requires a valid password");
  }
  const bytes = Buffer.byteLength(password, "utf8");
  if (bytes > PASSWORD_MAX_BYTES) {
    throw new AuthFailure(400, "validation_failed", `Password cannot be longer than ${PASSWORD_MAX_BYTES} characters`);
  }
  if (bytes < PASSWORD_MIN_BYTES) {
    throw new AuthFailure(422, "weak_password", `Password should be at least ${PASSWORD_MIN_BYTES} characters.`, {
      weakPasswordReasons: ["length"],
    });
  }
  return password;
}
