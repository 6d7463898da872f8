// Turnkey's retention sweep (see ../lib/retention.ts). Sub-organizations are what visitors
// create (one per end-user): one created before the cutoff goes with everything in it (users,
// API keys, passkeys, OAuth providers, wallets and their accounts, OTPs, activities). The parent
// organization (parent_id NULL) is configuration and always stays, with its users and API keys;
// only its OTPs, verification tokens and activities older than the cutoff (they name visitors'
// emails) go.
import type { PGlite } from "@electric-sql/pglite";
import type { SweepResult } from "../lib/counterpart";
import { deleteCreatedBefore } from "../lib/retention";

const OLD_SUB_ORGS = "SELECT id FROM organizations WHERE parent_id IS NOT NULL AND created_at < $1";
const USERS_IN_OLD = `SELECT id FROM users WHERE organization_id IN (${OLD_SUB_ORGS})`;
const OLD_OTPS = `SELECT id FROM otps WHERE created_at < $1 OR organization_id IN (${OLD_SUB_ORGS})`;

export const TURNKEY_SWEEP: readonly string[] = [
  `DELETE FROM verification_tokens WHERE otp_id IN (${OLD_OTPS}) OR organization_id IN (${OLD_SUB_ORGS})`,
  `DELETE FROM otps WHERE id IN (${OLD_OTPS})`,
  `DELETE FROM activities WHERE created_at < $1 OR organization_id IN (${OLD_SUB_ORGS})`,
  `DELETE FROM wallet_accounts WHERE organization_id IN (${OLD_SUB_ORGS})`,
  `DELETE FROM wallets WHERE organization_id IN (${OLD_SUB_ORGS})`,
  `DELETE FROM oauth_providers WHERE organization_id IN (${OLD_SUB_ORGS})`,
  `DELETE FROM authenticators WHERE user_id IN (${USERS_IN_OLD})`,
  `DELETE FROM api_keys WHERE user_id IN (${USERS_IN_OLD})`,
  `DELETE FROM users WHERE organization_id IN (${OLD_SUB_ORGS})`,
  `DELETE FROM organizations WHERE id IN (${OLD_SUB_ORGS})`,
];

export function sweepTurnkey(db: PGlite, createdBefore: Date): Promise<SweepResult> {
  return deleteCreatedBefore(db, TURNKEY_SWEEP, createdBefore);
}
