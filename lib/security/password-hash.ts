// Password hashing with scrypt (memory-hard, in Node's standard library).
// Format: scrypt$N$r$p$salt$hash (base64url), so parameters can be raised later and old
// hashes still verify.
import "server-only";
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from "node:crypto";
import { AppError, errors } from "@/lib/http/errors";
import { createWorkGate, type WorkGate } from "./work-gate";

// Hashing is the one expensive thing an anonymous client can make the server do. The gate
// (work-gate.ts) runs at most HASH_CONCURRENCY hashes at once (each takes a libuv thread, whose
// pool has 4, and 32 MiB) and one per client at a time (a person signs in once at a time, so a
// client holds at most half the capacity), and queues at most MAX_QUEUED_HASHES; the rest is
// refused at once (429 rate_limited for a client over its share, 503 server_busy when the
// queue is full). Waiting hashes are served round-robin by client, so a burst from one client
// cannot make a real user's sign-in wait behind all of it.
const HASH_CONCURRENCY = 2;
const MAX_QUEUED_HASHES = 32;
const gates = globalThis as typeof globalThis & { __hashGate?: WorkGate };
gates.__hashGate ??= createWorkGate({ concurrency: HASH_CONCURRENCY, perClient: 1, maxQueued: MAX_QUEUED_HASHES });
const gate = gates.__hashGate;

/**
 * Whose hashing this is: the client key (lib/security/client-ip.ts). Without one (no client
 * address known), each call counts alone: only the overall limits apply.
 */
export type HashClient = string | null;

async function scrypt(password: string, salt: Buffer, keylen: number, options: ScryptOptions, client: HashClient): Promise<Buffer> {
  const result = await gate.run(
    client ?? `anonymous:${randomBytes(8).toString("hex")}`,
    () =>
      new Promise<Buffer>((resolve, reject) =>
        scryptCb(password.normalize("NFKC"), salt, keylen, options, (error, key) => (error ? reject(error) : resolve(key))),
      ),
  );
  if (result.ok) return result.value;
  if (result.refusal === "client_busy") throw errors.rateLimited(1);
  throw new AppError("server_busy", 503, "The server is busy. Try again in a few seconds.", { retryAfterSeconds: 2 });
}

/** N=2^15, r=8: 32 MiB of memory per hash (OWASP's scrypt baseline is N=2^17 with 128 MiB; this is its lower documented setting). */
const DEFAULT = { N: 2 ** 15, r: 8, p: 1 };
const KEY_LENGTH = 32;

export async function hashPassword(password: string, client: HashClient = null): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, KEY_LENGTH, { ...DEFAULT, maxmem: 128 * DEFAULT.N * DEFAULT.r * 2 }, client);
  return ["scrypt", DEFAULT.N, DEFAULT.r, DEFAULT.p, salt.toString("base64url"), key.toString("base64url")].join("$");
}

export async function verifyPassword(password: string, stored: string, client: HashClient = null): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split("$");
  if (scheme !== "scrypt" || !n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, "base64url");
  const N = Number(n);
  const options = { N, r: Number(r), p: Number(p), maxmem: 128 * N * Number(r) * 2 };
  const actual = await scrypt(password, Buffer.from(salt, "base64url"), expected.length, options, client);
  return timingSafeEqual(actual, expected);
}

/** A hash of a random password, verified against when the email is unknown, so that
 * "no such user" and "wrong password" take the same time. */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  // A refused first attempt (the gate was full) must not be remembered as the decoy.
  decoy ??= hashPassword(randomBytes(16).toString("hex")).catch((error: unknown) => {
    decoy = undefined;
    throw error;
  });
  return decoy;
}
