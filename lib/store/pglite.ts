// AppStore on PGlite: real PostgreSQL compiled to WASM, embedded, persisted in a folder.
// One process owns the folder at a time (PGlite is single-connection).
import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { PGlite, type Transaction } from "@electric-sql/pglite";
import type {
  AppStore,
  LinkedIdentity,
  LinkResult,
  OneTimeCodeRecord,
  PasswordCredential,
  User,
  VerifiedIdentity,
  WalletConnection,
  WalletProviderId,
} from "./types";
import { normalizeIssuer } from "./types";

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
];

type Row = Record<string, unknown>;
type Db = PGlite | Transaction;

const toDate = (v: unknown) => (v instanceof Date ? v : new Date(String(v)));
const toDateOrNull = (v: unknown) => (v === null || v === undefined ? null : toDate(v));

function toUser(r: Row): User {
  return {
    id: String(r.id),
    email: (r.email as string | null) ?? null,
    emailVerified: Boolean(r.email_verified),
    name: (r.name as string | null) ?? null,
    createdAt: toDate(r.created_at),
  };
}

function toIdentity(r: Row): LinkedIdentity {
  return {
    provider: r.provider as LinkedIdentity["provider"],
    issuer: String(r.issuer),
    subject: String(r.subject),
    userId: String(r.user_id),
    email: (r.email as string | null) ?? null,
    emailVerified: Boolean(r.email_verified),
    name: (r.name as string | null) ?? null,
    profile: (r.profile as Record<string, unknown>) ?? {},
    createdAt: toDate(r.created_at),
    lastSignInAt: toDate(r.last_sign_in_at),
  };
}

function toCredential(r: Row): PasswordCredential {
  return {
    id: String(r.id),
    email: String(r.email),
    passwordHash: String(r.password_hash),
    name: (r.name as string | null) ?? null,
    emailVerifiedAt: toDateOrNull(r.email_verified_at),
    createdAt: toDate(r.created_at),
  };
}

function toCode(r: Row): OneTimeCodeRecord {
  return {
    id: String(r.id),
    purpose: String(r.purpose),
    subject: String(r.subject),
    codeHash: String(r.code_hash),
    expiresAt: toDate(r.expires_at),
    attempts: Number(r.attempts),
    maxAttempts: Number(r.max_attempts),
    usedAt: toDateOrNull(r.used_at),
    createdAt: toDate(r.created_at),
  };
}

function toWallet(r: Row): WalletConnection {
  return {
    userId: String(r.user_id),
    provider: r.provider as WalletProviderId,
    status: r.status as WalletConnection["status"],
    address: (r.address as string | null) ?? null,
    expiresAt: toDateOrNull(r.expires_at),
    data: (r.data as Record<string, unknown>) ?? {},
    updatedAt: toDate(r.updated_at),
  };
}

async function migrate(db: PGlite): Promise<void> {
  await db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
  const { rows } = await db.query<{ version: number }>(`SELECT version FROM schema_migrations`);
  const applied = new Set(rows.map((r) => r.version));
  for (const [index, sql] of MIGRATIONS.entries()) {
    const version = index + 1;
    if (applied.has(version)) continue;
    await db.transaction(async (tx) => {
      await tx.exec(sql);
      await tx.query(`INSERT INTO schema_migrations (version) VALUES ($1)`, [version]);
    });
  }
}

export interface StoreOptions {
  /**
   * The issuer each configured identity provider has now. Identities recorded before issuers
   * were (issuer '') get the one configured when this version FIRST starts, the best record
   * there is of who issued them, before any sign-in could claim them. Rows of providers not
   * configured then get UNKNOWN_ISSUER, which no sign-in matches: a provider set up later
   * (maybe another tenant) must not inherit them. Their users can still link by verified email.
   */
  issuers?: Partial<Record<VerifiedIdentity["provider"], string>>;
}

export const UNKNOWN_ISSUER = "unknown:pre-issuer";

export async function openPgliteStore(dataDir: string, options: StoreOptions = {}): Promise<AppStore> {
  if (dataDir !== "memory://") mkdirSync(dataDir, { recursive: true });
  const db = new PGlite(dataDir);
  await migrate(db);
  await db.transaction(async (tx) => {
    const done = await tx.query(`SELECT 1 FROM store_meta WHERE key = 'identity_issuers_backfilled'`);
    if (done.rows.length > 0) return;
    for (const [provider, issuer] of Object.entries(options.issuers ?? {})) {
      if (issuer) await tx.query(`UPDATE identities SET issuer = $2 WHERE provider = $1 AND issuer = ''`, [provider, normalizeIssuer(issuer)]);
    }
    await tx.query(`UPDATE identities SET issuer = $1 WHERE issuer = ''`, [UNKNOWN_ISSUER]);
    await tx.query(`INSERT INTO store_meta (key, value) VALUES ('identity_issuers_backfilled', 'true')`);
  });

  async function one<T>(q: Db, sql: string, params: unknown[], map: (r: Row) => T): Promise<T | null> {
    const { rows } = await q.query<Row>(sql, params);
    return rows[0] ? map(rows[0]) : null;
  }

  return {
    /**
     * Linking rule (the account-takeover guard): an identity (provider, issuer, subject) seen
     * before maps to its user.
     * A new identity joins an existing user only if the identity's email is verified by its
     * provider AND that user's email is verified too; otherwise it gets a new user. An
     * unverified email never links, because anyone can type someone else's address.
     * An identity with `linkByEmail: false` (Firebase Auth Emulator) counts as unverified for
     * linking, both ways: it never joins an existing user by email, and the user it creates
     * (users.email_verified false) is never joined by another identity's email. Otherwise
     * anyone who can reach the emulator could mark a victim's address verified there and sign
     * in as the victim, or plant an account the victim would later be linked into.
     */
    linkIdentity(identity: VerifiedIdentity): Promise<LinkResult> {
      const emailVouched = identity.emailVerified && identity.email !== null && identity.linkByEmail !== false;
      return db.transaction(async (tx) => {
        const params = [identity.provider, normalizeIssuer(identity.issuer), identity.subject, identity.email, identity.emailVerified, identity.name, JSON.stringify(identity.profile)];
        const existing = await one(
          tx,
          `UPDATE identities SET email = $4, email_verified = $5, name = $6, profile = $7, last_sign_in_at = now()
           WHERE provider = $1 AND issuer = $2 AND subject = $3 RETURNING *`,
          params,
          toIdentity,
        );
        if (existing) {
          if (emailVouched) {
            await tx.query(`UPDATE users SET email_verified = true WHERE id = $1 AND lower(email) = lower($2)`, [existing.userId, identity.email]);
          }
          const user = (await one(tx, `SELECT * FROM users WHERE id = $1`, [existing.userId], toUser))!;
          return { user, identity: existing, outcome: "returning" as const };
        }

        let user: User | null = null;
        let outcome: LinkResult["outcome"] = "created";
        if (emailVouched) {
          user = await one(
            tx,
            `SELECT * FROM users WHERE email_verified AND lower(email) = lower($1) ORDER BY created_at LIMIT 1`,
            [identity.email],
            toUser,
          );
          if (user) outcome = "linked_by_verified_email";
        }
        user ??= (await one(
          tx,
          `INSERT INTO users (id, email, email_verified, name) VALUES ($1, $2, $3, $4) RETURNING *`,
          [`usr_${randomUUID().replace(/-/g, "")}`, identity.email, emailVouched, identity.name],
          toUser,
        ))!;
        const linked = (await one(
          tx,
          `INSERT INTO identities (provider, issuer, subject, user_id, email, email_verified, name, profile)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
          [identity.provider, normalizeIssuer(identity.issuer), identity.subject, user.id, identity.email, identity.emailVerified, identity.name, JSON.stringify(identity.profile)],
          toIdentity,
        ))!;
        return { user, identity: linked, outcome };
      });
    },

    async attachIdentity(userId, identity) {
      const key = [identity.provider, normalizeIssuer(identity.issuer), identity.subject];
      // One statement: the primary key (provider, issuer, subject) decides who owns the identity,
      // so concurrent links cannot both win; the loser reads back the winner's row.
      const inserted = await one(
        db,
        `INSERT INTO identities (provider, issuer, subject, user_id, email, email_verified, name, profile)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING RETURNING *`,
        [...key, userId, identity.email, identity.emailVerified, identity.name, JSON.stringify(identity.profile)],
        toIdentity,
      );
      if (inserted) return { outcome: "linked" as const, identity: inserted };
      const existing = (await one(db, `SELECT * FROM identities WHERE provider = $1 AND issuer = $2 AND subject = $3`, key, toIdentity))!;
      return { outcome: existing.userId === userId ? ("already_linked" as const) : ("linked_elsewhere" as const), identity: existing };
    },

    getUser: (userId) => one(db, `SELECT * FROM users WHERE id = $1`, [userId], toUser),

    async listIdentities(userId) {
      const { rows } = await db.query<Row>(`SELECT * FROM identities WHERE user_id = $1 ORDER BY created_at`, [userId]);
      return rows.map(toIdentity);
    },

    createPasswordCredential: ({ email, passwordHash, name }) =>
      one(
        db,
        `INSERT INTO password_credentials (id, email, password_hash, name) VALUES ($1, $2, $3, $4)
         ON CONFLICT ((lower(email))) DO NOTHING RETURNING *`,
        [`pwd_${randomUUID().replace(/-/g, "")}`, email, passwordHash, name],
        toCredential,
      ),

    findPasswordCredential: (email) =>
      one(db, `SELECT * FROM password_credentials WHERE lower(email) = lower($1)`, [email], toCredential),

    replaceUnverifiedPasswordCredential: ({ email, passwordHash, name }) =>
      one(
        db,
        `UPDATE password_credentials SET id = $2, password_hash = $3, name = $4, created_at = now()
         WHERE lower(email) = lower($1) AND email_verified_at IS NULL RETURNING *`,
        [email, `pwd_${randomUUID().replace(/-/g, "")}`, passwordHash, name],
        toCredential,
      ),

    async markPasswordEmailVerified(credentialId) {
      await db.query(`UPDATE password_credentials SET email_verified_at = now() WHERE id = $1 AND email_verified_at IS NULL`, [credentialId]);
    },

    createOneTimeCode: (input, limit) =>
      db.transaction(async (tx) => {
        // Guesses already spent on this subject's codes in the window carry over to the new
        // code: the guessing budget belongs to (purpose, subject) and window, not to a code.
        const { rows } = await tx.query<{ n: number; spent: number }>(
          `SELECT count(*)::int AS n, coalesce(sum(attempts), 0)::int AS spent
           FROM one_time_codes WHERE purpose = $1 AND subject = $2 AND created_at >= $3`,
          [input.purpose, input.subject, limit.since],
        );
        const { n = 0, spent = 0 } = rows[0] ?? {};
        if (n >= limit.max || spent >= input.maxAttempts) return null;
        return one(
          tx,
          `INSERT INTO one_time_codes (id, purpose, subject, code_hash, expires_at, max_attempts)
           VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
          [`otc_${randomUUID().replace(/-/g, "")}`, input.purpose, input.subject, input.codeHash, input.expiresAt, input.maxAttempts - spent],
          toCode,
        );
      }),

    latestOneTimeCode: (purpose, subject) =>
      one(
        db,
        `SELECT * FROM one_time_codes WHERE purpose = $1 AND subject = $2 AND used_at IS NULL ORDER BY created_at DESC LIMIT 1`,
        [purpose, subject],
        toCode,
      ),

    async takeOneTimeCodeAttempt(id) {
      const { rows } = await db.query<{ attempts: number }>(
        `UPDATE one_time_codes SET attempts = attempts + 1
         WHERE id = $1 AND used_at IS NULL AND attempts < max_attempts RETURNING attempts`,
        [id],
      );
      return rows[0]?.attempts ?? null;
    },

    async consumeOneTimeCode(id) {
      const { rows } = await db.query(`UPDATE one_time_codes SET used_at = now() WHERE id = $1 AND used_at IS NULL RETURNING id`, [id]);
      return rows.length === 1;
    },

    async upsertWalletConnection(c) {
      await db.query(
        `INSERT INTO wallet_connections (user_id, provider, status, address, expires_at, data, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, now())
         ON CONFLICT (user_id, provider) DO UPDATE SET status = $3, address = $4, expires_at = $5, data = $6, updated_at = now()`,
        [c.userId, c.provider, c.status, c.address, c.expiresAt, JSON.stringify(c.data)],
      );
    },

    async startWalletConnection(userId, provider, data, keep) {
      // In ON CONFLICT's SET, `wallet_connections.*` is the row before the update.
      await db.query(
        `INSERT INTO wallet_connections (user_id, provider, status, address, expires_at, data, updated_at)
         VALUES ($1, $2, 'pending', NULL, NULL, $3, now())
         ON CONFLICT (user_id, provider) DO UPDATE SET
           status = CASE WHEN wallet_connections.status = ANY($4::text[]) THEN wallet_connections.status ELSE 'pending' END,
           address = CASE WHEN wallet_connections.status = ANY($4::text[]) THEN wallet_connections.address END,
           expires_at = CASE WHEN wallet_connections.status = ANY($4::text[]) THEN wallet_connections.expires_at END,
           data = wallet_connections.data || EXCLUDED.data,
           updated_at = now()`,
        [userId, provider, JSON.stringify(data), [...keep]],
      );
    },

    async setWalletSecret(userId, provider, secret) {
      await db.query(`UPDATE wallet_connections SET secret = $3 WHERE user_id = $1 AND provider = $2`, [userId, provider, secret]);
    },

    async getWalletSecret(userId, provider) {
      const { rows } = await db.query<{ secret: string | null }>(`SELECT secret FROM wallet_connections WHERE user_id = $1 AND provider = $2`, [userId, provider]);
      return rows[0]?.secret ?? null;
    },

    claimFirebaseUid: (userId, issuer, candidate) =>
      db.transaction(async (tx) => {
        // No conflict target: a clash on either key (this user already has a uid, or the uid
        // belongs to someone else) leaves the table as it is.
        await tx.query(`INSERT INTO firebase_uids (user_id, issuer, uid) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [userId, normalizeIssuer(issuer), candidate]);
        const { rows } = await tx.query<{ uid: string }>(`SELECT uid FROM firebase_uids WHERE user_id = $1 AND issuer = $2`, [userId, normalizeIssuer(issuer)]);
        return rows[0]?.uid ?? null;
      }),

    getWalletConnection: (userId, provider) =>
      one(db, `SELECT * FROM wallet_connections WHERE user_id = $1 AND provider = $2`, [userId, provider], toWallet),

    async listWalletConnections(userId) {
      const { rows } = await db.query<Row>(`SELECT * FROM wallet_connections WHERE user_id = $1 ORDER BY updated_at DESC`, [userId]);
      return rows.map(toWallet);
    },

    async claimWalletAccount(provider, accountId, userId) {
      // Insert-or-keep and read back in one statement each; the primary key decides a race.
      await db.query(`INSERT INTO wallet_accounts (provider, account_id, user_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [provider, accountId, userId]);
      const { rows } = await db.query<{ user_id: string }>(`SELECT user_id FROM wallet_accounts WHERE provider = $1 AND account_id = $2`, [provider, accountId]);
      return rows[0]!.user_id;
    },

    async deleteWalletConnections(userId, provider) {
      if (provider) await db.query(`DELETE FROM wallet_connections WHERE user_id = $1 AND provider = $2`, [userId, provider]);
      else await db.query(`DELETE FROM wallet_connections WHERE user_id = $1`, [userId]);
    },

    close: () => db.close(),
  };
}
