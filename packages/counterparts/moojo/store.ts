/**
 * Moojo users and their access tokens.
 *
 * Invariants:
 * - A user is created at most once per (Firebase project, uid), with a fresh CSPRNG
 *   secp256k1 key; later authentications return the same id and public key. Concurrent first
 *   logins are safe: the unique (project, uid) decides which insert wins and all callers get
 *   the winner's row.
 * - Access tokens are 32 random bytes as 64 lower-case hex characters. Only their SHA-256 is
 *   stored; a token is looked up by that hash (an index lookup on a hash leaks nothing useful
 *   through timing). A token is valid while `now < expires_at`.
 * - Identity comes only from a verified Firebase ID token, never from the request body.
 */
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { bytesToHex } from "@noble/hashes/utils.js";
import type { Queryable } from "../lib/db";

export const ACCESS_TOKEN_PATTERN = /^[0-9a-f]{64}$/;

export interface MoojoUser {
  /** `publicUserId` on the wire. */
  readonly id: string;
  readonly firebaseProjectId: string;
  readonly firebaseUid: string;
  readonly email?: string;
  /** `0x` + the 33-byte compressed secp256k1 public key, lower-case hex. */
  readonly publicKey: string;
  readonly createdAt: Date;
}

export interface IssuedAccessToken {
  readonly token: string;
  readonly expiresAt: Date;
}

export type AccessTokenErrorCode = "access_token_invalid" | "access_token_expired";

export class AccessTokenError extends Error {
  override readonly name = "AccessTokenError";
  constructor(
    readonly code: AccessTokenErrorCode,
    message: string,
  ) {
    super(message);
  }
}

interface UserRow {
  id: string;
  firebase_project_id: string;
  firebase_uid: string;
  email: string | null;
  public_key: string;
  created_at: Date;
}

const USER_COLUMNS = "id, firebase_project_id, firebase_uid, email, public_key, created_at";

function toUser(row: UserRow): MoojoUser {
  return {
    id: row.id,
    firebaseProjectId: row.firebase_project_id,
    firebaseUid: row.firebase_uid,
    ...(row.email !== null ? { email: row.email } : {}),
    publicKey: row.public_key,
    createdAt: row.created_at,
  };
}

export function hashAccessToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/**
 * The user for this Firebase identity, created on first sight. `email` is refreshed from
 * every login (the latest verified token is the best knowledge of it; null when it has none).
 */
export async function upsertUser(
  q: Queryable,
  identity: { firebaseProjectId: string; firebaseUid: string; email?: string },
  now: Date,
): Promise<MoojoUser> {
  // A key is generated on every call; it is only stored when the user is new. That costs a
  // fraction of a millisecond and keeps creation a single race-free statement.
  const privateKey = secp256k1.utils.randomSecretKey();
  const publicKey = `0x${bytesToHex(secp256k1.getPublicKey(privateKey, true))}`;
  try {
    const result = await q.query<UserRow>(
      `INSERT INTO users (id, firebase_project_id, firebase_uid, email, private_key_hex, public_key, created_at, last_authenticated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
       ON CONFLICT (firebase_project_id, firebase_uid) DO UPDATE
         SET email = EXCLUDED.email, last_authenticated_at = EXCLUDED.last_authenticated_at
       RETURNING ${USER_COLUMNS}`,
      [randomUUID(), identity.firebaseProjectId, identity.firebaseUid, identity.email ?? null, bytesToHex(privateKey), publicKey, now],
    );
    const row = result.rows[0];
    if (!row) throw new Error("User upsert returned no row");
    return toUser(row);
  } finally {
    privateKey.fill(0);
  }
}

/** Issues a new access token for the user (earlier ones stay valid until they expire). */
export async function issueAccessToken(q: Queryable, userId: string, now: Date, ttlSeconds: number): Promise<IssuedAccessToken> {
  const token = randomBytes(32).toString("hex");
  const expiresAt = new Date(now.getTime() + ttlSeconds * 1000);
  // Housekeeping: this user's dead tokens can go; they can never become valid again.
  await q.query("DELETE FROM access_tokens WHERE user_id = $1 AND expires_at <= $2", [userId, now]);
  await q.query("INSERT INTO access_tokens (token_sha256, user_id, issued_at, expires_at) VALUES ($1, $2, $3, $4)", [
    hashAccessToken(token),
    userId,
    now,
    expiresAt,
  ]);
  return { token, expiresAt };
}

/** The user a presented access token belongs to, if it is known and not expired. */
export async function authenticateAccessToken(q: Queryable, token: string, now: Date): Promise<MoojoUser> {
  if (!ACCESS_TOKEN_PATTERN.test(token)) throw new AccessTokenError("access_token_invalid", "Access token is not valid");
  const result = await q.query<UserRow & { expires_at: Date }>(
    `SELECT ${USER_COLUMNS.split(", ")
      .map((column) => `u.${column}`)
      .join(", ")}, t.expires_at
     FROM access_tokens t JOIN users u ON u.id = t.user_id
     WHERE t.token_sha256 = $1`,
    [hashAccessToken(token)],
  );
  const row = result.rows[0];
  if (!row) throw new AccessTokenError("access_token_invalid", "Access token is not valid");
  if (row.expires_at.getTime() <= now.getTime()) {
    throw new AccessTokenError("access_token_expired", "Access token has expired");
  }
  return toUser(row);
}
