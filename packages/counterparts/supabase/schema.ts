/**
 * Schema of the Supabase Auth counterpart. Append-only (see packages/counterparts/lib/db.ts).
 *
 * - users: one row per lower-cased email. `password_hash` is NULL for users created by an
 *   emailed code (they can only sign in with codes). `confirmation_sent_at` /
 *   `recovery_sent_at` are GoTrue's user fields of the same names and double as the per-user
 *   "one email per purpose per interval" rate-limit clock.
 * - identities: GoTrue's `email` identity of each user (shown in `user.identities`).
 * - email_codes: emailed one-time codes; only an HMAC of the code is stored. `used_at` is set
 *   when a code is consumed or superseded by a newer one. A signup code also carries what the
 *   request that asked for it wants the account to become (`install_password` +
 *   `password_hash`, `user_metadata`), applied only if that code confirms the email.
 * - sessions: GoTrue sessions (`session_id` claim), with the authentication method and time
 *   that feed the `amr` claim. Deleting a session deletes its refresh tokens.
 * - refresh_tokens: the rotation chain of each session. Only a SHA-256 of the token is stored
 *   (the token itself is an HMAC of `id` under a secret kept outside the database).
 * - password_attempts: recent password sign-in attempts per email, for the failure limit.
 */
export const SUPABASE_AUTH_MIGRATIONS: readonly string[] = [
  `CREATE TABLE users (
     id uuid PRIMARY KEY,
     email text NOT NULL UNIQUE CHECK (email = lower(email)),
     password_hash text,
     user_metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
     email_confirmed_at timestamptz,
     confirmation_sent_at timestamptz,
     recovery_sent_at timestamptz,
     last_sign_in_at timestamptz,
     created_at timestamptz NOT NULL,
     updated_at timestamptz NOT NULL
   );
   CREATE TABLE identities (
     id uuid PRIMARY KEY,
     user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
     provider text NOT NULL,
     provider_id text NOT NULL,
     email text,
     identity_data jsonb NOT NULL,
     last_sign_in_at timestamptz,
     created_at timestamptz NOT NULL,
     updated_at timestamptz NOT NULL,
     UNIQUE (provider, provider_id)
   );
   CREATE TABLE email_codes (
     id uuid PRIMARY KEY,
     user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
     purpose text NOT NULL CHECK (purpose IN ('signup', 'magiclink')),
     code_hash text NOT NULL,
     install_password boolean NOT NULL DEFAULT false,
     password_hash text,
     user_metadata jsonb,
     attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
     created_at timestamptz NOT NULL,
     expires_at timestamptz NOT NULL,
     used_at timestamptz
   );
   CREATE INDEX email_codes_live ON email_codes (user_id) WHERE used_at IS NULL;
   CREATE TABLE sessions (
     id uuid PRIMARY KEY,
     user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
     amr_method text NOT NULL,
     authenticated_at timestamptz NOT NULL,
     created_at timestamptz NOT NULL,
     refreshed_at timestamptz
   );
   CREATE INDEX sessions_user ON sessions (user_id);
   CREATE TABLE refresh_tokens (
     id uuid PRIMARY KEY,
     session_id uuid NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
     token_hash text NOT NULL UNIQUE,
     parent_id uuid,
     created_at timestamptz NOT NULL,
     revoked_at timestamptz
   );
   CREATE INDEX refresh_tokens_session ON refresh_tokens (session_id);
   CREATE TABLE password_attempts (
     id bigserial PRIMARY KEY,
     email text NOT NULL,
     attempted_at timestamptz NOT NULL
   );
   CREATE INDEX password_attempts_email ON password_attempts (email, attempted_at);
   CREATE INDEX password_attempts_time ON password_attempts (attempted_at);`,
];
