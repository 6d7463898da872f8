/**
 * Schema of the Alchemy counterpart. Append-only (see packages/counterparts/lib/db.ts).
 *
 * - users: one signer user (and organization) per OIDC identity (issuer, subject, audience):
 *   a different `aud` is a different user. Holds the wallet seed (counterpart only, never
 *   returned) and the derived EVM and Solana addresses.
 * - api_keys: P-256 keys handed out in credential bundles; only the public key is stored
 *   (the private key exists only inside the bundle). Globally unique, expiring.
 */
export const ALCHEMY_MIGRATIONS: readonly string[] = [
  `CREATE TABLE users (
     id text PRIMARY KEY,
     org_id text NOT NULL UNIQUE,
     issuer text NOT NULL,
     subject text NOT NULL,
     audience text NOT NULL,
     auth_provider text NOT NULL,
     email text,
     -- Counterpart only: a real wallet seed never sits in a plain column. Never returned.
     seed_hex text NOT NULL,
     address text NOT NULL,
     solana_address text NOT NULL,
     created_at timestamptz NOT NULL,
     updated_at timestamptz NOT NULL,
     UNIQUE (issuer, subject, audience)
   );
   CREATE TABLE api_keys (
     public_key text PRIMARY KEY CHECK (public_key = lower(public_key)),
     user_id text NOT NULL REFERENCES users (id),
     expires_at timestamptz NOT NULL,
     created_at timestamptz NOT NULL
   );
   CREATE INDEX api_keys_user ON api_keys (user_id);`,
];
