// Supabase Auth's retention sweep (see ../lib/retention.ts). Every user here signed up as a
// visitor (nothing is seeded): a user created before the cutoff goes with its identity, codes,
// sessions and refresh tokens; codes, sessions (with their refresh tokens) and password
// attempts older than the cutoff go whoever they belong to.
import type { PGlite } from "@electric-sql/pglite";
import type { SweepResult } from "../lib/counterpart";
import { deleteCreatedBefore } from "../lib/retention";

const OLD_USERS = "SELECT id FROM users WHERE created_at < $1";
const OLD_SESSIONS = `SELECT id FROM sessions WHERE created_at < $1 OR user_id IN (${OLD_USERS})`;

export const SUPABASE_SWEEP: readonly string[] = [
  `DELETE FROM refresh_tokens WHERE created_at < $1 OR session_id IN (${OLD_SESSIONS})`,
  `DELETE FROM sessions WHERE id IN (${OLD_SESSIONS})`,
  `DELETE FROM email_codes WHERE created_at < $1 OR user_id IN (${OLD_USERS})`,
  `DELETE FROM identities WHERE user_id IN (${OLD_USERS})`,
  "DELETE FROM password_attempts WHERE attempted_at < $1",
  "DELETE FROM users WHERE created_at < $1",
];

export function sweepSupabase(db: PGlite, createdBefore: Date): Promise<SweepResult> {
  return deleteCreatedBefore(db, SUPABASE_SWEEP, createdBefore);
}
