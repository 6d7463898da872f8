/**
 * Signer users of the Alchemy counterpart: one per OIDC identity (iss, sub, aud), each with an
 * organization id and an HD wallet (EVM account m/44'/60'/0'/0/0, Solana m/44'/501'/0'/0').
 *
 * Invariants:
 * - Creation is `INSERT … ON CONFLICT DO NOTHING` on the unique triple, so two first logins
 *   racing create one user; `isSignup` is true only for the request whose insert won.
 * - A wallet is derived only when a user is about to be created, not on every login.
 * - The identity is taken from verified token claims only.
 */
import { randomBytes, randomUUID } from "node:crypto";
import type { PGlite } from "@electric-sql/pglite";
import { bytesToHex, hexToBytes } from "@noble/hashes/utils.js";
import type { Queryable } from "../lib/db";
import { signDigest, type RecoverableSignature } from "../lib/ethereum-signing";
import { deriveEd25519, deriveSecp256k1, ethereumAddress, solanaAddress } from "../lib/wallet-keys";

export const EVM_PATH = "m/44'/60'/0'/0/0";
export const SOLANA_PATH = "m/44'/501'/0'/0'";
const WALLET_SEED_BYTES = 64;

export interface SignerUser {
  readonly userId: string;
  readonly orgId: string;
  readonly address: string;
  readonly solanaAddress: string;
  readonly email?: string;
}

interface UserRow {
  id: string;
  org_id: string;
  address: string;
  solana_address: string;
  email: string | null;
}

export interface Identity {
  readonly issuer: string;
  readonly subject: string;
  readonly audience: string;
  readonly authProvider: string;
  /** Only an email the issuer marked verified. */
  readonly email?: string;
}

function toUser(row: UserRow): SignerUser {
  return {
    userId: row.id,
    orgId: row.org_id,
    address: row.address,
    solanaAddress: row.solana_address,
    ...(row.email !== null ? { email: row.email } : {}),
  };
}

/** Finds the user of `identity`, creating it (with its wallet) on first sight. */
export async function findOrCreateUser(db: PGlite, identity: Identity, now: Date): Promise<{ user: SignerUser; isSignup: boolean }> {
  const existing = await touchUser(db, identity, now);
  if (existing) return { user: existing, isSignup: false };

  const seed = new Uint8Array(randomBytes(WALLET_SEED_BYTES));
  const evm = deriveSecp256k1(seed, EVM_PATH);
  const solana = deriveEd25519(seed, SOLANA_PATH);
  const inserted = await db.query<UserRow>(
    `INSERT INTO users (id, org_id, issuer, subject, audience, auth_provider, email, seed_hex, address, solana_address, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)
     ON CONFLICT (issuer, subject, audience) DO NOTHING
     RETURNING id, org_id, address, solana_address, email`,
    [
      randomUUID(),
      randomUUID(),
      identity.issuer,
      identity.subject,
      identity.audience,
      identity.authProvider,
      identity.email ?? null,
      bytesToHex(seed),
      ethereumAddress(evm.publicKey),
      solanaAddress(solana.publicKey),
      now,
    ],
  );
  const created = inserted.rows[0];
  if (created) return { user: toUser(created), isSignup: true };
  // A concurrent first login won the insert; this one is a login to that user.
  const raced = await touchUser(db, identity, now);
  if (!raced) throw new Error("signer user vanished after a conflicting insert");
  return { user: raced, isSignup: false };
}

/** The user of `identity`, if any, refreshed with the latest verified email the issuer vouched for. */
async function touchUser(q: Queryable, identity: Identity, now: Date): Promise<SignerUser | undefined> {
  const row = (
    await q.query<UserRow>(
      `UPDATE users SET email = COALESCE($4, email), updated_at = $5
       WHERE issuer = $1 AND subject = $2 AND audience = $3
       RETURNING id, org_id, address, solana_address, email`,
      [identity.issuer, identity.subject, identity.audience, identity.email ?? null, now],
    )
  ).rows[0];
  return row ? toUser(row) : undefined;
}

export async function registerApiKey(
  q: Queryable,
  input: { publicKey: string; userId: string; expiresAt: Date; now: Date },
): Promise<void> {
  await q.query("INSERT INTO api_keys (public_key, user_id, expires_at, created_at) VALUES ($1, $2, $3, $4)", [
    input.publicKey,
    input.userId,
    input.expiresAt,
    input.now,
  ]);
}

/** The user holding an API key, with the key's expiry. */
export async function findKeyHolder(q: Queryable, publicKey: string): Promise<{ user: SignerUser; expiresAt: Date } | undefined> {
  const row = (
    await q.query<UserRow & { expires_at: Date }>(
      `SELECT u.id, u.org_id, u.address, u.solana_address, u.email, k.expires_at
       FROM api_keys k JOIN users u ON u.id = k.user_id WHERE k.public_key = $1`,
      [publicKey],
    )
  ).rows[0];
  return row ? { user: toUser(row), expiresAt: row.expires_at } : undefined;
}

/**
 * Signs a 32-byte digest with the user's EVM key (EVM_PATH of the stored seed): the key the
 * reported `address` is derived from. The seed and key never leave this function.
 */
export async function signWithEvmKey(q: Queryable, userId: string, digest: Uint8Array): Promise<RecoverableSignature> {
  const row = (await q.query<{ seed_hex: string }>("SELECT seed_hex FROM users WHERE id = $1", [userId])).rows[0];
  if (!row) throw new Error("signer user vanished");
  const key = deriveSecp256k1(hexToBytes(row.seed_hex), EVM_PATH);
  try {
    return signDigest(key.privateKey, digest);
  } finally {
    key.privateKey.fill(0);
  }
}
