// The schema, for PGlite and PostgreSQL alike, and the runner that applies it.
import type { SqlDb } from "./sql";

/** Applied in order, each once, each in a transaction; never edit one that has shipped. */
export const MIGRATIONS: string[] = [
  `
  CREATE TABLE users (
    id text PRIMARY KEY,
    email text,
    email_verified boolean NOT NULL DEFAULT false,
    name text,
    created_at timestamptz NOT NULL DEFAULT now()
  );
  CREATE INDEX users_verified_email ON users (lower(email)) WHERE email_verified;

  CREATE TABLE identities (
    provider text NOT NULL,
    subject text NOT NULL,
    user_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    email text,
    email_verified boolean NOT NULL DEFAULT false,
    name text,
    profile jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now(),
    last_sign_in_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (provider, subject)
  );
  CREATE INDEX identities_user ON identities (user_id);

  CREATE TABLE password_credentials (
    id text PRIMARY KEY,
    email text NOT NULL,
    password_hash text NOT NULL,
    name text,
    email_verified_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
  );
  CREATE UNIQUE INDEX password_credentials_email ON password_credentials (lower(email));

  CREATE TABLE one_time_codes (
    id text PRIMARY KEY,
    purpose text NOT NULL,
    subject text NOT NULL,
    code_hash text NOT NULL,
    expires_at timestamptz NOT NULL,
    attempts integer NOT NULL DEFAULT 0,
    max_attempts integer NOT NULL,
    used_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
  );
  CREATE INDEX one_time_codes_lookup ON one_time_codes (purpose, subject, created_at DESC);

  CREATE TABLE wallet_connections (
    user_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    provider text NOT NULL,
    status text NOT NULL,
    address text,
    expires_at timestamptz,
    data jsonb NOT NULL DEFAULT '{}',
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, provider)
  );
  `,
  // Identities are keyed by issuer too (see VerifiedIdentity.issuer). Password rows know
  // theirs; the others keep issuer '' until openPgliteStore assigns the configured issuer.
  `
  ALTER TABLE identities ADD COLUMN issuer text NOT NULL DEFAULT '';
  ALTER TABLE identities DROP CONSTRAINT identities_pkey;
  ALTER TABLE identities ADD PRIMARY KEY (provider, issuer, subject);
  UPDATE identities SET issuer = 'app:password' WHERE provider = 'password';
  `,
  `
  CREATE TABLE store_meta (key text PRIMARY KEY, value text NOT NULL, updated_at timestamptz NOT NULL DEFAULT now());
  `,
  // The Firebase uid each user is presented as (claimFirebaseUid), one per Firebase project, and
  // a uid never for two users. Wallet secrets live in their own column, never in \`data\`.
  `
  CREATE TABLE firebase_uids (
    user_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    issuer text NOT NULL,
    uid text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, issuer),
    UNIQUE (issuer, uid)
  );
  ALTER TABLE wallet_connections ADD COLUMN secret text;
  `,
  // Which app user owns a wallet provider's account, for good: unlike wallet_connections it
  // survives sign-out and disconnect (see AppStore.claimWalletAccount).
  `
  CREATE TABLE wallet_accounts (
    provider text NOT NULL,
    account_id text NOT NULL,
    user_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (provider, account_id)
  );
  `,
  // Server-side records of app sessions (lib/identity/app-session.ts): the Auth.js cookie
  // carries the id, every read checks the row, so a revoked session ends everywhere at once.
  // Counters shared by every instance (lib/security/shared-limits.ts): keys are hashes, never
  // raw emails or addresses.
  `
  CREATE TABLE app_sessions (
    id text PRIMARY KEY,
    user_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    user_agent text,
    created_at timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    revoked_at timestamptz
  );
  CREATE INDEX app_sessions_user ON app_sessions (user_id, created_at DESC);

  CREATE TABLE rate_counters (
    key text PRIMARY KEY,
    first_at timestamptz NOT NULL,
    last_at timestamptz NOT NULL,
    count integer NOT NULL,
    expires_at timestamptz NOT NULL
  );
  CREATE INDEX rate_counters_expiry ON rate_counters (expires_at);
  `,
  // Messages the app asked a wallet to sign (AppStore.createSignChallenge): single use and
  // short-lived, bound to a user, a wallet provider and the address on record.
  `
  CREATE TABLE sign_challenges (
    nonce text PRIMARY KEY,
    user_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    provider text NOT NULL,
    address text NOT NULL,
    message text NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
  );
  CREATE INDEX sign_challenges_open ON sign_challenges (user_id, provider, expires_at);
  `,
  // The wallets a user connected before (AppStore.listPreviousWallets), one row per user and
  // wallet provider: the last address a live connection was recorded with, and when. Unlike
  // wallet_connections it survives sign-out and disconnect, so that the dashboard can offer to
  // reconnect; it holds no session, token or secret. Deleted with the user (and so by the sweep).
  `
  CREATE TABLE wallet_history (
    user_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    provider text NOT NULL,
    address text NOT NULL,
    first_connected_at timestamptz NOT NULL DEFAULT now(),
    last_connected_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, provider)
  );
  `,
];

/**
 * Any number of instances may start at once against one database: each migration runs in its
 * own transaction that first takes a transaction-scoped advisory lock, then checks (after the
 * lock, so it sees what the previous holder committed) whether it is applied. Exactly one
 * instance applies each; the others wait and skip it. A failed migration rolls back whole.
 * https://www.postgresql.org/docs/current/explicit-locking.html#ADVISORY-LOCKS
 */
export const MIGRATION_LOCK_KEY = 727_000_001;

export async function runMigrations(db: SqlDb, migrations: readonly string[] = MIGRATIONS): Promise<number[]> {
  const appliedNow: number[] = [];
  for (const [index, sql] of migrations.entries()) {
    const version = index + 1;
    const applied = await db.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock($1)`, [MIGRATION_LOCK_KEY]);
      await tx.exec(
        `CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
      );
      const { rows } = await tx.query(`SELECT 1 FROM schema_migrations WHERE version = $1`, [version]);
      if (rows.length > 0) return false;
      await tx.exec(sql);
      await tx.query(`INSERT INTO schema_migrations (version) VALUES ($1)`, [version]);
      return true;
    });
    if (applied) appliedNow.push(version);
  }
  return appliedNow;
}
