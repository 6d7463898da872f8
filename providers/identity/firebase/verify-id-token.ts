// Verifies a Firebase ID token (https://firebase.google.com/docs/auth/admin/verify-id-tokens):
// RS256 signed by Google's securetoken keys, iss https://securetoken.google.com/<projectId>,
// aud <projectId>, exp in the future, iat and auth_time in the past, sub a non-empty uid.
//
// The Auth Emulator signs nothing (alg "none"), so anyone can write a token that LOOKS like one
// of its tokens: checking the claims of an unsigned token proves nothing. Such a token is
// accepted only when the emulator is configured AND the emulator itself confirms it: we look
// the token up at its accounts:lookup with the project's web API key ("Get user data",
// https://firebase.google.com/docs/reference/rest/auth#section-get-account-info; method
// reference https://docs.cloud.google.com/identity-platform/docs/reference/rest/v1/accounts/lookup)
// and require that the account it names is the token's subject, with the token's email and
// verification state. Never otherwise: in production an unsigned token is refused outright.
import { decodeProtectedHeader, jwtVerify, type JWTPayload, type JWTVerifyGetKey, UnsecuredJWT } from "jose";
import { fromJoseError, IdentityTokenError } from "@/lib/identity/token-error";
import { firebaseIssuer } from "./config";

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
  /**
   * Set only when FIREBASE_AUTH_EMULATOR_HOST is configured: where the Auth Emulator listens
   * (host:port) and the project's web API key. Unsigned tokens are then accepted after the
   * emulator confirms them; unset, they are refused.
   */
  emulator?: { host: string; apiKey: string };
  now?: Date;
  clockToleranceSeconds?: number;
}

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
    if (!o.emulator) {
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
  const claims = payload as FirebaseClaims;
  if (header.alg === "none") {
    // Every token the emulator issues names its sign-in method (firebase.sign_in_provider), as
    // real ID tokens do. One without it is hand-made, and the emulator's lookup answers such a
    // token with a 500, which must not pass for an outage (a client's bad input is a 4xx).
    if (typeof claims.firebase?.sign_in_provider !== "string")
      throw new IdentityTokenError("token_malformed", "The token is not a Firebase ID token.");
    // Last, after every check that costs nothing: only tokens that pass them reach the emulator.
    await confirmWithEmulator(token, claims, o.emulator!);
  }
  return claims;
}

const LOOKUP_TIMEOUT_MS = 5_000;

/**
 * Asks the Auth Emulator whether it issued this token for the account it claims. The emulator
 * answers accounts:lookup with the account named by the token's `user_id` (400 USER_NOT_FOUND
 * if there is none, or if the token predates a revocation); the token's `sub`, `email` and
 * `email_verified` must all describe that account as it is now. A hand-made token names an
 * account the emulator does not have, or claims an email or a verification it does not have.
 */
async function confirmWithEmulator(token: string, claims: FirebaseClaims, emulator: { host: string; apiKey: string }): Promise<void> {
  const url = `http://${emulator.host}/identitytoolkit.googleapis.com/v1/accounts:lookup?key=${encodeURIComponent(emulator.apiKey)}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ idToken: token }),
      signal: AbortSignal.timeout(LOOKUP_TIMEOUT_MS),
      redirect: "error",
    });
  } catch {
    throw new IdentityTokenError("provider_unreachable", "The Firebase Auth Emulator did not answer, so the token could not be checked.");
  }
  const body = (await response.json().catch(() => null)) as { users?: unknown } | null;
  if (response.status >= 500) {
    throw new IdentityTokenError("provider_unreachable", "The Firebase Auth Emulator could not check the token.");
  }
  const users = response.ok && Array.isArray(body?.users) ? (body.users as Record<string, unknown>[]) : [];
  if (users.length !== 1) {
    throw new IdentityTokenError("emulator_token_unknown", "The Firebase Auth Emulator does not know this token.");
  }
  const account = users[0]!;
  const email = (value: unknown) => (typeof value === "string" ? value.toLowerCase() : null);
  if (
    account.localId !== claims.sub ||
    email(account.email) !== email(claims.email) ||
    (account.emailVerified === true) !== (claims.email_verified === true)
  ) {
    throw new IdentityTokenError("emulator_token_mismatch", "The token does not match the Firebase Auth Emulator's account.");
  }
}

export { firebaseIssuer };
