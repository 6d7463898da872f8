/**
 * Emailed one-time codes (GoTrue's email OTPs: signup confirmation and magic-link sign-in).
 *
 * Invariants:
 * - One live code per (user, purpose), like GoTrue's single `confirmation_token` /
 *   `recovery_token` columns: issuing a new code supersedes the previous one.
 * - At most one email per (user, purpose) every `OTP_SEND_INTERVAL_SECONDS` (GoTrue's
 *   `SMTP_MAX_FREQUENCY`, 60 s by default), checked and recorded in the caller's transaction.
 * - Codes expire after `OTP_TTL_SECONDS` and take at most `OTP_MAX_ATTEMPTS` guesses. An attempt
 *   is consumed by a single atomic UPDATE *before* comparing and outside any transaction that a
 *   failure could roll back, so parallel guessing gains nothing.
 * - A code succeeds at most once: it is marked used by a guarded UPDATE inside the transaction
 *   that also runs the caller's success work, and every other live code of the user is
 *   consumed with it (GoTrue clears all one-time tokens on sign-in).
 * - Only `HMAC(secret, codeId NUL code)` is stored (packages/counterparts/lib/otp.ts).
 * - A signup code may carry a `SignupClaim`: the password and metadata of the request that asked
 *   for it. It takes effect only if *that* code confirms the email (see service.ts), so whoever
 *   proves control of the mailbox decides the account's password, not whoever registered the
 *   address first.
 */
import { randomUUID } from "node:crypto";
import type { PGlite, Transaction } from "@electric-sql/pglite";
import type { Queryable } from "../lib/db";
import { generateNumericCode, isNumericCode, type OtpHasher } from "../lib/otp";
import { AuthFailure } from "./errors";

export const OTP_DIGITS = 6;
export const OTP_TTL_SECONDS = 10 * 60;
export const OTP_MAX_ATTEMPTS = 5;
export const OTP_SEND_INTERVAL_SECONDS = 60;

/** `signup`: confirms the email (GoTrue's confirmation token). `magiclink`: signs a confirmed user in. */
export type CodePurpose = "signup" | "magiclink";

/**
 * What confirming with a signup code makes of the account. `password`: `undefined` keeps the
 * current one, `null` removes it, a string installs that hash. `metadata`: `undefined` keeps it.
 */
export interface SignupClaim {
  readonly password?: string | null;
  readonly metadata?: Record<string, unknown>;
}

/** A code that matched, as handed to the caller's success work. */
export interface VerifiedCode {
  readonly purpose: CodePurpose;
  readonly claim: SignupClaim;
}

export interface IssuedCode {
  readonly id: string;
  readonly userId: string;
  readonly purpose: CodePurpose;
  /** The plain code, to be emailed and then forgotten. */
  readonly code: string;
  readonly sentAt: Date;
  readonly previousSentAt: Date | null;
}

// The per-purpose "last sent" column, as fixed SQL per purpose (never built from input).
const SENT_AT_SQL: Record<CodePurpose, { select: string; update: string; restore: string }> = {
  signup: {
    select: "SELECT confirmation_sent_at AS sent_at FROM users WHERE id = $1",
    update: "UPDATE users SET confirmation_sent_at = $2, updated_at = $2 WHERE id = $1",
    restore: "UPDATE users SET confirmation_sent_at = $3 WHERE id = $1 AND confirmation_sent_at = $2",
  },
  magiclink: {
    select: "SELECT recovery_sent_at AS sent_at FROM users WHERE id = $1",
    update: "UPDATE users SET recovery_sent_at = $2, updated_at = $2 WHERE id = $1",
    restore: "UPDATE users SET recovery_sent_at = $3 WHERE id = $1 AND recovery_sent_at = $2",
  },
};

interface LiveCodeRow {
  id: string;
  purpose: CodePurpose;
  code_hash: string;
  install_password: boolean;
  password_hash: string | null;
  user_metadata: Record<string, unknown> | null;
}

export class EmailCodes {
  constructor(
    private readonly db: PGlite,
    private readonly hasher: OtpHasher,
    private readonly now: () => Date,
  ) {}

  /**
   * Creates a code for `userId`, superseding the previous one of the same purpose. Must run in
   * a transaction (`q`) so the rate-limit check and the new "sent at" are one step.
   * Throws 429 `over_email_send_rate_limit` inside the interval.
   */
  async issue(q: Transaction, userId: string, purpose: CodePurpose, claim: SignupClaim = {}): Promise<IssuedCode> {
    const now = this.now();
    const sql = SENT_AT_SQL[purpose];
    const previous = (await q.query<{ sent_at: Date | null }>(sql.select, [userId])).rows[0]?.sent_at ?? null;
    if (previous !== null) {
      const waitMs = previous.getTime() + OTP_SEND_INTERVAL_SECONDS * 1000 - now.getTime();
      if (waitMs > 0) {
        const seconds = Math.ceil(waitMs / 1000);
        throw new AuthFailure(
          429,
          "over_email_send_rate_limit",
          `For security purposes, you can only request this after ${seconds} seconds.`,
          { headers: { "Retry-After": String(seconds) } },
        );
      }
    }
    await q.query(sql.update, [userId, now]);
    await q.query("UPDATE email_codes SET used_at = $3 WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL", [userId, purpose, now]);
    const id = randomUUID();
    const code = generateNumericCode(OTP_DIGITS);
    await q.query(
      `INSERT INTO email_codes
         (id, user_id, purpose, code_hash, install_password, password_hash, user_metadata, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        id,
        userId,
        purpose,
        this.hasher.hash(id, code),
        claim.password !== undefined,
        claim.password ?? null,
        claim.metadata !== undefined ? JSON.stringify(claim.metadata) : null,
        now,
        new Date(now.getTime() + OTP_TTL_SECONDS * 1000),
      ],
    );
    return { id, userId, purpose, code, sentAt: now, previousSentAt: previous };
  }

  /** Undoes `issue` for a code whose email could not be delivered, so it neither works nor counts. */
  async discard(q: Queryable, issued: IssuedCode): Promise<void> {
    await q.query("DELETE FROM email_codes WHERE id = $1 AND used_at IS NULL", [issued.id]);
    await q.query(SENT_AT_SQL[issued.purpose].restore, [issued.userId, issued.sentAt, issued.previousSentAt]);
  }

  /**
   * Checks `code` against the user's live codes of the given purposes. On a match the code (and
   * every other live code of the user) is consumed and `onVerified` runs in the same
   * transaction. Returns `undefined` when the code is wrong, expired, used or out of attempts:
   * GoTrue answers all of those alike.
   */
  async verify<T>(
    userId: string,
    purposes: readonly CodePurpose[],
    code: string,
    onVerified: (tx: Transaction, code: VerifiedCode) => Promise<T>,
  ): Promise<T | undefined> {
    if (!isNumericCode(code, OTP_DIGITS)) return undefined;
    const now = this.now();
    const candidates = await this.db.query<LiveCodeRow>(
      `UPDATE email_codes SET attempts = attempts + 1
       WHERE user_id = $1 AND purpose = ANY($2::text[]) AND used_at IS NULL AND expires_at > $3 AND attempts < $4
       RETURNING id, purpose, code_hash, install_password, password_hash, user_metadata`,
      [userId, [...purposes], now, OTP_MAX_ATTEMPTS],
    );
    const matched = candidates.rows.find((row) => this.hasher.matches(row.id, code, row.code_hash));
    if (!matched) return undefined;

    return this.db.transaction(async (tx) => {
      const used = await tx.query<{ id: string }>(
        "UPDATE email_codes SET used_at = $2 WHERE id = $1 AND used_at IS NULL AND expires_at > $2 RETURNING id",
        [matched.id, now],
      );
      // Another request with the same code won the race.
      if (used.rows.length === 0) return undefined;
      await tx.query("UPDATE email_codes SET used_at = $2 WHERE user_id = $1 AND used_at IS NULL", [userId, now]);
      const claim: SignupClaim = {
        ...(matched.install_password ? { password: matched.password_hash } : {}),
        ...(matched.user_metadata !== null ? { metadata: matched.user_metadata } : {}),
      };
      return onVerified(tx, { purpose: matched.purpose, claim });
    });
  }
}
