/**
 * AIR sessions: the `token` of an AirLoginResult, a JWT signed ES256 with the counterpart's own
 * key, carrying exactly the claims "User Login & Sessions" documents
 * (https://docs.moca.network/airkit/usage/user-authentication): `sub`, `abstractAccountAddress`
 * (only once MFA is set up, "User Management"), `partnerId`, `partnerUserId?`, plus `iat`/`exp`.
 * No `iss`, `aud` or `jti`: AIR promises none. Sessions are recorded by the SHA-256 of the token
 * so they can be revoked without a `jti` claim.
 *
 * Invariants:
 * - A token is accepted only if its signature verifies with our key, it is not expired, and its
 *   hash names a stored, unrevoked, unexpired session of the same subject.
 * - Claims come from server-side state (account and partner link), never from the request.
 */
import { createHash, randomUUID } from "node:crypto";
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

/** How a token is shaped; both are legal per the docs (see service.ts for the variants). */
export interface TokenShape {
  /** Put `partnerUserId` in the token when the link has one (it is optional in the docs). */
  readonly partnerUserId: boolean;
  /** `typ` and `kid` in the header (AIR documents neither). */
  readonly typAndKid: boolean;
  /** Unknown claims a verifier must ignore. */
  readonly extraClaims?: Readonly<Record<string, unknown>>;
}

const tokenHash = (token: string) => createHash("sha256").update(token).digest("hex");

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
  readonly ttlSeconds: number;
  readonly now: () => Date;
}

export class SessionManager {
  constructor(private readonly options: SessionManagerOptions) {}

  /** Records a session and returns its signed AIR token. Runs on `q` (a transaction, or the db). */
  async issue(q: Queryable, linked: LinkedAccount, shape: TokenShape): Promise<string> {
    const { signingKey, ttlSeconds, now } = this.options;
    const iat = Math.floor(now().getTime() / 1000);
    const exp = iat + ttlSeconds;
    const claims = {
      ...shape.extraClaims,
      sub: linked.account.id,
      // "The abstract account address will only be returned in user info and token if MFA is set up."
      ...(linked.account.mfaSetupAt !== null ? { abstractAccountAddress: linked.account.abstractAccountAddress } : {}),
      partnerId: linked.partnerId,
      ...(shape.partnerUserId && linked.partnerUserId !== undefined ? { partnerUserId: linked.partnerUserId } : {}),
      iat,
      exp,
    };
    const token = await new SignJWT(claims)
      .setProtectedHeader(shape.typAndKid ? { alg: signingKey.alg, typ: "JWT", kid: signingKey.kid } : { alg: signingKey.alg })
      .sign(signingKey.privateKey);
    await q.query(
      `INSERT INTO sessions (jti, account_id, partner_id, partner_user_id, issued_at, expires_at, token_hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (token_hash) DO NOTHING`,
      [
        randomUUID(),
        linked.account.id,
        linked.partnerId,
        linked.partnerUserId ?? null,
        new Date(iat * 1000),
        new Date(exp * 1000),
        tokenHash(token),
      ],
    );
    return token;
  }

  /** Verifies an AIR token and returns its live session. */
  async authenticate(token: string): Promise<Session> {
    const { db, now } = this.options;
    const claims = await this.verifyToken(token);
    const result = await db.query<SessionRow>("SELECT * FROM sessions WHERE token_hash = $1", [tokenHash(token)]);
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
    await this.verifyToken(token);
    await db.query("UPDATE sessions SET revoked_at = $2 WHERE token_hash = $1 AND revoked_at IS NULL", [tokenHash(token), now()]);
  }

  private async verifyToken(token: string): Promise<{ sub: string }> {
    const { signingKey, now } = this.options;
    if (token.length > MAX_TOKEN_LENGTH) throw new SessionError("session_invalid", "Session is not valid");
    try {
      const { payload } = await jwtVerify(token, signingKey.publicKey, {
        algorithms: [signingKey.alg],
        requiredClaims: ["sub", "iat", "exp"],
        currentDate: now(),
      });
      if (typeof payload.sub !== "string") throw new errors.JWTInvalid("sub");
      return { sub: payload.sub };
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
