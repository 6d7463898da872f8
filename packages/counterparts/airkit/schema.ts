/**
 * Schema of the AIR Kit counterpart. Append-only (see packages/counterparts/lib/db.ts).
 *
 * - accounts: one AIR account per lower-cased email (the AIR account identifier).
 * - partner_links: which partners have had this email verified through them, with the
 *   partner's own user id. A session for a partner requires a link (see service.ts).
 * - otp_challenges: pending email verifications; only an HMAC of the code is stored.
 * - sessions: issued AIR tokens, so they can be revoked. Since migration 2 they are found by
 *   the SHA-256 of the token (`token_hash`): the token carries only AIR's documented claims,
 *   no `jti`; `jti` stays the row's internal key.
 * - accounts.mfa_setup_at, passkeys, mfa_challenges (migration 2): MFA enrolment with a
 *   WebAuthn passkey; the account address is handed out only once MFA is set up.
 */
export const AIRKIT_MIGRATIONS: readonly string[] = [
  `CREATE TABLE accounts (
     id text PRIMARY KEY,
     email text NOT NULL UNIQUE CHECK (email = lower(email)),
     -- Counterpart only: a real wallet never keeps the owner's key in a plain column.
     private_key_hex text NOT NULL,
     abstract_account_address text NOT NULL UNIQUE,
     created_at timestamptz NOT NULL
   );
   CREATE TABLE partner_links (
     account_id text NOT NULL REFERENCES accounts (id),
     partner_id text NOT NULL,
     partner_user_id text,
     created_at timestamptz NOT NULL,
     updated_at timestamptz NOT NULL,
     PRIMARY KEY (account_id, partner_id)
   );
   CREATE TABLE otp_challenges (
     id text PRIMARY KEY,
     email text NOT NULL CHECK (email = lower(email)),
     partner_id text NOT NULL,
     partner_user_id text,
     code_hash text NOT NULL,
     attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
     created_at timestamptz NOT NULL,
     expires_at timestamptz NOT NULL,
     used_at timestamptz
   );
   CREATE INDEX otp_challenges_email_created ON otp_challenges (email, created_at);
   CREATE TABLE sessions (
     jti text PRIMARY KEY,
     account_id text NOT NULL REFERENCES accounts (id),
     partner_id text NOT NULL,
     partner_user_id text,
     issued_at timestamptz NOT NULL,
     expires_at timestamptz NOT NULL,
     revoked_at timestamptz
   );`,
  `ALTER TABLE accounts ADD COLUMN mfa_setup_at timestamptz;
   ALTER TABLE sessions ADD COLUMN token_hash text;
   CREATE UNIQUE INDEX sessions_token_hash ON sessions (token_hash);
   CREATE TABLE passkeys (
     credential_id text PRIMARY KEY,
     account_id text NOT NULL REFERENCES accounts (id),
     public_key_jwk jsonb NOT NULL,
     alg integer NOT NULL,
     sign_count bigint NOT NULL,
     created_at timestamptz NOT NULL
   );
   CREATE TABLE mfa_challenges (
     id text PRIMARY KEY,
     account_id text NOT NULL REFERENCES accounts (id),
     challenge text NOT NULL,
     origin text NOT NULL,
     rp_id text NOT NULL,
     created_at timestamptz NOT NULL,
     expires_at timestamptz NOT NULL,
     used_at timestamptz
   );`,
];
