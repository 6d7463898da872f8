// Verifies the session token AIR Kit returns after login (AirLoginResult.token), before the
// server records anything. The browser could send anything; what counts is only what AIR
// signed, checked as "User Login & Sessions" documents it
// (https://docs.moca.network/airkit/usage/user-authentication): a JWT verifiable with AIR's JWKS
// (https://static.air3.com/.well-known/jwks.json) whose claims are `sub`,
// `abstractAccountAddress`, `partnerId`, `partnerUserId?`, `sourcePartnerId?`.
//
// Checked: the signature against the configured JWKS; the algorithm (asymmetric only, the two
// AIR uses for JWTs: no `none`, no HMAC); `exp` (required: a session without an end is refused)
// and `iat` when present (not in the future); the documented claims' shape; `partnerId` = ours,
// since that claim is where AIR puts the audience. NOT required, because the page does not list
// them: `aud`, `iss` (checked only if AIRKIT_TOKEN_ISSUER is set), `typ`, `kid`, `jti`.
//
// Who the session belongs to (the linking rule; docs/going-live/airkit.md):
// - `sourcePartnerId` naming another partner: the session was carried over from that partner's
//   app (`goToPartner`), not opened with this app's partner token, so it says nothing about
//   which of this app's users it is. Refused (`air_session_shared`); this app never rehydrates
//   such sessions anyway (skipRehydration: true).
// - `partnerUserId` present: AIR's statement of whose account this is for us; it must be the
//   signed-in user (`air_session_other_user` otherwise).
// - `partnerUserId` absent (optional in the docs): AIR makes no statement, so the caller must
//   bind the account (`sub`) to one app user for good and refuse it to everyone else (see
//   index.ts). Never accepted on the browser's word alone.
import { errors as joseErrors, jwtVerify, type JWTVerifyGetKey } from "jose";
import { AppError } from "@/lib/http/errors";
import { remoteJwks } from "@/lib/keys/remote-jwks";
import { airTokenClaimsSchema, type AirTokenClaims } from "./schema";

export const AIR_TOKEN_ALGORITHMS = ["ES256", "RS256"];
const CLOCK_TOLERANCE_SECONDS = 30;

export type VerifiedAirClaims = AirTokenClaims & { exp: number };

const rejected = (reason: string) =>
  new AppError("air_token_invalid", 401, `AIR Kit's session token was rejected (${reason}). Connect again.`);

export async function verifyAirToken(
  token: string,
  expected: {
    jwksUrl: string;
    partnerId: string;
    /** The signed-in app user: the only acceptable `partnerUserId`. */
    userId: string;
    issuer?: string;
    /** Tests freeze the clock. */
    now?: Date;
    /** Tests pass a local key set; otherwise the JWKS at `jwksUrl`. */
    keys?: JWTVerifyGetKey;
  },
): Promise<VerifiedAirClaims> {
  let payload: unknown;
  try {
    ({ payload } = await jwtVerify(token, expected.keys ?? remoteJwks(expected.jwksUrl), {
      algorithms: AIR_TOKEN_ALGORITHMS,
      ...(expected.issuer ? { issuer: expected.issuer } : {}),
      requiredClaims: ["exp"],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      ...(expected.now ? { currentDate: expected.now } : {}),
    }));
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) throw rejected("expired");
    if (error instanceof joseErrors.JWKSTimeout || !(error instanceof joseErrors.JOSEError)) {
      // Not a verdict on the token: the key server was unreachable or answered garbage.
      throw new AppError("upstream_unavailable", 502, "AIR Kit's key server did not answer. Try again in a moment.");
    }
    throw rejected(error.code);
  }
  const parsed = airTokenClaimsSchema.safeParse(payload);
  if (!parsed.success) throw rejected(`claim ${parsed.error.issues[0]?.path.join(".") || "shape"} is not as documented`);
  const claims = parsed.data as VerifiedAirClaims;
  const nowSeconds = (expected.now ?? new Date()).getTime() / 1000;
  if (claims.iat !== undefined && claims.iat > nowSeconds + CLOCK_TOLERANCE_SECONDS) throw rejected("issued in the future");
  if (claims.partnerId !== expected.partnerId) throw rejected("issued for another partner");
  if (claims.sourcePartnerId !== undefined && claims.sourcePartnerId !== expected.partnerId) {
    throw new AppError(
      "air_session_shared",
      403,
      "This AIR Kit session was carried over from another app, so it cannot be linked to your account here. Sign out of AIR Kit and connect again.",
    );
  }
  if (claims.partnerUserId !== undefined && claims.partnerUserId !== expected.userId) {
    throw new AppError(
      "air_session_other_user",
      403,
      "This AIR Kit session belongs to someone else who used this browser. Connect again to sign in to AIR Kit as yourself.",
    );
  }
  return claims;
}
