// Verifies a Firebase ID token (https://firebase.google.com/docs/auth/admin/verify-id-tokens):
// RS256 signed by Google's securetoken keys, iss https://securetoken.google.com/<projectId>,
// aud <projectId>, exp in the future, iat and auth_time in the past, sub a non-empty uid.
//
// The Auth Emulator signs nothing (alg "none"). Such a token is accepted only when the
// caller says the emulator is configured, and never otherwise: that is the whole difference
// between a local demo and a forged identity.
import { decodeProtectedHeader, jwtVerify, type JWTPayload, type JWTVerifyGetKey, UnsecuredJWT } from "jose";
import { fromJoseError, IdentityTokenError } from "../../token-error";

export interface FirebaseClaims extends JWTPayload {
  sub: string;
  auth_time: number;
  email?: string;
  email_verified?: boolean;
  name?: string;
  firebase?: { sign_in_provider?: string; identities?: Record<string, unknown> };
}

export interface FirebaseVerifyOptions {
  projectId: string;
  keys: JWTVerifyGetKey;
  /** True only when FIREBASE_AUTH_EMULATOR_HOST is configured. */
  acceptEmulatorTokens: boolean;
  now?: Date;
  clockToleranceSeconds?: number;
}

/** The `iss` of a project's ID tokens (the same for the Auth Emulator). */
export const firebaseIssuer = (projectId: string) => `https://securetoken.google.com/${projectId}`;

export async function verifyFirebaseIdToken(token: string, o: FirebaseVerifyOptions): Promise<FirebaseClaims> {
  const now = o.now ?? new Date();
  const tolerance = o.clockToleranceSeconds ?? 30;
  const expected = {
    issuer: firebaseIssuer(o.projectId),
    audience: o.projectId,
    currentDate: now,
    clockTolerance: tolerance,
    requiredClaims: ["exp", "iat", "sub"],
  };

  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    throw new IdentityTokenError("token_malformed", "The token is malformed.");
  }

  let payload: JWTPayload;
  if (header.alg === "none") {
    if (!o.acceptEmulatorTokens) {
      throw new IdentityTokenError("unsigned_token_rejected", "Unsigned tokens are accepted only from the Firebase Auth Emulator.");
    }
    try {
      ({ payload } = UnsecuredJWT.decode(token, expected));
    } catch (error) {
      throw fromJoseError(error);
    }
  } else {
    if (header.alg !== "RS256") throw new IdentityTokenError("alg_not_allowed", "Firebase ID tokens are RS256.");
    if (!header.kid) throw new IdentityTokenError("kid_missing", "The token has no key id.");
    try {
      ({ payload } = await jwtVerify(token, o.keys, { ...expected, algorithms: ["RS256"], typ: "JWT" }));
    } catch (error) {
      throw fromJoseError(error);
    }
  }

  const nowSeconds = now.getTime() / 1000;
  if (typeof payload.sub !== "string" || payload.sub.length === 0 || payload.sub.length > 128) {
    throw new IdentityTokenError("sub_invalid", "The token has no valid subject.");
  }
  if (typeof payload.iat !== "number" || payload.iat > nowSeconds + tolerance) {
    throw new IdentityTokenError("iat_invalid", "The token's issue time is in the future.");
  }
  if (typeof payload.auth_time !== "number" || payload.auth_time > nowSeconds + tolerance) {
    throw new IdentityTokenError("auth_time_invalid", "The token's authentication time is missing or in the future.");
  }
  return payload as FirebaseClaims;
}
