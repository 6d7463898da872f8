// AIR Kit's retention sweep (see ../lib/retention.ts). Every account here was created by a
// visitor's login (nothing is seeded), so an account created before the cutoff goes with all
// it owns (partner links, sessions, passkeys, MFA challenges); pending email codes, MFA
// challenges and sessions older than the cutoff go whoever they belong to.
import type { PGlite } from "@electric-sql/pglite";
import type { SweepResult } from "../lib/counterpart";
import { deleteCreatedBefore } from "../lib/retention";

const OLD_ACCOUNTS = "SELECT id FROM accounts WHERE created_at < $1";

export const AIRKIT_SWEEP: readonly string[] = [
  `DELETE FROM sessions WHERE issued_at < $1 OR account_id IN (${OLD_ACCOUNTS})`,
  `DELETE FROM passkeys WHERE account_id IN (${OLD_ACCOUNTS})`,
  `DELETE FROM mfa_challenges WHERE created_at < $1 OR account_id IN (${OLD_ACCOUNTS})`,
  `DELETE FROM partner_links WHERE account_id IN (${OLD_ACCOUNTS})`,
  "DELETE FROM otp_challenges WHERE created_at < $1",
  "DELETE FROM accounts WHERE created_at < $1",
];

export function sweepAirKit(db: PGlite, createdBefore: Date): Promise<SweepResult> {
  return deleteCreatedBefore(db, AIRKIT_SWEEP, createdBefore);
}
