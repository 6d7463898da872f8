// The app's store in SQL, written once for both engines: PGlite (embedded, one process) and
// PostgreSQL (pooled, any number of instances). Every race between instances is decided by the
// database: primary keys and unique indexes with ON CONFLICT, row locks, advisory locks.
import { randomBytes, randomUUID } from "node:crypto";
import { MIGRATION_LOCK_KEY, runMigrations } from "./migrations";
import type { Row, SqlDb } from "./sql";
import type {
  AppSession,
  AppStore,
  CounterState,
  LinkedIdentity,
  LinkResult,
  OneTimeCodeRecord,
  PasswordCredential,
  SignChallenge,
  User,
  VerifiedIdentity,
  WalletConnection,
  WalletProviderId,
} from "./types";
import { normalizeIssuer } from "./types";

type Db = SqlDb;

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

function toSession(r: Row): AppSession {
  return {
    id: String(r.id),
    userId: String(r.user_id),
    userAgent: (r.user_agent as string | null) ?? null,
    createdAt: toDate(r.created_at),
    lastSeenAt: toDate(r.last_seen_at),
    expiresAt: toDate(r.expires_at),
    revokedAt: toDateOrNull(r.revoked_at),
  };
}

function toSignChallenge(r: Row): SignChallenge {
  return {
    nonce: String(r.nonce),
    userId: String(r.user_id),
    provider: r.provider as WalletProviderId,
    address: String(r.address),
    message: String(r.message),
    expiresAt: toDate(r.expires_at),
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

/** Applies the migrations (safe when several instances start at once), then returns the store over `db`. */
export async function openSqlStore(db: SqlDb, options: StoreOptions = {}): Promise<AppStore> {
  await runMigrations(db);
  await db.transaction(async (tx) => {
    // Under the migration lock, so two instances starting at once backfill once.
    await tx.query(`SELECT pg_advisory_xact_lock($1)`, [MIGRATION_LOCK_KEY]);
    const done = await tx.query(`SELECT 1 FROM store_meta WHERE key = 'identity_issuers_backfilled'`);
    if (done.rows.length > 0) return;
    for (const [provider, issuer] of Object.entries(options.issuers ?? {})) {
      if (issuer)
        await tx.query(`UPDATE identities SET issuer = $2 WHERE provider = $1 AND issuer = ''`, [provider, normalizeIssuer(issuer)]);
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
        // First sign-ins of one identity racing on several instances: the lock on the identity
        // makes them take turns, so the second finds the first's row (READ COMMITTED reads
        // what was committed before each statement) instead of creating a second user. A
        // vouched email is locked too, so two new identities with one verified address
        // cannot each create a user for it. Lock order (identity, then email) rules out deadlock.
        await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
          `identity:${identity.provider}:${normalizeIssuer(identity.issuer)}:${identity.subject}`,
        ]);
        if (emailVouched)
          await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`email:${identity.email!.toLowerCase()}`]);
        const params = [
          identity.provider,
          normalizeIssuer(identity.issuer),
          identity.subject,
          identity.email,
          identity.emailVerified,
          identity.name,
          JSON.stringify(identity.profile),
        ];
        const existing = await one(
          tx,
          `UPDATE identities SET email = $4, email_verified = $5, name = $6, profile = $7, last_sign_in_at = now()
           WHERE provider = $1 AND issuer = $2 AND subject = $3 RETURNING *`,
          params,
          toIdentity,
        );
        if (existing) {
          if (emailVouched) {
            await tx.query(`UPDATE users SET email_verified = true WHERE id = $1 AND lower(email) = lower($2)`, [
              existing.userId,
              identity.email,
            ]);
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
          [
            identity.provider,
            normalizeIssuer(identity.issuer),
            identity.subject,
            user.id,
            identity.email,
            identity.emailVerified,
            identity.name,
            JSON.stringify(identity.profile),
          ],
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

    findPasswordCredential: (email) => one(db, `SELECT * FROM password_credentials WHERE lower(email) = lower($1)`, [email], toCredential),

    replaceUnverifiedPasswordCredential: ({ email, passwordHash, name }) =>
      one(
        db,
        `UPDATE password_credentials SET id = $2, password_hash = $3, name = $4, created_at = now()
         WHERE lower(email) = lower($1) AND email_verified_at IS NULL RETURNING *`,
        [email, `pwd_${randomUUID().replace(/-/g, "")}`, passwordHash, name],
        toCredential,
      ),

    async markPasswordEmailVerified(credentialId) {
      await db.query(`UPDATE password_credentials SET email_verified_at = now() WHERE id = $1 AND email_verified_at IS NULL`, [
        credentialId,
      ]);
    },

    createOneTimeCode: (input, limit) =>
      db.transaction(async (tx) => {
        // Guesses already spent on this subject's codes in the window carry over to the new
        // code: the guessing budget belongs to (purpose, subject) and window, not to a code.
        // Count-then-insert must not interleave with another instance's for this subject.
        await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`otc:${input.purpose}:${input.subject}`]);
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
          [
            `otc_${randomUUID().replace(/-/g, "")}`,
            input.purpose,
            input.subject,
            input.codeHash,
            input.expiresAt,
            input.maxAttempts - spent,
          ],
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
      // One statement: the connection and, for a live one with an address, the user's previous
      // wallet of that provider, so neither can be written without the other.
      await db.query(
        `WITH saved AS (
           INSERT INTO wallet_connections (user_id, provider, status, address, expires_at, data, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, now())
           ON CONFLICT (user_id, provider) DO UPDATE SET status = $3, address = $4, expires_at = $5, data = $6, updated_at = now()
           RETURNING user_id, provider, status, address
         )
         INSERT INTO wallet_history AS h (user_id, provider, address)
         SELECT user_id, provider, address FROM saved WHERE status = 'connected' AND address IS NOT NULL
         ON CONFLICT (user_id, provider) DO UPDATE SET
           address = EXCLUDED.address,
           first_connected_at = CASE WHEN h.address = EXCLUDED.address THEN h.first_connected_at ELSE now() END,
           last_connected_at = now()`,
        [c.userId, c.provider, c.status, c.address, c.expiresAt, JSON.stringify(c.data)],
      );
    },

    async setWalletSecret(userId, provider, secret) {
      await db.query(`UPDATE wallet_connections SET secret = $3 WHERE user_id = $1 AND provider = $2`, [userId, provider, secret]);
    },

    async getWalletSecret(userId, provider) {
      const { rows } = await db.query<{ secret: string | null }>(
        `SELECT secret FROM wallet_connections WHERE user_id = $1 AND provider = $2`,
        [userId, provider],
      );
      return rows[0]?.secret ?? null;
    },

    claimFirebaseUid: (userId, issuer, candidate) =>
      db.transaction(async (tx) => {
        // No conflict target: a clash on either key (this user already has a uid, or the uid
        // belongs to someone else) leaves the table as it is.
        await tx.query(`INSERT INTO firebase_uids (user_id, issuer, uid) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [
          userId,
          normalizeIssuer(issuer),
          candidate,
        ]);
        const { rows } = await tx.query<{ uid: string }>(`SELECT uid FROM firebase_uids WHERE user_id = $1 AND issuer = $2`, [
          userId,
          normalizeIssuer(issuer),
        ]);
        return rows[0]?.uid ?? null;
      }),

    getWalletConnection: (userId, provider) =>
      one(db, `SELECT * FROM wallet_connections WHERE user_id = $1 AND provider = $2`, [userId, provider], toWallet),

    async listWalletConnections(userId) {
      const { rows } = await db.query<Row>(`SELECT * FROM wallet_connections WHERE user_id = $1 ORDER BY updated_at DESC`, [userId]);
      return rows.map(toWallet);
    },

    async listPreviousWallets(userId) {
      const { rows } = await db.query<Row>(`SELECT * FROM wallet_history WHERE user_id = $1 ORDER BY last_connected_at DESC`, [userId]);
      return rows.map((r) => ({
        provider: r.provider as WalletProviderId,
        address: String(r.address),
        firstConnectedAt: toDate(r.first_connected_at),
        lastConnectedAt: toDate(r.last_connected_at),
      }));
    },

    async claimWalletAccount(provider, accountId, userId) {
      // Insert-or-keep and read back in one statement each; the primary key decides a race.
      await db.query(`INSERT INTO wallet_accounts (provider, account_id, user_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [
        provider,
        accountId,
        userId,
      ]);
      const { rows } = await db.query<{ user_id: string }>(`SELECT user_id FROM wallet_accounts WHERE provider = $1 AND account_id = $2`, [
        provider,
        accountId,
      ]);
      return rows[0]!.user_id;
    },

    createSignChallenge: (c, limit) =>
      db.transaction(async (tx) => {
        // Serialises issuing per (user, provider) across instances, so the count below cannot
        // be read by two transactions that then both insert past the cap.
        await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`sign:${c.userId}:${c.provider}`]);
        await tx.query(`DELETE FROM sign_challenges WHERE user_id = $1 AND expires_at < $2`, [c.userId, limit.pruneBefore]);
        const { rows } = await tx.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM sign_challenges WHERE user_id = $1 AND provider = $2 AND used_at IS NULL AND expires_at > $3`,
          [c.userId, c.provider, limit.now],
        );
        if ((rows[0]?.n ?? 0) >= limit.maxOpen) return null;
        return one(
          tx,
          `INSERT INTO sign_challenges (nonce, user_id, provider, address, message, expires_at, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
          [c.nonce, c.userId, c.provider, c.address, c.message, c.expiresAt, limit.now],
          toSignChallenge,
        );
      }),

    async consumeSignChallenge(nonce, userId, provider) {
      // One UPDATE spends the nonce: of two racing attempts (on any instances) exactly one
      // matches `used_at IS NULL`.
      const consumed = await one(
        db,
        `UPDATE sign_challenges SET used_at = now() WHERE nonce = $1 AND user_id = $2 AND provider = $3 AND used_at IS NULL RETURNING *`,
        [nonce, userId, provider],
        toSignChallenge,
      );
      if (consumed) return { outcome: "consumed" as const, challenge: consumed };
      const used = await one(
        db,
        `SELECT * FROM sign_challenges WHERE nonce = $1 AND user_id = $2 AND provider = $3`,
        [nonce, userId, provider],
        toSignChallenge,
      );
      return used ? { outcome: "already_used" as const, challenge: used } : { outcome: "unknown" as const };
    },

    async startWalletConnection(userId, provider, data, keep) {
      // One statement, no read-then-write: two concurrent steps (on any instances) cannot lose
      // each other's data. In ON CONFLICT's SET, `wallet_connections.*` is the row before the update.
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

    async deleteWalletConnections(userId, provider) {
      if (provider) await db.query(`DELETE FROM wallet_connections WHERE user_id = $1 AND provider = $2`, [userId, provider]);
      else await db.query(`DELETE FROM wallet_connections WHERE user_id = $1`, [userId]);
    },

    async reserveWalletConnection(c, now = new Date()) {
      // One statement, so no other write can land between the check and the write: the row is
      // taken only where there is none, or where it is itself a reservation, or a login in
      // progress whose bundle has expired. A reservation is marked by the store itself
      // (data.pregenerated = true, the name kept for rows written before), whatever the provider.
      const { rows } = await db.query(
        `INSERT INTO wallet_connections AS w (user_id, provider, status, address, expires_at, data, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, now())
         ON CONFLICT (user_id, provider) DO UPDATE SET status = $3, address = $4, expires_at = $5, data = $6, updated_at = now()
         WHERE w.data->>'pregenerated' = 'true' OR (w.status = 'pending' AND w.expires_at IS NOT NULL AND w.expires_at <= $7)
         RETURNING 1`,
        [c.userId, c.provider, c.status, c.address, c.expiresAt, JSON.stringify({ ...c.data, pregenerated: true }), now],
      );
      return rows.length === 1;
    },

    async deleteUser(userId) {
      // Cascades to identities, wallet rows, Firebase uids and app sessions: every session ends.
      await db.query(`DELETE FROM users WHERE id = $1`, [userId]);
    },

    async sweepDataCreatedBefore(cutoff) {
      // Four independent statements: a crash between them leaves nothing inconsistent, only
      // less swept, and the next sweep finishes the job. Users cascade as in deleteUser.
      const count = async (sql: string) =>
        (await db.query<{ n: number }>(`WITH gone AS (${sql} RETURNING 1) SELECT count(*)::int AS n FROM gone`, [cutoff])).rows[0]?.n ?? 0;
      return {
        users: await count(`DELETE FROM users WHERE created_at < $1`),
        passwordAccounts: await count(`DELETE FROM password_credentials WHERE created_at < $1`),
        codes: await count(`DELETE FROM one_time_codes WHERE created_at < $1`),
        counters: await count(`DELETE FROM rate_counters WHERE expires_at < $1`),
      };
    },

    async createSession({ userId, userAgent, expiresAt }) {
      const id = randomBytes(24).toString("base64url");
      return (await one(
        db,
        `INSERT INTO app_sessions (id, user_id, user_agent, expires_at) VALUES ($1, $2, $3, $4) RETURNING *`,
        [id, userId, userAgent?.slice(0, 512) ?? null, expiresAt],
        toSession,
      ))!;
    },

    async getActiveSession(sessionId, userId) {
      // One indexed lookup (primary key) that also reads the user: the check every request makes.
      const { rows } = await db.query<Row>(
        `SELECT s.id AS s_id, s.user_id AS s_user_id, s.user_agent AS s_user_agent, s.created_at AS s_created_at,
                s.last_seen_at AS s_last_seen_at, s.expires_at AS s_expires_at, s.revoked_at AS s_revoked_at, u.*
         FROM app_sessions s JOIN users u ON u.id = s.user_id
         WHERE s.id = $1 AND s.user_id = $2 AND s.revoked_at IS NULL AND s.expires_at > now()`,
        [sessionId, userId],
      );
      const r = rows[0];
      if (!r) return null;
      const session = toSession({
        id: r.s_id,
        user_id: r.s_user_id,
        user_agent: r.s_user_agent,
        created_at: r.s_created_at,
        last_seen_at: r.s_last_seen_at,
        expires_at: r.s_expires_at,
        revoked_at: r.s_revoked_at,
      });
      // "Last seen" is written at most once a minute per session, not on every request.
      if (Date.now() - session.lastSeenAt.getTime() >= SESSION_TOUCH_INTERVAL_MS) {
        await db.query(`UPDATE app_sessions SET last_seen_at = now() WHERE id = $1 AND last_seen_at < now() - interval '60 seconds'`, [
          sessionId,
        ]);
      }
      return { session, user: toUser(r) };
    },

    async listSessions(userId) {
      const { rows } = await db.query<Row>(
        `SELECT * FROM app_sessions WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > now() ORDER BY last_seen_at DESC`,
        [userId],
      );
      return rows.map(toSession);
    },

    async revokeSession(sessionId) {
      const { rows } = await db.query(`UPDATE app_sessions SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL RETURNING 1`, [
        sessionId,
      ]);
      return rows.length === 1;
    },

    async revokeOtherSessions(userId, keepSessionId) {
      const { rows } = await db.query(
        `UPDATE app_sessions SET revoked_at = now() WHERE user_id = $1 AND id <> $2 AND revoked_at IS NULL RETURNING 1`,
        [userId, keepSessionId],
      );
      return rows.length;
    },

    async hitWindow(key, windowMs, now) {
      // Fixed window in one atomic upsert: the row lock taken by ON CONFLICT makes concurrent
      // hits from every instance count one after another; the database's clock is the only clock.
      const { rows } = await db.query<{ count: number; reset_ms: number }>(
        `INSERT INTO rate_counters AS c (key, first_at, last_at, count, expires_at)
         VALUES ($1, coalesce($3::timestamptz, now()), coalesce($3::timestamptz, now()), 1, coalesce($3::timestamptz, now()) + $2 * interval '1 millisecond')
         ON CONFLICT (key) DO UPDATE SET
           first_at = CASE WHEN c.expires_at <= coalesce($3::timestamptz, now()) THEN EXCLUDED.first_at ELSE c.first_at END,
           count = CASE WHEN c.expires_at <= coalesce($3::timestamptz, now()) THEN 1 ELSE c.count + 1 END,
           expires_at = CASE WHEN c.expires_at <= coalesce($3::timestamptz, now()) THEN EXCLUDED.expires_at ELSE c.expires_at END,
           last_at = EXCLUDED.last_at
         RETURNING count, (extract(epoch FROM (expires_at - coalesce($3::timestamptz, now()))) * 1000)::float8 AS reset_ms`,
        [key, windowMs, now ?? null],
      );
      if (Math.random() < PRUNE_PROBABILITY) void db.query(`DELETE FROM rate_counters WHERE expires_at < now()`).catch(() => undefined);
      return { count: Number(rows[0]!.count), resetMs: Math.max(0, Number(rows[0]!.reset_ms)) };
    },

    updateCounter(key, update, now) {
      return db.transaction(async (tx) => {
        // Read-modify-write under a row lock: one upsert inserts a placeholder if the row is
        // missing, or locks the existing row (a no-op update), and returns it either way;
        // decide in JavaScript, write back. Concurrent callers take turns. Not INSERT … DO
        // NOTHING then SELECT … FOR UPDATE: a caller that deletes the row (or the pruning in
        // hitWindow) between those two leaves the SELECT with no row at all.
        const { rows } = await tx.query<Row>(
          `INSERT INTO rate_counters (key, first_at, last_at, count, expires_at) VALUES ($1, 'epoch', 'epoch', 0, 'epoch')
           ON CONFLICT (key) DO UPDATE SET key = EXCLUDED.key
           RETURNING first_at, last_at, count, expires_at`,
          [key],
        );
        const r = rows[0]!;
        // The time is read once the lock is held, and from the wall clock: now() is when the
        // transaction began, which for a caller that waited for the lock is before the time
        // the previous holder just wrote, and would make it wait for nothing.
        const clock = await tx.query<{ now_ms: number }>(
          `SELECT (extract(epoch FROM coalesce($1::timestamptz, clock_timestamp())) * 1000)::float8 AS now_ms`,
          [now ?? null],
        );
        const nowMs = Number(clock.rows[0]!.now_ms);
        const current: CounterState | null =
          Number(r.count) === 0 || toDate(r.expires_at).getTime() <= nowMs
            ? null
            : {
                first: toDate(r.first_at).getTime(),
                last: toDate(r.last_at).getTime(),
                count: Number(r.count),
                expiresAt: toDate(r.expires_at).getTime(),
              };
        const { next, result } = update(current, nowMs);
        if (next) {
          await tx.query(`UPDATE rate_counters SET first_at = $2, last_at = $3, count = $4, expires_at = $5 WHERE key = $1`, [
            key,
            new Date(next.first),
            new Date(next.last),
            next.count,
            new Date(next.expiresAt),
          ]);
        } else {
          await tx.query(`DELETE FROM rate_counters WHERE key = $1`, [key]);
        }
        return result;
      });
    },

    async deleteCounter(key) {
      await db.query(`DELETE FROM rate_counters WHERE key = $1`, [key]);
    },

    async ping() {
      await db.query(`SELECT 1`);
    },

    close: () => db.close(),
  };
}

/** A session's last-seen time is refreshed at most this often. */
export const SESSION_TOUCH_INTERVAL_MS = 60_000;
/** Share of counter hits that also delete expired counters (amortised cleanup, no timer). */
const PRUNE_PROBABILITY = 1 / 500;
