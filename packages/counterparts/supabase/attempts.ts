/**
 * Limit on password sign-in attempts per email (GoTrue limits `/token` per IP; a per-email
 * limit is what stops guessing one account's password from many addresses).
 *
 * Invariants:
 * - An attempt is recorded *before* the password is checked, in the same transaction as the
 *   count, so a parallel burst cannot run more than `PASSWORD_MAX_FAILURES` comparisons per
 *   window. A successful sign-in clears the email's record; failures stay until they age out.
 * - Attempts for unknown emails are recorded the same way, so the limit does not reveal which
 *   emails have accounts.
 */
import type { PGlite } from "@electric-sql/pglite";
import { AuthFailure } from "./errors";

export const PASSWORD_MAX_FAILURES = 10;
export const PASSWORD_FAILURE_WINDOW_SECONDS = 15 * 60;

export class PasswordAttempts {
  constructor(
    private readonly db: PGlite,
    private readonly now: () => Date,
  ) {}

  /** Records an attempt for `email`; throws 429 `over_request_rate_limit` when over the limit. */
  async begin(email: string): Promise<void> {
    const now = this.now();
    const windowStart = new Date(now.getTime() - PASSWORD_FAILURE_WINDOW_SECONDS * 1000);
    const verdict = await this.db.transaction(async (tx) => {
      await tx.query("DELETE FROM password_attempts WHERE attempted_at <= $1", [windowStart]);
      const recent = await tx.query<{ count: number; oldest: Date | null }>(
        "SELECT count(*)::int AS count, min(attempted_at) AS oldest FROM password_attempts WHERE email = $1",
        [email],
      );
      const row = recent.rows[0];
      if (row && row.count >= PASSWORD_MAX_FAILURES) return { blockedSince: row.oldest ?? now };
      await tx.query("INSERT INTO password_attempts (email, attempted_at) VALUES ($1, $2)", [email, now]);
      return undefined;
    });
    if (verdict) {
      const freeAt = verdict.blockedSince.getTime() + PASSWORD_FAILURE_WINDOW_SECONDS * 1000;
      const retryAfter = Math.max(1, Math.ceil((freeAt - now.getTime()) / 1000));
      throw new AuthFailure(429, "over_request_rate_limit", "Request rate limit reached", {
        headers: { "Retry-After": String(retryAfter) },
      });
    }
  }

  /** The password was right: forget the email's failed attempts. */
  async succeeded(email: string): Promise<void> {
    await this.db.query("DELETE FROM password_attempts WHERE email = $1", [email]);
  }
}
