/**
 * GoTrue sessions: ES256 access tokens, rotating refresh tokens, and access-token checks.
 *
 * Invariants:
 * - Access tokens carry exactly Supabase's claims (see `accessTokenClaims`) and header
 *   `{ alg: "ES256", kid, typ: "JWT" }`. They are accepted only when the signature verifies
 *   with our key under our `kid`, `alg` is ES256, `iss`/`aud` are ours, they are unexpired, and
 *   their `session_id` names a live session of their `sub` (so sign-out ends them at once for
 *   `/user`, as in GoTrue, even though the JWT itself stays valid until `exp`).
 * - A refresh token is `base64url(HMAC(secret, tokenId))`; the database keeps only the id and a
 *   SHA-256 of the token. A leaked database therefore yields no usable token, yet the server
 *   can re-derive a token from its id (needed for the reuse window below).
 * - Rotation: each successful refresh revokes the presented token and issues its child.
 *   Presenting a revoked token is reuse. GoTrue tolerates one case, a client that lost the
 *   answer of its last refresh: if the revoked token is the direct parent of the session's
 *   active token and was revoked less than `reuseIntervalSeconds` ago, the active token is
 *   returned again (no new token). Any other reuse deletes the whole session (its token
 *   family, and with it every access token naming it) and answers `refresh_token_already_used`.
 * - Everything that reads then writes session state runs in one PGlite transaction, which
 *   PGlite executes exclusively, so concurrent refreshes of one token cannot both rotate it.
 */
import { createHash, createHmac, randomUUID } from "node:crypto";
import type { PGlite, Transaction } from "@electric-sql/pglite";
import { SignJWT, errors, jwtVerify, type JWTHeaderParameters, type JWTPayload } from "jose";
import type { Queryable } from "../lib/db";
import type { ServiceSigningKey } from "../lib/keys";
import { AuthFailure } from "./errors";
import { AUDIENCE, appMetadataJson, ROLE, findUserById, recordSignIn, userJson, type UserRecord } from "./users";
import { UNKNOWN_EXTRA_FIELDS, type CounterpartVariant } from "../lib/variant";

export type AmrMethod = "password" | "otp";
export type LogoutScope = "global" | "local" | "others";

export const DEFAULT_ACCESS_TOKEN_TTL_SECONDS = 3600;
/** GoTrue's default `GOTRUE_SECURITY_REFRESH_TOKEN_REUSE_INTERVAL`. */
export const DEFAULT_REFRESH_TOKEN_REUSE_INTERVAL_SECONDS = 10;
const MAX_TOKEN_LENGTH = 16 * 1024;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** GoTrue's `AccessTokenResponse`: what the token and verify endpoints answer. */
export interface SessionJson {
  access_token: string;
  token_type: "bearer";
  expires_in: number;
  expires_at: number;
  refresh_token: string;
  user: Record<string, unknown>;
}

export interface AuthenticatedRequest {
  readonly user: UserRecord;
  readonly sessionId: string;
}

interface SessionRow {
  id: string;
  user_id: string;
  amr_method: AmrMethod;
  authenticated_at: Date;
}

interface RefreshTokenRow {
  id: string;
  session_id: string;
  parent_id: string | null;
  revoked_at: Date | null;
}

export interface SessionServiceOptions {
  readonly db: PGlite;
  readonly signingKey: ServiceSigningKey;
  readonly refreshTokenSecret: Uint8Array;
  /** `<project url>/auth/v1`; a function because the URL is known only once the server listens. */
  readonly issuer: () => string;
  readonly accessTokenTtlSeconds: number;
  readonly reuseIntervalSeconds: number;
  readonly now: () => Date;
  readonly variant: CounterpartVariant;
}

const sha256 = (value: string): string => createHash("sha256").update(value, "utf8").digest("hex");
const seconds = (date: Date): number => Math.floor(date.getTime() / 1000);

export class SessionService {
  readonly #refreshSecret: Buffer;

  constructor(private readonly options: SessionServiceOptions) {
    this.#refreshSecret = Buffer.from(options.refreshTokenSecret);
  }

  /** Starts a session for `userId` (password or code sign-in) and returns GoTrue's session JSON. */
  async create(tx: Transaction, userId: string, method: AmrMethod): Promise<SessionJson> {
    const now = this.options.now();
    const sessionId = randomUUID();
    await tx.query(`INSERT INTO sessions (id, user_id, amr_method, authenticated_at, created_at) VALUES ($1, $2, $3, $4, $4)`, [
      sessionId,
      userId,
      method,
      now,
    ]);
    await recordSignIn(tx, userId, now);
    const refreshToken = await this.#insertRefreshToken(tx, sessionId, null, now);
    return this.#sessionJson(tx, { id: sessionId, user_id: userId, amr_method: method, authenticated_at: now }, refreshToken);
  }

  /** `grant_type=refresh_token`. */
  async refresh(presented: string): Promise<SessionJson> {
    const { db, now, reuseIntervalSeconds } = this.options;
    const outcome = await db.transaction(async (tx): Promise<SessionJson | "reused"> => {
      const found = await tx.query<RefreshTokenRow & SessionRow & { token_id: string }>(
        `SELECT rt.id AS token_id, rt.session_id, rt.parent_id, rt.revoked_at,
                s.id, s.user_id, s.amr_method, s.authenticated_at
         FROM refresh_tokens rt JOIN sessions s ON s.id = rt.session_id
         WHERE rt.token_hash = $1`,
        [sha256(presented)],
      );
      const row = found.rows[0];
      if (!row) {
        throw new AuthFailure(400, "refresh_token_not_found", "Invalid Refresh Token: Refresh Token Not Found");
      }
      const session: SessionRow = { id: row.id, user_id: row.user_id, amr_method: row.amr_method, authenticated_at: row.authenticated_at };
      const at = now();

      if (row.revoked_at === null) {
        await tx.query("UPDATE refresh_tokens SET revoked_at = $2 WHERE id = $1", [row.token_id, at]);
        await tx.query("UPDATE sessions SET refreshed_at = $2 WHERE id = $1", [session.id, at]);
        const child = await this.#insertRefreshToken(tx, session.id, row.token_id, at);
        return this.#sessionJson(tx, session, child);
      }

      const active = (
        await tx.query<RefreshTokenRow>(
          "SELECT id, session_id, parent_id, revoked_at FROM refresh_tokens WHERE session_id = $1 AND revoked_at IS NULL",
          [session.id],
        )
      ).rows[0];
      const withinWindow = at.getTime() - row.revoked_at.getTime() < reuseIntervalSeconds * 1000;
      if (active && active.parent_id === row.token_id && withinWindow) {
        return this.#sessionJson(tx, session, this.#deriveRefreshToken(active.id));
      }
      // Reuse outside the tolerated case: revoke the whole family by ending the session.
      await tx.query("DELETE FROM sessions WHERE id = $1", [session.id]);
      return "reused";
    });
    if (outcome === "reused") {
      throw new AuthFailure(400, "refresh_token_already_used", "Invalid Refresh Token: Already Used");
    }
    return outcome;
  }

  /**
   * GoTrue's `requireAuthentication` for a bearer access token: 403 `bad_jwt` for anything
   * that does not verify, 403 `user_not_found` / `session_not_found` for a token whose user or
   * session is gone.
   */
  async authenticate(token: string): Promise<AuthenticatedRequest> {
    const { db, signingKey, issuer, now } = this.options;
    const badJwt = (reason: string, cause?: unknown) =>
      new AuthFailure(403, "bad_jwt", `invalid JWT: unable to parse or verify signature, ${reason}`, { cause });
    if (token.length > MAX_TOKEN_LENGTH) throw badJwt("token is malformed");

    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(
        token,
        (header: JWTHeaderParameters) => {
          if (header.kid !== signingKey.kid) throw new errors.JWKSNoMatchingKey();
          return signingKey.publicKey;
        },
        {
          algorithms: [signingKey.alg],
          issuer: issuer(),
          audience: AUDIENCE,
          requiredClaims: ["sub", "exp", "iat", "session_id"],
          currentDate: now(),
        },
      ));
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw badJwt("token has invalid claims: token is expired", error);
      if (error instanceof errors.JWSSignatureVerificationFailed) throw badJwt("token signature is invalid", error);
      if (error instanceof errors.JWKSNoMatchingKey) throw badJwt("unrecognized JWT kid", error);
      if (error instanceof errors.JWTClaimValidationFailed) throw badJwt(`token has invalid claims: ${error.claim}`, error);
      if (error instanceof errors.JOSEError) throw badJwt("token is malformed", error);
      throw error;
    }

    const { sub, session_id: sessionId } = payload;
    if (typeof sub !== "string" || !UUID.test(sub)) {
      throw new AuthFailure(400, "bad_jwt", "invalid claim: sub claim must be a UUID");
    }
    if (typeof sessionId !== "string" || !UUID.test(sessionId)) {
      throw new AuthFailure(403, "bad_jwt", "invalid claim: session_id claim must be a UUID");
    }
    const user = await findUserById(db, sub);
    if (!user) throw new AuthFailure(403, "user_not_found", "User from sub claim in JWT does not exist");
    const session = await db.query<{ id: string }>("SELECT id FROM sessions WHERE id = $1 AND user_id = $2", [sessionId, sub]);
    if (session.rows.length === 0) {
      throw new AuthFailure(403, "session_not_found", "Session from session_id claim in JWT does not exist");
    }
    return { user, sessionId };
  }

  /** GoTrue's `/logout` scopes. Deleting sessions deletes their refresh tokens (FK cascade). */
  async logout(auth: AuthenticatedRequest, scope: LogoutScope): Promise<void> {
    const { db } = this.options;
    switch (scope) {
      case "local":
        await db.query("DELETE FROM sessions WHERE id = $1", [auth.sessionId]);
        return;
      case "others":
        await db.query("DELETE FROM sessions WHERE user_id = $1 AND id <> $2", [auth.user.id, auth.sessionId]);
        return;
      case "global":
        await db.query("DELETE FROM sessions WHERE user_id = $1", [auth.user.id]);
        return;
    }
  }

  #deriveRefreshToken(tokenId: string): string {
    return createHmac("sha256", this.#refreshSecret).update(`refresh-token\u0000${tokenId}`, "utf8").digest("base64url");
  }

  async #insertRefreshToken(q: Queryable, sessionId: string, parentId: string | null, now: Date): Promise<string> {
    const id = randomUUID();
    const token = this.#deriveRefreshToken(id);
    await q.query("INSERT INTO refresh_tokens (id, session_id, token_hash, parent_id, created_at) VALUES ($1, $2, $3, $4, $5)", [
      id,
      sessionId,
      sha256(token),
      parentId,
      now,
    ]);
    return token;
  }

  async #sessionJson(q: Queryable, session: SessionRow, refreshToken: string): Promise<SessionJson> {
    const user = await findUserById(q, session.user_id);
    if (!user) throw new Error("session without user");
    const { accessToken, expiresAt } = await this.#signAccessToken(user, session);
    return {
      access_token: accessToken,
      token_type: "bearer",
      expires_in: this.options.accessTokenTtlSeconds,
      expires_at: expiresAt,
      refresh_token: refreshToken,
      user: userJson(user, this.options.variant),
    };
  }

  async #signAccessToken(user: UserRecord, session: SessionRow): Promise<{ accessToken: string; expiresAt: number }> {
    const { signingKey, issuer, accessTokenTtlSeconds, now } = this.options;
    const iat = seconds(now());
    const exp = iat + accessTokenTtlSeconds;
    // Claim order follows GoTrue's AccessTokenClaims serialisation.
    const claims: JWTPayload = {
      iss: issuer(),
      sub: user.id,
      aud: AUDIENCE,
      exp,
      iat,
      email: user.email,
      phone: "",
      app_metadata: appMetadataJson(),
      user_metadata: user.userMetadata,
      role: ROLE,
      aal: "aal1",
      amr: [{ method: session.amr_method, timestamp: seconds(session.authenticated_at) }],
      session_id: session.id,
      is_anonymous: false,
    };
    if (this.options.variant === "sparse") {
      // Only the claims Supabase lists as required, plus one nobody knows.
      delete claims.app_metadata;
      delete claims.user_metadata;
      delete claims.amr;
      Object.assign(claims, UNKNOWN_EXTRA_FIELDS);
    }
    const accessToken = await new SignJWT(claims)
      .setProtectedHeader({ alg: signingKey.alg, kid: signingKey.kid, typ: "JWT" })
      .sign(signingKey.privateKey);
    return { accessToken, expiresAt: exp };
  }
}
