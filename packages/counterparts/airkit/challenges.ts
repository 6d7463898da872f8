/**
 * Email one-time-code challenges of the AIR Kit counterpart (first login of an email through a
 * partner).
 *
 * Invariants, each enforced by a single SQL statement so concurrent requests cannot break it:
 * - At most `OTP_RATE_LIMIT_MAX` challenges per email per window (insert guarded by a count).
 * - At most `OTP_MAX_ATTEMPTS` codes are ever compared per challenge: an attempt is consumed
 *   atomically *before* comparing, so a parallel burst of guesses gets no extra tries.
 * - A challenge succeeds at most once: `UPDATE … WHERE used_at IS NULL RETURNING` inside the
 *   transaction that also runs the caller's success work (account and session creation).
 * - Only an HMAC of the code is stored (see packages/counterparts/lib/otp.ts).
 */
import { randomUUID } from "node:crypto";
import type { PGlite, Transaction } from "@electric-sql/pglite";
import { generateNumericCode, type OtpHasher } from "../lib/otp";

export const OTP_DIGITS = 6;
export const OTP_TTL_SECONDS = 10 * 60;
export const OTP_MAX_ATTEMPTS = 5;
export const OTP_RATE_LIMIT_MAX = 3;
export const OTP_RATE_LIMIT_WINDOW_SECONDS = 10 * 60;

export type ChallengeErrorCode =
  "otp_rate_limited" | "challenge_not_found" | "otp_invalid" | "otp_attempts_exceeded" | "otp_expired" | "otp_used";

export class ChallengeError extends Error {
  override readonly name = "ChallengeError";
  constructor(
    readonly code: ChallengeErrorCode,
    message: string,
    readonly info: { retryAfterSeconds?: number; attemptsRemaining?: number } = {},
  ) {
    super(message);
  }
}

export interface Challenge {
  readonly id: string;
  readonly email: string;
  readonly partnerId: string;
  readonly partnerUserId?: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
}

interface ChallengeRow {
  id: string;
  email: string;
  partner_id: string;
  partner_user_id: string | null;
  code_hash: string;
  attempts: number;
  created_at: Date;
  expires_at: Date;
  used_at: Date | null;
}

function toChallenge(row: ChallengeRow): Challenge {
  return {
    id: row.id,
    email: row.email,
    partnerId: row.partner_id,
    ...(row.partner_user_id !== null ? { partnerUserId: row.partner_user_id } : {}),
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  };
}

export class ChallengeStore {
  constructor(
    private readonly db: PGlite,
    private readonly hasher: OtpHasher,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Creates a challenge and returns it with the plain code (to be sent, never stored). */
  async create(input: { email: string; partnerId: string; partnerUserId?: string }): Promise<{
    challenge: Challenge;
    code: string;
  }> {
    const now = this.now();
    const id = randomUUID();
    const code = generateNumericCode(OTP_DIGITS);
    const expiresAt = new Date(now.getTime() + OTP_TTL_SECONDS * 1000);
    const windowStart = new Date(now.getTime() - OTP_RATE_LIMIT_WINDOW_SECONDS * 1000);

    // Count and insert in one statement: no window for two requests to both see "2 so far".
    const inserted = await this.db.query<ChallengeRow>(
      `INSERT INTO otp_challenges (id, email, partner_id, partner_user_id, code_hash, created_at, expires_at)
       SELECT $1, $2, $3, $4, $5, $6, $7
       WHERE (SELECT count(*) FROM otp_challenges WHERE email = $2 AND created_at > $8) < $9
       RETURNING *`,
      [
        id,
        input.email,
        input.partnerId,
        input.partnerUserId ?? null,
        this.hasher.hash(id, code),
        now,
        expiresAt,
        windowStart,
        OTP_RATE_LIMIT_MAX,
      ],
    );
    const row = inserted.rows[0];
    if (row) return { challenge: toChallenge(row), code };

    const oldest = await this.db.query<{ oldest: Date | null }>(
      "SELECT min(created_at) AS oldest FROM otp_challenges WHERE email = $1 AND created_at > $2",
      [input.email, windowStart],
    );
    const oldestAt = oldest.rows[0]?.oldest ?? now;
    const freeAt = oldestAt.getTime() + OTP_RATE_LIMIT_WINDOW_SECONDS * 1000;
    throw new ChallengeError("otp_rate_limited", "Too many verification codes requested for this email", {
      retryAfterSeconds: Math.max(1, Math.ceil((freeAt - now.getTime()) / 1000)),
    });
  }

  /** Removes a challenge whose code could not be delivered, so it does not count or linger. */
  async discard(id: string): Promise<void> {
    await this.db.query("DELETE FROM otp_challenges WHERE id = $1 AND used_at IS NULL", [id]);
  }

  /**
   * Checks `code` against the challenge. On success the challenge is marked used and
   * `onVerified` runs in the same transaction, so its work and the consumption of the code
   * commit or roll back together.
   */
  async verify<T>(challengeId: string, code: string, onVerified: (challenge: Challenge, tx: Transaction) => Promise<T>): Promise<T> {
    const now = this.now();
    const consumed = await this.db.query<ChallengeRow>(
      `UPDATE otp_challenges SET attempts = attempts + 1
       WHERE id = $1 AND used_at IS NULL AND expires_at > $2 AND attempts < $3
       RETURNING *`,
      [challengeId, now, OTP_MAX_ATTEMPTS],
    );
    const row = consumed.rows[0];
    if (!row) throw await this.explainUnusable(challengeId, now);

    if (!this.hasher.matches(row.id, code, row.code_hash)) {
      const attemptsRemaining = Math.max(0, OTP_MAX_ATTEMPTS - row.attempts);
      throw new ChallengeError("otp_invalid", "The code is not correct", { attemptsRemaining });
    }

    return this.db.transaction(async (tx) => {
      const used = await tx.query<ChallengeRow>(
        "UPDATE otp_challenges SET used_at = $2 WHERE id = $1 AND used_at IS NULL AND expires_at > $2 RETURNING *",
        [challengeId, now],
      );
      const usedRow = used.rows[0];
      // Another request with the right code won the race (or the challenge expired meanwhile).
      if (!usedRow) throw await this.explainUnusable(challengeId, now, tx);
      return onVerified(toChallenge(usedRow), tx);
    });
  }

  /** Why a challenge cannot take an attempt. The checks mirror the guarded UPDATE above. */
  private async explainUnusable(challengeId: string, now: Date, q: Pick<Transaction, "query"> = this.db): Promise<ChallengeError> {
    const result = await q.query<ChallengeRow>("SELECT * FROM otp_challenges WHERE id = $1", [challengeId]);
    const row = result.rows[0];
    if (!row) return new ChallengeError("challenge_not_found", "No such verification challenge");
    if (row.used_at !== null) return new ChallengeError("otp_used", "This code has already been used");
    if (row.attempts >= OTP_MAX_ATTEMPTS) {
      return new ChallengeError("otp_attempts_exceeded", "Too many wrong codes; start the login again", {
        attemptsRemaining: 0,
      });
    }
    if (row.expires_at.getTime() <= now.getTime()) return new ChallengeError("otp_expired", "This code has expired");
    // State only moves towards used/exhausted/expired, all handled above.
    throw new Error(`Challenge ${challengeId} is usable but was refused`);
  }
}
