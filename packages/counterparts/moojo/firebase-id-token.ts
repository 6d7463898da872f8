/**
 * Verification of Firebase ID tokens, the only identity Moojo's "authenticate with JWT" takes.
 *
 * The rules are those of the Firebase Admin SDK's `verifyIdToken`:
 * - header `alg: RS256` and a `kid` naming a key of Google's securetoken JWKS;
 * - `iss = https://securetoken.google.com/<projectId>`, `aud = <projectId>`;
 * - `exp` in the future, `iat` and `auth_time` not in the future;
 * - `sub` (the Firebase uid) a non-empty string of at most 128 characters.
 *
 * Unsigned tokens (`alg: none`) are what the Firebase Auth Emulator issues. They are accepted
 * only when the verifier is built with `emulatorHost` (as firebase-admin does with
 * FIREBASE_AUTH_EMULATOR_HOST), and then only for a `demo-*` project: such a project cannot
 * exist in production, so a production configuration (a real project id) can never be talked
 * into accepting a token anybody can forge. Unsigned tokens go through the same claim checks.
 *
 * Order of checks, and why:
 * 1. Shape and `alg` before any key lookup: `alg: none` (without emulator), `HS256` and junk
 *    never reach the JWKS, so they cannot cause fetches or alg confusion.
 * 2. The key comes only from the configured JWKS by `kid`; keys embedded in the token
 *    (`jwk`, `jku`, `x5u`, `x5c`) are never consulted.
 * 3. Claims are read only after the signature verified, so no claim-level error is ever
 *    reported for an unauthenticated RS256 token.
 *
 * Every rejection is a `FirebaseIdTokenError` with a stable `code`. Messages are our own;
 * upstream errors (jose, fetch) are kept as `cause`, for server logs only.
 */
import { compactVerify, createRemoteJWKSet, decodeProtectedHeader, errors, type RemoteJWKSet } from "jose";

export const FIREBASE_SECURETOKEN_JWKS_URL = "https://www.googleapis.com/service_accounts/v1/jwk/securetoken@system.gserviceaccount.com";
export const FIREBASE_ISSUER_PREFIX = "https://securetoken.google.com/";
export const DEFAULT_CLOCK_TOLERANCE_SECONDS = 5;
export const DEFAULT_JWKS_CACHE_MAX_AGE_MS = 60 * 60 * 1000;
export const DEFAULT_JWKS_COOLDOWN_MS = 30 * 1000;
export const DEFAULT_JWKS_TIMEOUT_MS = 5 * 1000;
/** Firebase ID tokens are ~1 KB; this bounds the work spent on hostile input. */
export const MAX_TOKEN_LENGTH = 16 * 1024;
/** The Admin SDK's limit on uids. */
export const MAX_UID_LENGTH = 128;

export type FirebaseIdTokenErrorCode =
  | "token_malformed"
  | "alg_not_allowed"
  | "unsigned_token_rejected"
  | "kid_unknown"
  | "jwks_unreachable"
  | "jwks_invalid"
  | "signature_invalid"
  | "token_expired"
  | "iat_invalid"
  | "iss_invalid"
  | "aud_invalid"
  | "auth_time_invalid"
  | "sub_invalid";

export class FirebaseIdTokenError extends Error {
  override readonly name = "FirebaseIdTokenError";
  constructor(
    readonly code: FirebaseIdTokenErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface FirebaseIdTokenVerifierOptions {
  readonly projectId: string;
  /** Google's securetoken JWKS unless set (tests point it at a local server). */
  readonly jwksUrl?: string;
  /**
   * `host:port` of a Firebase Auth Emulator. When set, and only then, unsigned emulator
   * tokens are accepted; requires a `demo-*` projectId.
   */
  readonly emulatorHost?: string;
  readonly clockToleranceSeconds?: number;
  /** How long fetched keys are used before the JWKS is fetched again. */
  readonly jwksCacheMaxAgeMs?: number;
  /** Minimum time between two fetches caused by an unknown `kid`. */
  readonly jwksCooldownMs?: number;
  readonly jwksTimeoutMs?: number;
  /** Clock for claim checks (tests freeze it). JWKS caching uses the real clock. */
  readonly now?: () => Date;
}

export interface VerifiedFirebaseIdToken {
  /** The Firebase uid (`sub`). */
  readonly uid: string;
  readonly email?: string;
  readonly emailVerified: boolean;
  readonly signInProvider?: string;
  readonly authTime: Date;
  /** True for an unsigned token accepted because the emulator is configured. */
  readonly fromEmulator: boolean;
}

export interface FirebaseIdTokenVerifier {
  readonly projectId: string;
  readonly acceptsEmulatorTokens: boolean;
  verify(token: string): Promise<VerifiedFirebaseIdToken>;
}

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const DEMO_PROJECT_ID = /^demo-[a-z0-9](?:[a-z0-9-]{0,23}[a-z0-9])?$/;
/** Firebase project ids: 6-30 chars, lower-case letters, digits, hyphens; starts with a letter. */
const PROJECT_ID = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
const EMULATOR_HOST = /^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:]+\]):[0-9]{1,5}$/;
const MAX_KID_LENGTH = 256;
const MAX_EMAIL_LENGTH = 320;

export function createFirebaseIdTokenVerifier(options: FirebaseIdTokenVerifierOptions): FirebaseIdTokenVerifier {
  const { projectId } = options;
  const tolerance = options.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS;
  const now = options.now ?? (() => new Date());
  if (!PROJECT_ID.test(projectId)) throw new TypeError(`Not a Firebase project id: ${JSON.stringify(projectId)}`);
  if (!(tolerance >= 0 && tolerance <= 300)) throw new TypeError("clockToleranceSeconds must be in [0, 300]");
  const acceptsEmulatorTokens = options.emulatorHost !== undefined;
  if (acceptsEmulatorTokens) {
    if (!EMULATOR_HOST.test(options.emulatorHost ?? "")) throw new TypeError("emulatorHost must be host:port");
    if (!DEMO_PROJECT_ID.test(projectId)) {
      throw new TypeError("Unsigned emulator tokens can only be accepted for a demo-* project id");
    }
  }

  const jwksUrl = new URL(options.jwksUrl ?? FIREBASE_SECURETOKEN_JWKS_URL);
  if (jwksUrl.protocol !== "https:" && jwksUrl.protocol !== "http:") throw new TypeError("jwksUrl must be http(s)");
  // Created once: it holds the key cache and the refetch cooldown, which would be useless
  // (and a fetch amplifier) if rebuilt per request. Nothing is fetched until an RS256 token
  // arrives, so an offline emulator-only setup never touches Google.
  const keySet = createRemoteJWKSet(jwksUrl, {
    cacheMaxAge: options.jwksCacheMaxAgeMs ?? DEFAULT_JWKS_CACHE_MAX_AGE_MS,
    cooldownDuration: options.jwksCooldownMs ?? DEFAULT_JWKS_COOLDOWN_MS,
    timeoutDuration: options.jwksTimeoutMs ?? DEFAULT_JWKS_TIMEOUT_MS,
  });
  const issuer = `${FIREBASE_ISSUER_PREFIX}${projectId}`;

  return {
    projectId,
    acceptsEmulatorTokens,
    async verify(token) {
      if (typeof token !== "string" || token.length > MAX_TOKEN_LENGTH || !COMPACT_JWS.test(token)) {
        throw new FirebaseIdTokenError("token_malformed", "Token is not a compact JWS");
      }
      let header: Record<string, unknown>;
      try {
        header = decodeProtectedHeader(token) as Record<string, unknown>;
      } catch (cause) {
        throw new FirebaseIdTokenError("token_malformed", "Token header cannot be decoded", { cause });
      }

      let payload: Record<string, unknown>;
      if (header.alg === "none") {
        if (!acceptsEmulatorTokens) {
          throw new FirebaseIdTokenError(
            "unsigned_token_rejected",
            "Unsigned tokens (alg none) are only accepted from a configured Firebase Auth Emulator",
          );
        }
        const [, encodedPayload = "", signature] = token.split(".");
        if (signature !== "" || header.crit !== undefined) {
          throw new FirebaseIdTokenError("token_malformed", "An unsigned token must have an empty signature");
        }
        payload = parsePayload(Buffer.from(encodedPayload, "base64url"));
      } else if (header.alg === "RS256") {
        const { kid } = header;
        if (typeof kid !== "string" || kid === "" || kid.length > MAX_KID_LENGTH) {
          throw new FirebaseIdTokenError("token_malformed", "Token header must have a kid");
        }
        let verified: Uint8Array;
        try {
          ({ payload: verified } = await compactVerify(token, (h, t) => resolveKey(keySet, h, t), {
            algorithms: ["RS256"],
          }));
        } catch (error) {
          throw mapJoseError(error);
        }
        payload = parsePayload(verified);
      } else {
        throw new FirebaseIdTokenError("alg_not_allowed", "Firebase ID tokens must be RS256");
      }

      return checkClaims(payload, { issuer, projectId, now: now(), tolerance, fromEmulator: header.alg === "none" });
    },
  };
}

function parsePayload(bytes: Uint8Array): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch (cause) {
    throw new FirebaseIdTokenError("token_malformed", "Token payload is not JSON", { cause });
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new FirebaseIdTokenError("token_malformed", "Token payload is not a JSON object");
  }
  return value as Record<string, unknown>;
}

/** Looks the key up in the JWKS, turning key-set failures into our codes. */
async function resolveKey(keySet: RemoteJWKSet, ...args: Parameters<RemoteJWKSet>): Promise<CryptoKey> {
  try {
    // On an unknown kid this refetches the JWKS at most once per cooldown period.
    return await keySet(...args);
  } catch (error) {
    if (error instanceof errors.JWKSNoMatchingKey) {
      throw new FirebaseIdTokenError("kid_unknown", "No key with this kid in the securetoken JWKS", { cause: error });
    }
    if (
      error instanceof errors.JWKSMultipleMatchingKeys ||
      error instanceof errors.JWKSInvalid ||
      error instanceof errors.JOSENotSupported ||
      error instanceof errors.JWKInvalid
    ) {
      throw new FirebaseIdTokenError("jwks_invalid", "The securetoken JWKS is malformed or ambiguous", { cause: error });
    }
    // Timeouts, network errors and non-200 answers.
    throw new FirebaseIdTokenError("jwks_unreachable", "The securetoken JWKS could not be fetched", { cause: error });
  }
}

function mapJoseError(error: unknown): Error {
  if (error instanceof FirebaseIdTokenError) return error;
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return new FirebaseIdTokenError("signature_invalid", "Token signature does not verify", { cause: error });
  }
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return new FirebaseIdTokenError("alg_not_allowed", "Firebase ID tokens must be RS256", { cause: error });
  }
  if (error instanceof errors.JOSEError) {
    // JWSInvalid, an unsupported `crit`, ...: the token itself is unusable.
    return new FirebaseIdTokenError("token_malformed", "Token is malformed", { cause: error });
  }
  // Not a verdict on the token but a fault (a bug, or e.g. a short RSA key in the JWKS):
  // surface it as such rather than disguise it as a rejection.
  return error instanceof Error ? error : new Error("Firebase ID token verification failed", { cause: error });
}

function isNumericDate(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value) && value >= 0;
}

function checkClaims(
  claims: Record<string, unknown>,
  context: { issuer: string; projectId: string; now: Date; tolerance: number; fromEmulator: boolean },
): VerifiedFirebaseIdToken {
  const { issuer, projectId, tolerance, fromEmulator } = context;
  const nowSeconds = context.now.getTime() / 1000;

  // Which project the token is for comes first: a token for another project is that, not
  // "expired" or anything else.
  if (claims.iss !== issuer) throw new FirebaseIdTokenError("iss_invalid", `Token iss must be ${issuer}`);
  // Firebase sets aud to the project id as a plain string; an array is not a Firebase token.
  if (claims.aud !== projectId) throw new FirebaseIdTokenError("aud_invalid", `Token aud must be ${projectId}`);

  const { exp, iat, auth_time: authTime, sub } = claims;
  if (!isNumericDate(exp) || !isNumericDate(iat)) {
    throw new FirebaseIdTokenError("token_malformed", "Token must have numeric exp and iat claims");
  }
  if (exp <= iat) throw new FirebaseIdTokenError("token_malformed", "Token exp must be after iat");
  if (exp <= nowSeconds - tolerance) throw new FirebaseIdTokenError("token_expired", "Token has expired");
  if (iat > nowSeconds + tolerance) throw new FirebaseIdTokenError("iat_invalid", "Token iat is in the future");
  if (!isNumericDate(authTime) || authTime > nowSeconds + tolerance) {
    throw new FirebaseIdTokenError("auth_time_invalid", "Token auth_time must be a time in the past");
  }
  if (typeof sub !== "string" || sub === "" || sub.length > MAX_UID_LENGTH) {
    throw new FirebaseIdTokenError("sub_invalid", `Token sub must be a non-empty string of at most ${MAX_UID_LENGTH} characters`);
  }

  // Optional profile claims: used only when well-formed, never trusted for identity.
  const email = typeof claims.email === "string" && claims.email.length <= MAX_EMAIL_LENGTH ? claims.email : undefined;
  const firebase = claims.firebase as { sign_in_provider?: unknown } | undefined;
  const signInProvider = typeof firebase?.sign_in_provider === "string" ? firebase.sign_in_provider : undefined;
  return {
    uid: sub,
    ...(email !== undefined ? { email } : {}),
    emailVerified: claims.email_verified === true,
    ...(signInProvider !== undefined ? { signInProvider } : {}),
    authTime: new Date(authTime * 1000),
    fromEmulator,
  };
}
