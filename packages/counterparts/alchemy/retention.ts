// Alchemy's retention sweep (see ../lib/retention.ts). Every signer user here was created by a
// visitor's first authentication (nothing is seeded): a user created before the cutoff goes with
// its stamping keys; any stamping key issued before the cutoff goes too.
import type { PGlite } from "@electric-sql/pglite";
import type { SweepResult } from "../lib/counterpart";
import { deleteCreatedBefore } from "../lib/retention";

export const ALCHEMY_SWEEP: readonly string[] = [
  "DELETE FROM api_keys WHERE created_at < $1 OR user_id IN (SELECT id FROM users WHERE created_at < $1)",
  "DELETE FROM users WHERE created_at < $1",
];

export function sweepAlchemy(db: PGlite, createdBefore: Date): Promise<SweepResult> {
  return deleteCreatedBefore(db, ALCHEMY_SWEEP, createdBefore);
}
