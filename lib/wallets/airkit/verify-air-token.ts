// Verifies the session token AIR Kit returns after login, before the server records the
// wallet. The browser could send anything; only a token signed by AIR, for our partner id,
// naming our user as partnerUserId, is accepted.
import { decodeProtectedHeader, errors as joseErrors, jwtVerify, type JWTPayload } from "jose";
import { AppError } from "@/lib/http/errors";
import { remoteJwks } from "@/lib/keys/remote-jwks";

export interface AirTokenClaims extends JWTPayload {
  sub: string;
  exp: number;
  abstractAccountAddress: string;
  partnerId: string;
  partnerUserId?: string;
}

const rejected = (reason: string) => new AppError("air_token_invalid", 401, `AIR Kit's session token was rejected (${reason}). Connect again.`);

export async function verifyAirToken(
  token: string,
  expected: { jwksUrl: string; partnerId: string; partnerUserId: string; issuer?: string },
): Promise<AirTokenClaims> {
  let payload: JWTPayload;
  try {
    if (!decodeProtectedHeader(token).kid) throw rejected("no key id");
    ({ payload } = await jwtVerify(token, remoteJwks(expected.jwksUrl), {
      algorithms: ["ES256", "RS256"],
      issuer: expected.issuer,
      audience: expected.partnerId,
      typ: "JWT",
      requiredClaims: ["sub", "exp", "iat"],
      clockTolerance: 30,
    }));
  } catch (error) {
    if (error instanceof AppError) throw error;
    if (error instanceof joseErrors.JWTExpired) throw rejected("expired");
    if (error instanceof joseErrors.JWKSTimeout || !(error instanceof joseErrors.JOSEError)) {
      // Not a verdict on the token: the key server was unreachable or answered garbage.
      throw new AppError("upstream_unavailable", 502, "AIR Kit's key server did not answer. Try again in a moment.");
    }
    throw rejected(error.code);
  }
  if ((payload.iat ?? 0) > Date.now() / 1000 + 30) throw rejected("issued in the future");
  if (payload.partnerId !== expected.partnerId) throw rejected("wrong partner");
  if (payload.partnerUserId !== expected.partnerUserId) throw rejected("issued for another user");
  if (typeof payload.abstractAccountAddress !== "string" || !/^0x[0-9a-fA-F]{40}$/.test(payload.abstractAccountAddress)) {
    throw rejected("no account address");
  }
  return payload as AirTokenClaims;
}
