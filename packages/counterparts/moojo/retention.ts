// Moojo's retention sweep (see ../lib/retention.ts). Users (one per Firebase user) are created
// by a visitor's first authentication: a user created before the cutoff goes with its access
// tokens and credentials; tokens and credentials older than the cutoff go whoever holds them.
// Kept: `settings` (this counterpart's attester) and `credential_definitions`, which the app
// defines once for everyone (configuration, not a visitor's data).
import type { PGlite } from "@electric-sql/pglite";
import type { SweepResult } from "../lib/counterpart";
import { deleteCreatedBefore } from "../lib/retention";

const OLD_USERS = "SELECT id FROM users WHERE created_at < $1";

export const MOOJO_SWEEP: readonly string[] = [
  `DELETE FROM access_tokens WHERE issued_at < $1 OR user_id IN (${OLD_USERS})`,
  `DELETE FROM credentials WHERE created_at < $1 OR user_id IN (${OLD_USERS})`,
  "DELETE FROM users WHERE created_at < $1",
];

export function sweepMoojo(db: PGlite, createdBefore: Date): Promise<SweepResult> {
  return deleteCreatedBefore(db, MOOJO_SWEEP, createdBefore);
}
