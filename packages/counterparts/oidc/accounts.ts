import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";
import type { SeededUser } from "./users";

/**
 * Password verification for the seeded users.
 *
 * Passwords are hashed with scrypt when the provider starts (fresh random salt per user per
 * process) and checked by re-deriving and comparing with `timingSafeEqual`. Unknown emails
 * are checked against a dummy hash so a miss costs the same scrypt work as a hit, which keeps
 * response timing from revealing which emails exist.
 */

const KEY_LENGTH = 32;
const SCRYPT_PARAMS: ScryptOptions = { N: 16_384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

interface PasswordHash {
  readonly salt: Buffer;
  readonly hash: Buffer;
}

function deriveKey(password: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize("NFC"), salt, KEY_LENGTH, SCRYPT_PARAMS, (err, key) => {
      if (err) reject(err);
      else resolve(key);
    });
  });
}

async function hashPassword(password: string): Promise<PasswordHash> {
  const salt = randomBytes(16);
  return { salt, hash: await deriveKey(password, salt) };
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export interface CredentialStore {
  /** Resolves the user when the email/password pair is right, otherwise `undefined`. */
  verify(email: string, password: string): Promise<SeededUser | undefined>;
  findBySub(sub: string): SeededUser | undefined;
}

export async function createCredentialStore(users: readonly SeededUser[]): Promise<CredentialStore> {
  const byEmail = new Map<string, { user: SeededUser; secret: PasswordHash }>();
  const bySub = new Map<string, SeededUser>();

  const [dummy, ...hashes] = await Promise.all([
    hashPassword(randomBytes(24).toString("base64url")),
    ...users.map((u) => hashPassword(u.password)),
  ]);
  if (!dummy) throw new Error("unreachable: dummy hash missing");

  users.forEach((user, i) => {
    const secret = hashes[i];
    if (!secret) throw new Error("unreachable: password hash missing");
    const email = normalizeEmail(user.email);
    if (byEmail.has(email)) throw new Error(`duplicate seeded user email: ${email}`);
    if (bySub.has(user.sub)) throw new Error(`duplicate seeded user sub: ${user.sub}`);
    byEmail.set(email, { user, secret });
    bySub.set(user.sub, user);
  });

  return {
    async verify(email, password) {
      const entry = byEmail.get(normalizeEmail(email));
      const secret = entry?.secret ?? dummy;
      const candidate = await deriveKey(password, secret.salt);
      const matches = timingSafeEqual(candidate, secret.hash);
      return matches && entry ? entry.user : undefined;
    },
    findBySub(sub) {
      return bySub.get(sub);
    },
  };
}
