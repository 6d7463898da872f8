/**
 * Schema of the Moojo counterpart. Append-only (see packages/counterparts/lib/db.ts).
 *
 * - users: one Moojo user per Firebase user, keyed by (Firebase project id, uid); the key is
 *   the project *and* the uid because uids are only unique within a project. Each user has a
 *   secp256k1 key pair created with the user and never replaced.
 * - access_tokens: the opaque bearer tokens Moojo hands out, stored only as their SHA-256, so a
 *   copy of the database does not let anyone act as the users.
 * - (2) settings: this counterpart's own constants, created once (the attester address).
 * - (2) credential_definitions: "Define & add new credentials": one schema per slug, at most 12
 *   field definitions (checked by the service; the column keeps them in the defined order).
 * - (2) credentials: credentials added to users, with their field values in definition order.
 *   The counterpart serves one API key, i.e. one app, so every credential here is "issued by
 *   this app" and list-credentials answers all of a user's.
 */
export const MOOJO_MIGRATIONS: readonly string[] = [
  `CREATE TABLE users (
     id uuid PRIMARY KEY,
     firebase_project_id text NOT NULL,
     firebase_uid text NOT NULL CHECK (length(firebase_uid) BETWEEN 1 AND 128),
     email text,
     -- Counterpart only: a real custodian keeps private keys in an HSM/KMS, never in a column.
     private_key_hex text NOT NULL CHECK (private_key_hex ~ '^[0-9a-f]{64}$'),
     public_key text NOT NULL UNIQUE CHECK (public_key ~ '^0x0[23][0-9a-f]{64}$'),
     created_at timestamptz NOT NULL,
     last_authenticated_at timestamptz NOT NULL,
     UNIQUE (firebase_project_id, firebase_uid)
   );
   CREATE TABLE access_tokens (
     token_sha256 text PRIMARY KEY CHECK (token_sha256 ~ '^[0-9a-f]{64}$'),
     user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
     issued_at timestamptz NOT NULL,
     expires_at timestamptz NOT NULL CHECK (expires_at > issued_at)
   );
   CREATE INDEX access_tokens_user_expires ON access_tokens (user_id, expires_at);`,
  `CREATE TABLE settings (
     key text PRIMARY KEY,
     value text NOT NULL
   );
   CREATE TABLE credential_definitions (
     id text PRIMARY KEY CHECK (id ~ '^0x[0-9a-f]{64}$'),
     slug text NOT NULL UNIQUE,
     name text,
     description text,
     code_url text,
     field_definitions jsonb NOT NULL CHECK (jsonb_typeof(field_definitions) = 'array' AND jsonb_array_length(field_definitions) <= 12),
     created_at timestamptz NOT NULL
   );
   CREATE TABLE credentials (
     id text PRIMARY KEY CHECK (id ~ '^0x[0-9a-f]{64}$'),
     definition_id text NOT NULL REFERENCES credential_definitions (id),
     user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
     field_values jsonb NOT NULL,
     created_at timestamptz NOT NULL
   );
   CREATE INDEX credentials_user_created ON credentials (user_id, created_at);`,
];
