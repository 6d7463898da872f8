/**
 * Verification of AIR Kit "Partner JWTs": the tokens a partner's backend signs to log its own
 * users into AIR Kit (custom auth / bring your own auth).
 *
 * Order of checks, and why:
 * 1. Shape and protected header (alg, typ, kid) are checked before any key is looked up, so a
 *    token with `alg: none` or `HS256` never reaches key resolution (no alg-confusion, and no
 *    JWKS fetch can be triggered by junk).
 * 2. The key comes only from the JWKS registered for the partner named by the request; keys
 *    embedded in the token (`jwk`, `jku`, `x5u`, `x5c`) are never consulted.
 * 3. Claims are interpreted only after the signature verified, so no claim-level error is ever
 *    reported for an unauthenticated token.
 *
 * Every failure is a `PartnerTokenError` with a stable `code`. Messages are our own; messages
 * of upstream errors (jose, fetch) are kept as `cause` for server logs only.
 */
import { createRemoteJWKSet, decodeProtectedHeader, errors, jwtVerify, type JWTPayload, type RemoteJWKSet } from "jose";
import { normalizeMediaType, resolveJwksKey } from "../lib/jwks";
import { z } from "zod";

export const PARTNER_TOKEN_ALGORITHMS = ["RS256", "ES256"] as const;
export const DEFAULT_CLOCK_TOLERANCE_SECONDS = 30;
/** AIR Kit refuses partner tokens that live longer than 15 minutes. */
export const DEFAULT_MAX_LIFETIME_SECONDS = 15 * 60;
export const DEFAULT_JWKS_CACHE_MAX_AGE_MS = 10 * 60 * 1000;
export const DEFAULT_JWKS_COOLDOWN_MS = 30 * 1000;
export const DEFAULT_JWKS_TIMEOUT_MS = 5 * 1000;
/** Far above any legitimate partner token; bounds the work spent on hostile input. */
export const MAX_TOKEN_LENGTH = 16 * 1024;

export type PartnerTokenErrorCode =
  | "token_malformed"
  | "alg_not_allowed"
  | "kid_missing"
  | "typ_missing"
  | "typ_invalid"
  | "partner_unknown"
  | "kid_unknown"
  | "jwks_unreachable"
  | "jwks_invalid"
  | "signature_invalid"
  | "token_expired"
  | "token_not_yet_valid"
  | "iat_missing"
  | "iat_in_future"
  | "exp_missing"
  | "lifetime_too_long"
  | "partner_mismatch"
  | "email_missing"
  | "email_invalid"
  | "partner_user_id_invalid";

export class PartnerTokenError extends Error {
  override readonly name = "PartnerTokenError";
  constructor(
    readonly code: PartnerTokenErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface PartnerRegistration {
  readonly partnerId: string;
  /** Public http(s) URL of the partner's JWKS. */
  readonly jwksUrl: string;
}

export interface PartnerTokenVerifierOptions {
  readonly partners: readonly PartnerRegistration[];
  readonly clockToleranceSeconds?: number;
  readonly maxLifetimeSeconds?: number;
  /** How long fetched keys are used before the JWKS is fetched again. */
  readonly jwksCacheMaxAgeMs?: number;
  /** Minimum time between two fetches caused by an unknown `kid` (rate-limits key rotation refetches). */
  readonly jwksCooldownMs?: number;
  readonly jwksTimeoutMs?: number;
  /** Clock for claim checks (tests freeze it). JWKS caching uses the real clock. */
  readonly now?: () => Date;
}

export interface VerifiedPartnerToken {
  /** Lower-cased email: the AIR account identifier. */
  readonly email: string;
  readonly partnerUserId?: string;
  readonly claims: JWTPayload;
}

export interface PartnerTokenVerifier {
  hasPartner(partnerId: string): boolean;
  verify(partnerId: string, token: string): Promise<VerifiedPartnerToken>;
}

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const MAX_KID_LENGTH = 256;
const MAX_EMAIL_LENGTH = 254;
const MAX_PARTNER_USER_ID_LENGTH = 256;
const emailSchema = z.email();

export function createPartnerTokenVerifier(options: PartnerTokenVerifierOptions): PartnerTokenVerifier {
  const clockTolerance = options.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS;
  const maxLifetime = options.maxLifetimeSeconds ?? DEFAULT_MAX_LIFETIME_SECONDS;
  const now = options.now ?? (() => new Date());
  if (!(clockTolerance >= 0) || !(maxLifetime > 0)) {
    throw new TypeError("clockToleranceSeconds must be >= 0 and maxLifetimeSeconds > 0");
  }

  // One remote key set per partner, created once: it holds the key cache and the refetch
  // cooldown, which would be useless (and a fetch amplifier) if rebuilt per request.
  const keySets = new Map<string, RemoteJWKSet>();
  for (const partner of options.partners) {
    if (keySets.has(partner.partnerId)) throw new TypeError(`Duplicate partnerId ${partner.partnerId}`);
    const url = new URL(partner.jwksUrl);
    if (url.protocol !== "https:" && url.protocol !== "http:") {
      throw new TypeError(`JWKS URL of ${partner.partnerId} must be http(s)`);
    }
    keySets.set(
      partner.partnerId,
      createRemoteJWKSet(url, {
        cacheMaxAge: options.jwksCacheMaxAgeMs ?? DEFAULT_JWKS_CACHE_MAX_AGE_MS,
        cooldownDuration: options.jwksCooldownMs ?? DEFAULT_JWKS_COOLDOWN_MS,
        timeoutDuration: options.jwksTimeoutMs ?? DEFAULT_JWKS_TIMEOUT_MS,
      }),
    );
  }

  return {
    hasPartner: (partnerId) => keySets.has(partnerId),
    async verify(partnerId, token) {
      checkProtectedHeader(token);

      const keySet = keySets.get(partnerId);
      if (!keySet) throw new PartnerTokenError("partner_unknown", "This partnerId is not registered");

      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(
          token,
          (header, jws) =>
            resolveJwksKey(keySet, [header, jws], (code, cause) => new PartnerTokenError(code, JWKS_MESSAGES[code], { cause })),
          {
            algorithms: [...PARTNER_TOKEN_ALGORITHMS],
            requiredClaims: ["iat", "exp"],
            clockTolerance,
            currentDate: now(),
          },
        ));
      } catch (error) {
        throw mapJoseError(error);
      }
      return checkClaims(payload, partnerId, now(), clockTolerance, maxLifetime);
    },
  };
}

/** Structure and protected-header rules; runs before any key lookup. */
function checkProtectedHeader(token: string): void {
  if (typeof token !== "string" || token.length > MAX_TOKEN_LENGTH || !COMPACT_JWS.test(token)) {
    throw new PartnerTokenError("token_malformed", "Token is not a compact JWS");
  }
  let header: Record<string, unknown>;
  try {
    header = decodeProtectedHeader(token) as Record<string, unknown>;
  } catch (cause) {
    throw new PartnerTokenError("token_malformed", "Token header cannot be decoded", { cause });
  }
  const { alg, typ, kid } = header;
  if (typeof alg !== "string" || !(PARTNER_TOKEN_ALGORITHMS as readonly string[]).includes(alg)) {
    throw new PartnerTokenError("alg_not_allowed", `Token alg must be one of ${PARTNER_TOKEN_ALGORITHMS.join(", ")}`);
  }
  if (typ === undefined) throw new PartnerTokenError("typ_missing", 'Token header must have typ "JWT"');
  if (typeof typ !== "string" || normalizeMediaType(typ) !== "jwt") {
    throw new PartnerTokenError("typ_invalid", 'Token header typ must be "JWT"');
  }
  if (kid === undefined || kid === "") throw new PartnerTokenError("kid_missing", "Token header must have a kid");
  if (typeof kid !== "string" || kid.length > MAX_KID_LENGTH) {
    throw new PartnerTokenError("token_malformed", "Token header kid must be a short string");
  }
}

const JWKS_MESSAGES = {
  kid_unknown: "No key with this kid (and alg) in the partner JWKS",
  jwks_invalid: "The partner JWKS is malformed, ambiguous or unusable",
  jwks_unreachable: "The partner JWKS could not be fetched",
} as const;

function mapJoseError(error: unknown): Error {
  if (error instanceof PartnerTokenError) return error;
  if (error instanceof errors.JWTExpired) {
    return new PartnerTokenError("token_expired", "Token has expired", { cause: error });
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.reason === "missing" && error.claim === "iat") {
      return new PartnerTokenError("iat_missing", "Token must have an iat claim", { cause: error });
    }
    if (error.reason === "missing" && error.claim === "exp") {
      return new PartnerTokenError("exp_missing", "Token must have an exp claim", { cause: error });
    }
    if (error.claim === "nbf" && error.reason === "check_failed") {
      return new PartnerTokenError("token_not_yet_valid", "Token is not valid yet (nbf)", { cause: error });
    }
    return new PartnerTokenError("token_malformed", "Token has an invalid time claim", { cause: error });
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return new PartnerTokenError("signature_invalid", "Token signature does not verify", { cause: error });
  }
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return new PartnerTokenError("alg_not_allowed", "Token alg is not allowed", { cause: error });
  }
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) {
    return new PartnerTokenError("token_malformed", "Token is malformed", { cause: error });
  }
  if (error instanceof errors.JOSEError) {
    // Any other jose refusal is still a rejected token; the cause is kept for the server log.
    return new PartnerTokenError("signature_invalid", "Token could not be verified", { cause: error });
  }
  // Not a verdict on the token but a fault (a bug, or e.g. an RSA key under 2048 bits in the
  // partner JWKS): surface it as such rather than disguise it as a rejection.
  return error instanceof Error ? error : new Error("Partner token verification failed", { cause: error });
}

/** Rules on authenticated claims that jose does not cover. */
function checkClaims(claims: JWTPayload, partnerId: string, now: Date, clockTolerance: number, maxLifetime: number): VerifiedPartnerToken {
  // jose has already checked that iat and exp are present and numeric.
  const iat = claims.iat as number;
  const exp = claims.exp as number;
  const nowSeconds = Math.floor(now.getTime() / 1000);
  if (iat > nowSeconds + clockTolerance) {
    throw new PartnerTokenError("iat_in_future", "Token iat is in the future");
  }
  if (exp <= iat) throw new PartnerTokenError("token_malformed", "Token exp must be after iat");
  if (exp - iat > maxLifetime) {
    throw new PartnerTokenError("lifetime_too_long", `Token lifetime must not exceed ${maxLifetime} seconds`);
  }
  if (claims.partnerId !== partnerId) {
    throw new PartnerTokenError("partner_mismatch", "Token partnerId claim does not match the partner logging in");
  }

  const { email, partnerUserId } = claims;
  if (email === undefined || email === null || email === "") {
    throw new PartnerTokenError("email_missing", "Token must have an email claim");
  }
  if (typeof email !== "string" || email.length > MAX_EMAIL_LENGTH || !emailSchema.safeParse(email).success) {
    throw new PartnerTokenError("email_invalid", "Token email claim is not a valid address");
  }
  if (
    partnerUserId !== undefined &&
    (typeof partnerUserId !== "string" || partnerUserId === "" || partnerUserId.length > MAX_PARTNER_USER_ID_LENGTH)
  ) {
    throw new PartnerTokenError("partner_user_id_invalid", "Token partnerUserId must be a non-empty short string");
  }

  return {
    email: email.toLowerCase(),
    ...(partnerUserId !== undefined ? { partnerUserId } : {}),
    claims,
  };
}
