/**
 * Schema of the Turnkey counterpart. Append-only (see packages/counterparts/lib/db.ts).
 *
 * - organizations: the configured parent organization (parent_id NULL) and its sub-orgs.
 * - users / api_keys: every credential that can stamp is an API key of a user; the parent's
 *   own key belongs to a synthetic "parent API user". `public_key` is globally unique, so a
 *   stamp names exactly one user, and a user can never claim another user's key.
 * - oauth_providers: (issuer, audience, subject) triples linked to users; unique, so one OIDC
 *   identity can log in to one user only.
 * - wallets / wallet_accounts: HD wallets; accounts hold public keys and addresses only.
 * - otps: pending one-time codes; only an HMAC of the code is stored (lib/otp.ts).
 * - verification_tokens: issued by verify_otp, consumed (once) by otp_login.
 * - authenticators (migration 2): a passkey's verified registration: the COSE public key as a
 *   JWK, its algorithm, RP id and signature counter, so X-Stamp-Webauthn stamps can be checked.
 *   `credential_id` (base64url) is unique: an assertion names exactly one credential.
 * - activities: completed activities (the full v1Activity answered), by request fingerprint
 *   (sha256 of the exact body), so a resubmitted identical request returns the recorded
 *   activity instead of running again.
 */
export const TURNKEY_MIGRATIONS: readonly string[] = [
  `CREATE TABLE organizations (
     id text PRIMARY KEY,
     name text NOT NULL,
     parent_id text REFERENCES organizations (id),
     created_at timestamptz NOT NULL
   );
   CREATE TABLE users (
     id text PRIMARY KEY,
     organization_id text NOT NULL REFERENCES organizations (id),
     user_name text NOT NULL,
     email text CHECK (email = lower(email)),
     phone_number text,
     email_verified_at timestamptz,
     created_at timestamptz NOT NULL,
     updated_at timestamptz NOT NULL
   );
   CREATE INDEX users_email ON users (email);
   CREATE INDEX users_organization ON users (organization_id);
   CREATE TABLE api_keys (
     id text PRIMARY KEY,
     user_id text NOT NULL REFERENCES users (id),
     name text NOT NULL,
     public_key text NOT NULL UNIQUE CHECK (public_key = lower(public_key)),
     credential_type text NOT NULL,
     expires_at timestamptz,
     created_at timestamptz NOT NULL,
     updated_at timestamptz NOT NULL
   );
   CREATE INDEX api_keys_user ON api_keys (user_id);
   CREATE TABLE authenticators (
     id text PRIMARY KEY,
     user_id text NOT NULL REFERENCES users (id),
     name text NOT NULL,
     credential_id text NOT NULL,
     transports jsonb NOT NULL,
     created_at timestamptz NOT NULL
   );
   CREATE TABLE oauth_providers (
     id text PRIMARY KEY,
     user_id text NOT NULL REFERENCES users (id),
     organization_id text NOT NULL REFERENCES organizations (id),
     provider_name text NOT NULL,
     issuer text NOT NULL,
     audience text NOT NULL,
     subject text NOT NULL,
     created_at timestamptz NOT NULL,
     UNIQUE (issuer, audience, subject)
   );
   CREATE INDEX oauth_providers_org_issuer ON oauth_providers (organization_id, issuer);
   CREATE TABLE wallets (
     id text PRIMARY KEY,
     organization_id text NOT NULL REFERENCES organizations (id),
     name text NOT NULL,
     -- Counterpart only: a real wallet seed never sits in a plain column. Never returned.
     seed_hex text NOT NULL,
     created_at timestamptz NOT NULL
   );
   CREATE TABLE wallet_accounts (
     seq bigserial UNIQUE,
     id text PRIMARY KEY,
     wallet_id text NOT NULL REFERENCES wallets (id),
     organization_id text NOT NULL REFERENCES organizations (id),
     curve text NOT NULL,
     path_format text NOT NULL,
     path text NOT NULL,
     address_format text NOT NULL,
     address text NOT NULL,
     public_key text NOT NULL,
     name text,
     created_at timestamptz NOT NULL,
     UNIQUE (wallet_id, curve, path, address_format)
   );
   CREATE INDEX wallet_accounts_org ON wallet_accounts (organization_id, seq);
   CREATE INDEX wallet_accounts_address ON wallet_accounts (address);
   CREATE TABLE otps (
     id text PRIMARY KEY,
     organization_id text NOT NULL REFERENCES organizations (id),
     contact text NOT NULL CHECK (contact = lower(contact)),
     otp_type text NOT NULL,
     alphanumeric boolean NOT NULL,
     code_hash text NOT NULL,
     -- Per-OTP HPKE key the client encrypts its code to; erased once the OTP is spent.
     target_private_key_hex text,
     attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
     created_at timestamptz NOT NULL,
     expires_at timestamptz NOT NULL,
     used_at timestamptz
   );
   CREATE INDEX otps_contact_created ON otps (contact, created_at);
   CREATE TABLE verification_tokens (
     id text PRIMARY KEY,
     otp_id text NOT NULL REFERENCES otps (id),
     organization_id text NOT NULL REFERENCES organizations (id),
     contact text NOT NULL,
     public_key text NOT NULL,
     expires_at timestamptz NOT NULL,
     used_at timestamptz
   );
   CREATE TABLE activities (
     id text PRIMARY KEY,
     organization_id text NOT NULL REFERENCES organizations (id),
     type text NOT NULL,
     fingerprint text NOT NULL,
     -- The v1Activity as answered (intent secrets redacted, see activities.ts).
     record jsonb NOT NULL,
     created_at timestamptz NOT NULL,
     UNIQUE (organization_id, fingerprint)
   );`,
  `ALTER TABLE authenticators ADD COLUMN public_key_jwk jsonb;
   ALTER TABLE authenticators ADD COLUMN alg integer;
   ALTER TABLE authenticators ADD COLUMN rp_id text;
   ALTER TABLE authenticators ADD COLUMN aaguid text;
   ALTER TABLE authenticators ADD COLUMN sign_count bigint NOT NULL DEFAULT 0;
   CREATE UNIQUE INDEX authenticators_credential ON authenticators (credential_id);`,
];
