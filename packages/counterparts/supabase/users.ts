/**
 * Users and their email identity, and the JSON GoTrue returns for them.
 *
 * Invariants:
 * - Emails are stored lower-cased (GoTrue does the same); lookups lower-case their input.
 * - `user_metadata` always contains GoTrue's identity claims `sub`, `email`, `email_verified`,
 *   `phone_verified`; they override same-named keys of the caller's `data`, as in GoTrue
 *   (callers cannot, for example, claim `email_verified: true`).
 * - The JSON shapes follow GoTrue's `models.User` / `models.Identity` field names and
 *   omit-when-empty rules, because app code and auth-js read them directly.
 */
import { randomUUID } from "node:crypto";
import type { Queryable } from "../lib/db";
import { UNKNOWN_EXTRA_FIELDS, type CounterpartVariant } from "../lib/variant";

export const AUDIENCE = "authenticated";
export const ROLE = "authenticated";
export const EMAIL_PROVIDER = "email";

export type Metadata = Record<string, unknown>;

export interface UserRecord {
  readonly id: string;
  readonly email: string;
  readonly passwordHash: string | null;
  readonly userMetadata: Metadata;
  readonly emailConfirmedAt: Date | null;
  readonly confirmationSentAt: Date | null;
  readonly recoverySentAt: Date | null;
  readonly lastSignInAt: Date | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly identity: IdentityRecord | null;
}

export interface IdentityRecord {
  readonly id: string;
  readonly userId: string;
  readonly providerId: string;
  readonly email: string | null;
  readonly identityData: Metadata;
  readonly lastSignInAt: Date | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

interface UserRow {
  id: string;
  email: string;
  password_hash: string | null;
  user_metadata: Metadata;
  email_confirmed_at: Date | null;
  confirmation_sent_at: Date | null;
  recovery_sent_at: Date | null;
  last_sign_in_at: Date | null;
  created_at: Date;
  updated_at: Date;
  identity_id: string | null;
  identity_provider_id: string | null;
  identity_email: string | null;
  identity_data: Metadata | null;
  identity_last_sign_in_at: Date | null;
  identity_created_at: Date | null;
  identity_updated_at: Date | null;
}

const SELECT_USER = `
  SELECT u.*, i.id AS identity_id, i.provider_id AS identity_provider_id, i.email AS identity_email,
         i.identity_data, i.last_sign_in_at AS identity_last_sign_in_at,
         i.created_at AS identity_created_at, i.updated_at AS identity_updated_at
  FROM users u LEFT JOIN identities i ON i.user_id = u.id AND i.provider = '${EMAIL_PROVIDER}'`;

/**
 * JSON objects with keys in code-point order, recursively: Postgres `jsonb` reorders keys (by
 * length first), while GoTrue serialises Go maps sorted by key.
 */
function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (typeof value !== "object" || value === null) return value;
  const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([key, inner]) => [key, sortedKeys(inner)]));
}

const sortedMetadata = (value: Metadata): Metadata => sortedKeys(value) as Metadata;

function toRecord(row: UserRow): UserRecord {
  const identity: IdentityRecord | null =
    row.identity_id !== null && row.identity_created_at !== null && row.identity_updated_at !== null
      ? {
          id: row.identity_id,
          userId: row.id,
          providerId: row.identity_provider_id ?? row.id,
          email: row.identity_email,
          identityData: sortedMetadata(row.identity_data ?? {}),
          lastSignInAt: row.identity_last_sign_in_at,
          createdAt: row.identity_created_at,
          updatedAt: row.identity_updated_at,
        }
      : null;
  return {
    id: row.id,
    email: row.email,
    passwordHash: row.password_hash,
    userMetadata: sortedMetadata(row.user_metadata),
    emailConfirmedAt: row.email_confirmed_at,
    confirmationSentAt: row.confirmation_sent_at,
    recoverySentAt: row.recovery_sent_at,
    lastSignInAt: row.last_sign_in_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    identity,
  };
}

export function normalizeEmail(email: string): string {
  return email.toLowerCase();
}

export async function findUserByEmail(q: Queryable, email: string): Promise<UserRecord | undefined> {
  const result = await q.query<UserRow>(`${SELECT_USER} WHERE u.email = $1`, [normalizeEmail(email)]);
  const row = result.rows[0];
  return row ? toRecord(row) : undefined;
}

export async function findUserById(q: Queryable, id: string): Promise<UserRecord | undefined> {
  const result = await q.query<UserRow>(`${SELECT_USER} WHERE u.id = $1`, [id]);
  const row = result.rows[0];
  return row ? toRecord(row) : undefined;
}

/** GoTrue's identity claims for an email identity. */
function identityClaims(userId: string, email: string, verified: boolean): Metadata {
  return { email, email_verified: verified, phone_verified: false, sub: userId };
}

/** Creates an unconfirmed user with its email identity. `email` must already be normalised. */
export async function createUser(
  q: Queryable,
  input: { email: string; passwordHash: string | null; data: Metadata; now: Date },
): Promise<UserRecord> {
  const id = randomUUID();
  const claims = identityClaims(id, input.email, false);
  await q.query(
    `INSERT INTO users (id, email, password_hash, user_metadata, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $5)`,
    [id, input.email, input.passwordHash, JSON.stringify({ ...input.data, ...claims }), input.now],
  );
  await q.query(
    `INSERT INTO identities (id, user_id, provider, provider_id, email, identity_data, last_sign_in_at, created_at, updated_at)
     VALUES ($1, $2, '${EMAIL_PROVIDER}', $3, $4, $5, $6, $6, $6)`,
    // GoTrue's provider id of an email identity is the user id.
    [randomUUID(), id, id, input.email, JSON.stringify(claims), input.now],
  );
  const created = await findUserById(q, id);
  if (!created) throw new Error("user vanished after insert");
  return created;
}

/**
 * Applies what the confirming signup request asked for, before the email is confirmed. Only
 * for an unconfirmed user: the password and metadata a pre-registration left behind are
 * replaced by those of the request whose code proved control of the mailbox.
 */
export async function applySignupClaim(
  q: Queryable,
  userId: string,
  claim: { password?: string | null; metadata?: Metadata },
  now: Date,
): Promise<void> {
  const user = await findUserById(q, userId);
  if (!user || user.emailConfirmedAt) return;
  if (claim.password !== undefined) {
    await q.query("UPDATE users SET password_hash = $2, updated_at = $3 WHERE id = $1", [userId, claim.password, now]);
  }
  if (claim.metadata !== undefined) {
    const metadata = { ...claim.metadata, ...identityClaims(userId, user.email, false) };
    await q.query("UPDATE users SET user_metadata = $2, updated_at = $3 WHERE id = $1", [userId, JSON.stringify(metadata), now]);
  }
}

/** Marks the email confirmed (first time only) and flips `email_verified` in both metadata maps. */
export async function confirmEmail(q: Queryable, userId: string, now: Date): Promise<void> {
  await q.query(
    `UPDATE users SET email_confirmed_at = $2, updated_at = $2,
       user_metadata = user_metadata || '{"email_verified": true}'::jsonb
     WHERE id = $1 AND email_confirmed_at IS NULL`,
    [userId, now],
  );
  await q.query(
    `UPDATE identities SET identity_data = identity_data || '{"email_verified": true}'::jsonb, updated_at = $2
     WHERE user_id = $1 AND provider = '${EMAIL_PROVIDER}' AND (identity_data ->> 'email_verified') IS DISTINCT FROM 'true'`,
    [userId, now],
  );
}

export async function recordSignIn(q: Queryable, userId: string, now: Date): Promise<void> {
  await q.query("UPDATE users SET last_sign_in_at = $2, updated_at = $2 WHERE id = $1", [userId, now]);
  await q.query(`UPDATE identities SET last_sign_in_at = $2 WHERE user_id = $1 AND provider = '${EMAIL_PROVIDER}'`, [userId, now]);
}

/** Removes a user that never got its confirmation email (signup whose mail failed). */
export async function deleteUnconfirmedUser(q: Queryable, userId: string): Promise<void> {
  await q.query("DELETE FROM users WHERE id = $1 AND email_confirmed_at IS NULL AND last_sign_in_at IS NULL", [userId]);
}

/** GoTrue's `app_metadata` for an email-only user (a fresh object each time: callers may mutate it). */
export function appMetadataJson(): { provider: string; providers: string[] } {
  return { provider: EMAIL_PROVIDER, providers: [EMAIL_PROVIDER] };
}

const iso = (date: Date): string => date.toISOString();

/** GoTrue's `models.Identity` JSON. */
export function identityJson(identity: IdentityRecord): Record<string, unknown> {
  return {
    identity_id: identity.id,
    id: identity.providerId,
    user_id: identity.userId,
    identity_data: identity.identityData,
    provider: EMAIL_PROVIDER,
    ...(identity.lastSignInAt ? { last_sign_in_at: iso(identity.lastSignInAt) } : {}),
    created_at: iso(identity.createdAt),
    updated_at: iso(identity.updatedAt),
    ...(identity.email !== null ? { email: identity.email } : {}),
  };
}

/** GoTrue's `models.User` JSON (what `/user`, `/signup` and sessions carry). */
export function userJson(user: UserRecord, variant: CounterpartVariant = "standard"): Record<string, unknown> {
  // Sparse: empty user_metadata (GoTrue leaves it empty for users created by an admin or an
  // import) and a field no client knows.
  if (variant === "sparse") return { ...userJson(user), user_metadata: {}, ...UNKNOWN_EXTRA_FIELDS };
  return {
    id: user.id,
    aud: AUDIENCE,
    role: ROLE,
    email: user.email,
    ...(user.emailConfirmedAt ? { email_confirmed_at: iso(user.emailConfirmedAt) } : {}),
    phone: "",
    ...(user.confirmationSentAt ? { confirmation_sent_at: iso(user.confirmationSentAt) } : {}),
    // GoTrue's `confirmed_at` is the earlier of the email and phone confirmations.
    ...(user.emailConfirmedAt ? { confirmed_at: iso(user.emailConfirmedAt) } : {}),
    ...(user.recoverySentAt ? { recovery_sent_at: iso(user.recoverySentAt) } : {}),
    ...(user.lastSignInAt ? { last_sign_in_at: iso(user.lastSignInAt) } : {}),
    app_metadata: appMetadataJson(),
    user_metadata: user.userMetadata,
    identities: user.identity ? [identityJson(user.identity)] : [],
    created_at: iso(user.createdAt),
    updated_at: iso(user.updatedAt),
    is_anonymous: false,
  };
}

/**
 * What GoTrue answers a signup for an already-confirmed email while email confirmation is on
 * (its `sanitizeUser`): a fresh random id, empty role, no identities, the caller's own data, no
 * email sent. Clients detect "already registered" by `identities.length === 0`.
 */
export function obfuscatedUserJson(email: string, data: Metadata, now: Date): Record<string, unknown> {
  return {
    id: randomUUID(),
    aud: AUDIENCE,
    role: "",
    email,
    phone: "",
    confirmation_sent_at: iso(now),
    app_metadata: appMetadataJson(),
    user_metadata: data,
    identities: [],
    created_at: iso(now),
    updated_at: iso(now),
    is_anonymous: false,
  };
}
