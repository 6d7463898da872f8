// The Moca AIR Kit "Partner JWT" (custom auth), as https://docs.moca.network/airkit/usage/partner-authentication
// and the "Bring Your Own Auth" page describe it: partnerId, email, partnerUserId, iat, exp; RS256 or ES256 with a kid.
import type { KeySet } from "@/lib/keys/keyset";
import type { SigningAlg } from "@/lib/keys/public-jwk";
import { type SignedToken, signToken } from "./sign";

/** AIR recommends five minutes and refuses more than fifteen. */
export const PARTNER_TOKEN_LIFETIME_SECONDS = 5 * 60;

export interface PartnerTokenSubject {
  /** The app's own stable user id (never the identity provider's subject). */
  userId: string;
  /** The user's email; callers must only pass a verified one. */
  email: string;
}

export function mintPartnerToken(
  keySet: KeySet,
  options: { partnerId: string; alg: SigningAlg; subject: PartnerTokenSubject; now?: Date },
): Promise<SignedToken> {
  return signToken({
    keySet,
    alg: options.alg,
    lifetimeSeconds: PARTNER_TOKEN_LIFETIME_SECONDS,
    now: options.now,
    claims: {
      partnerId: options.partnerId,
      email: options.subject.email,
      partnerUserId: options.subject.userId,
    },
  });
}
