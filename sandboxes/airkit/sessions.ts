/**
 * AIR sessions: the `token` of an AirLoginResult, a JWT signed ES256 with the sandbox's own
 * key and recorded by `jti` so it can be revoked.
 *
 * Invariants:
 * - A token is accepted only if its signature verifies with our key, `iss` is ours, it is not
 *   expired, and its `jti` names a stored, unrevoked, unexpired session of the same subject.
 * - Claims come from server-side state (account and partner link), never from the request.
 */
import { randomUUID } from "node:crypto";
import type { PGlite } from "@electric-sql/pglite";
import { SignJWT, errors, jwtVerify } from "jose";
import type { Queryable } from "../lib/db";
import type { ServiceSigningKey } from "../lib/keys";
import type { LinkedAccount } from "./accounts";

export const DEFAULT_SESSION_TTL_SECONDS = 3600;
const MAX_TOKEN_LENGTH = 8 * 1024;

export type SessionErrorCode = "session_invalid" | "session_expired";

export class SessionError extends Error {
  override readonly name = "SessionError";
  constructor(
    readonly code: SessionErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface Session {
  readonly jti: string;
  readonly accountId: string;
  readonly partnerId: string;
}

interface SessionRow {
  jti: string;
  account_id: string;
  partner_id: string;
  expires_at: Date;
  revoked_at: Date | null;
}

export interface SessionManagerOptions {
  readonly db: PGlite;
  readonly signingKey: ServiceSigningKey;
  /** Our `iss`; a function because the URL is known only once the server listens. */
  readonly issuer: () => string;
  readonly ttlSeconds: number;
  readonly now: () => Date;
}

export class SessionManager {
  constructor(private readonly options: SessionManagerOptions) {}

  /** Records a session and returns its signed AIR token. Runs on `q` (a transaction, or the db). */
  async issue(q: Queryable, linked: LinkedAccount): Promise<string> {
    const { signingKey, issuer, ttlSeconds, now } = this.options;
    const issuedAt = now();
    const iat = Math.floor(issuedAt.getTime() / 1000);
    const exp = iat + ttlSeconds;
    const jti = randomUUID();
    await q.query(
      `INSERT INTO sessions (jti, account_id, partner_id, partner_user_id, issued_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [jti, linked.account.id, linked.partnerId, linked.partnerUserId ?? null, new Date(iat * 1000), new Date(exp * 1000)],
    );
    return new SignJWT({
      abstractAccountAddress: linked.account.abstractAccountAddress,
      partnerId: linked.partnerId,
      ...(linked.partnerUserId !== undefined ? { partnerUserId: linked.partnerUserId } : {}),
    })
      .setProtectedHeader({ alg: signingKey.alg, typ: "JWT", kid: signingKey.kid })
      .setIssuer(issuer())
      .setAudience(linked.partnerId)
      .setSubject(linked.account.id)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .setJti(jti)
      .sign(signingKey.privateKey);
  }

  /** Verifies an AIR token and returns its live session. */
  async authenticate(token: string): Promise<Session> {
    const { db, now } = this.options;
    const claims = await this.verifyToken(token);
    const result = await db.query<SessionRow>("SELECT * FROM sessions WHERE jti = $1", [claims.jti]);
    const row = result.rows[0];
    if (!row || row.revoked_at !== null || row.account_id !== claims.sub) {
      throw new SessionError("session_invalid", "Session is not valid");
    }
    if (row.expires_at.getTime() <= now().getTime()) throw new SessionError("session_expired", "Session has expired");
    return { jti: row.jti, accountId: row.account_id, partnerId: row.partner_id };
  }

  /** Revokes the session of a valid token. Revoking twice is not an error. */
  async revoke(token: string): Promise<void> {
    const { db, now } = this.options;
    const claims = await this.verifyToken(token);
    await db.query("UPDATE sessions SET revoked_at = $2 WHERE jti = $1 AND revoked_at IS NULL", [claims.jti, now()]);
  }

  private async verifyToken(token: string): Promise<{ jti: string; sub: string }> {
    const { signingKey, issuer, now } = this.options;
    if (token.length > MAX_TOKEN_LENGTH) throw new SessionError("session_invalid", "Session is not valid");
    try {
      const { payload } = await jwtVerify(token, signingKey.publicKey, {
        algorithms: [signingKey.alg],
        issuer: issuer(),
        typ: "JWT",
        requiredClaims: ["jti", "sub", "iat", "exp"],
        currentDate: now(),
      });
      if (typeof payload.jti !== "string" || typeof payload.sub !== "string") throw new errors.JWTInvalid("jti/sub");
      return { jti: payload.jti, sub: payload.sub };
    } catch (error) {
      if (error instanceof errors.JWTExpired) {
        throw new SessionError("session_expired", "Session has expired", { cause: error });
      }
      if (error instanceof errors.JOSEError) {
        throw new SessionError("session_invalid", "Session is not valid", { cause: error });
      }
      throw error;
    }
  }
}
