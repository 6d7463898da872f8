/**
 * MFA enrolment of the AIR Kit counterpart: a WebAuthn passkey, as AIR's `setupOrUpdateMfa()`
 * does ("Currently only passkey is supported as the MFA method", "Only MFA setup is currently
 * implemented, not updates": https://docs.moca.network/airkit/usage/user-management).
 *
 * Real AIR runs this ceremony inside its own iframe with its own RP id; offline the partner
 * page runs it, so the RP id is the host of the (registered) origin that asked.
 *
 * Invariants:
 * - A challenge is bound to the account and origin it was issued to, lives 5 minutes, and is
 *   consumed at most once (`UPDATE … WHERE used_at IS NULL RETURNING`) before it is checked, so
 *   one challenge never enrols twice.
 * - The attestation is verified (packages/counterparts/lib/webauthn.ts) and the passkey stored, and only
 *   then is the account marked as having MFA, in one transaction.
 */
import { randomBytes, randomUUID } from "node:crypto";
import type { PGlite } from "@electric-sql/pglite";
import { verifyRegistration, SUPPORTED_COSE_ALGORITHMS, type RegistrationResponseJson } from "../lib/webauthn";
import type { Account } from "./accounts";

export const MFA_CHALLENGE_TTL_SECONDS = 5 * 60;

export type MfaErrorCode = "mfa_already_set_up" | "mfa_challenge_not_found" | "mfa_credential_mismatch";

export class MfaError extends Error {
  override readonly name = "MfaError";
  constructor(
    readonly code: MfaErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** `PublicKeyCredentialCreationOptions` with binary members as base64url (what the client decodes). */
export interface PasskeyCreationOptions {
  readonly challenge: string;
  readonly rp: { readonly id: string; readonly name: string };
  readonly user: { readonly id: string; readonly name: string; readonly displayName: string };
  readonly pubKeyCredParams: readonly { readonly type: "public-key"; readonly alg: number }[];
  readonly authenticatorSelection: { readonly residentKey: "required"; readonly userVerification: "required" };
  readonly attestation: "none";
  readonly timeout: number;
}

interface ChallengeRow {
  id: string;
  account_id: string;
  challenge: string;
  origin: string;
  rp_id: string;
}

export class MfaEnrolment {
  constructor(
    private readonly db: PGlite,
    private readonly now: () => Date,
  ) {}

  async start(account: Account, origin: string): Promise<{ challengeId: string; publicKey: PasskeyCreationOptions }> {
    if (account.mfaSetupAt !== null) throw new MfaError("mfa_already_set_up", "MFA is already set up for this account");
    const id = randomUUID();
    const challenge = randomBytes(32).toString("base64url");
    const rpId = new URL(origin).hostname;
    const now = this.now();
    await this.db.query(
      `INSERT INTO mfa_challenges (id, account_id, challenge, origin, rp_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [id, account.id, challenge, origin, rpId, now, new Date(now.getTime() + MFA_CHALLENGE_TTL_SECONDS * 1000)],
    );
    return {
      challengeId: id,
      publicKey: {
        challenge,
        rp: { id: rpId, name: "AIR Kit (local)" },
        user: { id: Buffer.from(account.id).toString("base64url"), name: account.email, displayName: account.email },
        pubKeyCredParams: SUPPORTED_COSE_ALGORITHMS.map((alg) => ({ type: "public-key" as const, alg })),
        authenticatorSelection: { residentKey: "required", userVerification: "required" },
        attestation: "none",
        timeout: MFA_CHALLENGE_TTL_SECONDS * 1000,
      },
    };
  }

  /** Verifies the registration for a challenge of this account; throws WebAuthnError or MfaError. */
  async finish(account: Account, challengeId: string, credentialId: string, response: RegistrationResponseJson): Promise<void> {
    const now = this.now();
    const consumed = await this.db.query<ChallengeRow>(
      `UPDATE mfa_challenges SET used_at = $3 WHERE id = $1 AND account_id = $2 AND used_at IS NULL AND expires_at > $3 RETURNING *`,
      [challengeId, account.id, now],
    );
    const challenge = consumed.rows[0];
    if (!challenge) throw new MfaError("mfa_challenge_not_found", "No usable passkey challenge: start MFA set-up again");
    const registered = verifyRegistration(response, {
      challenge: challenge.challenge,
      origins: [challenge.origin],
      rpId: challenge.rp_id,
      requireUserVerification: true,
    });
    if (registered.credentialId !== credentialId)
      throw new MfaError("mfa_credential_mismatch", "The credential id does not match the attested credential");
    await this.db.transaction(async (tx) => {
      const marked = await tx.query(`UPDATE accounts SET mfa_setup_at = $2 WHERE id = $1 AND mfa_setup_at IS NULL RETURNING id`, [
        account.id,
        now,
      ]);
      if (marked.rows.length === 0) throw new MfaError("mfa_already_set_up", "MFA is already set up for this account");
      await tx.query(
        `INSERT INTO passkeys (credential_id, account_id, public_key_jwk, alg, sign_count, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
        [
          registered.credentialId,
          account.id,
          JSON.stringify(registered.publicKey.jwk),
          registered.publicKey.alg,
          registered.signCount,
          now,
        ],
      );
    });
  }
}
