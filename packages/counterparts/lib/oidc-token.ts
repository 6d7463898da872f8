/**
 * Verification of OpenID Connect ID tokens from a partner's own issuer, through the issuer's
 * discovery document: `{iss}/.well-known/openid-configuration` → `jwks_uri` → key by `kid`.
 * Used by the Turnkey (`oauth_login`) and Alchemy (`auth-jwt`) counterparts.
 *
 * Order of checks, and why:
 * 1. Shape and protected header (alg, typ, kid) before anything else, so `alg: none`, HMAC
 *    (alg confusion) and other junk never trigger a network request.
 * 2. The unverified `iss` goes to the caller's `issuerAllowed` before any fetch: the token
 *    names the URL we fetch, so without this gate any caller could make us fetch any URL.
 * 3. Discovery must name itself as exactly `iss` (OIDC Discovery §4.3), so a document cannot
 *    vouch for another issuer; keys come only from its `jwks_uri`, never from the token
 *    (`jwk`, `jku`, `x5u`, `x5c` are ignored).
 * 4. Claims (aud, exp, iat, nonce) are interpreted only after the signature verified.
 *
 * Caching: one entry per issuer (discovery + jose remote key set), reused across requests
 * for `discoveryCacheMaxAgeMs`; concurrent first requests share one fetch. The key set
 * refetches the JWKS at most once per `jwksCooldownMs` when a token names an unknown kid
 * (key rotation). At most `maxIssuers` issuers are cached (oldest evicted first).
 *
 * Every failure is an `OidcTokenError` with a stable code; upstream messages stay in `cause`.
 */
import {
  createRemoteJWKSet,
  customFetch,
  decodeJwt,
  decodeProtectedHeader,
  errors,
  jwtVerify,
  type JWTPayload,
  type RemoteJWKSet,
} from "jose";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";
import { normalizeMediaType, resolveJwksKey } from "./jwks";

export type OidcAlgorithm = "RS256" | "ES256";

export const DEFAULT_CLOCK_TOLERANCE_SECONDS = 30;
export const DEFAULT_DISCOVERY_CACHE_MAX_AGE_MS = 10 * 60 * 1000;
export const DEFAULT_JWKS_CACHE_MAX_AGE_MS = 10 * 60 * 1000;
export const DEFAULT_JWKS_COOLDOWN_MS = 30 * 1000;
export const DEFAULT_FETCH_TIMEOUT_MS = 5 * 1000;
export const DEFAULT_MAX_ISSUERS = 64;
/** Far above any real ID token; bounds the work spent on hostile input. */
export const MAX_TOKEN_LENGTH = 16 * 1024;
const MAX_DISCOVERY_BYTES = 64 * 1024;
const MAX_KID_LENGTH = 256;
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const DISCOVERY_PATH = "/.well-known/openid-configuration";

export type OidcTokenErrorCode =
  | "token_malformed"
  | "alg_none"
  | "alg_hmac"
  | "alg_not_allowed"
  | "typ_missing"
  | "typ_invalid"
  | "kid_missing"
  | "iss_missing"
  | "issuer_not_allowed"
  | "discovery_unreachable"
  | "discovery_invalid"
  | "jwks_unreachable"
  | "jwks_invalid"
  | "kid_unknown"
  | "signature_invalid"
  | "token_expired"
  | "token_not_yet_valid"
  | "exp_missing"
  | "iat_missing"
  | "iat_in_future"
  | "sub_missing"
  | "aud_mismatch"
  | "nonce_missing"
  | "nonce_mismatch";

export class OidcTokenError extends Error {
  override readonly name = "OidcTokenError";
  constructor(
    readonly code: OidcTokenErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Errors about the issuer's infrastructure rather than the token (usually 502/503). */
export const UPSTREAM_OIDC_ERRORS: ReadonlySet<OidcTokenErrorCode> = new Set([
  "discovery_unreachable",
  "discovery_invalid",
  "jwks_unreachable",
  "jwks_invalid",
]);

export interface OidcTokenVerifierOptions {
  /** Accepted `alg` values. Anything else is refused before a key is looked up. */
  readonly algorithms: readonly OidcAlgorithm[];
  /** Require a `typ` header (it must be JWT when present either way). */
  readonly requireTyp?: boolean;
  /** Discovery members that must be present (non-empty), beyond `issuer` and `jwks_uri`. */
  readonly requiredDiscoveryFields?: readonly string[];
  readonly clockToleranceSeconds?: number;
  /** Clock for claim checks (tests freeze it). Caches use the real clock. */
  readonly now?: () => Date;
  /** Fetch used for discovery and JWKS (tests, proxies). */
  readonly fetch?: typeof fetch;
  readonly discoveryCacheMaxAgeMs?: number;
  readonly jwksCacheMaxAgeMs?: number;
  readonly jwksCooldownMs?: number;
  readonly fetchTimeoutMs?: number;
  readonly maxIssuers?: number;
}

export interface VerifyOidcTokenOptions {
  /** Gate on the unverified `iss`, consulted before any network request. */
  readonly issuerAllowed: (issuer: string) => boolean | Promise<boolean>;
  /** Accepted audiences: the token's `aud` must contain one. Omit to accept any. */
  readonly audiences?: readonly string[];
  /** Expected `nonce`; omit when the token is not bound to a key. */
  readonly nonce?: string;
}

export interface VerifiedOidcToken {
  readonly issuer: string;
  readonly subject: string;
  /** All audiences of the token. */
  readonly audiences: readonly string[];
  /** The audiences that were also in `VerifyOidcTokenOptions.audiences` (all when omitted). */
  readonly matchedAudiences: readonly string[];
  readonly email?: string;
  /** True only for a boolean `email_verified: true` (some issuers send the string "true"; we don't guess). */
  readonly emailVerified: boolean;
  readonly claims: JWTPayload;
}

export interface OidcTokenVerifier {
  verify(token: string, options: VerifyOidcTokenOptions): Promise<VerifiedOidcToken>;
  /** Unverified `iss`, after the structural and header checks (for issuer lookups). */
  peekIssuer(token: string): string;
}

interface IssuerEntry {
  readonly jwksUri: string;
  readonly keySet: RemoteJWKSet;
  readonly fetchedAt: number;
}

export function createOidcTokenVerifier(options: OidcTokenVerifierOptions): OidcTokenVerifier {
  const algorithms: readonly string[] = options.algorithms;
  if (algorithms.length === 0) throw new TypeError("At least one algorithm must be allowed");
  const clockTolerance = options.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS;
  const now = options.now ?? (() => new Date());
  const fetchImpl = options.fetch ?? fetch;
  const discoveryMaxAge = options.discoveryCacheMaxAgeMs ?? DEFAULT_DISCOVERY_CACHE_MAX_AGE_MS;
  const timeoutMs = options.fetchTimeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS;
  const maxIssuers = options.maxIssuers ?? DEFAULT_MAX_ISSUERS;
  const requiredFields = ["issuer", "jwks_uri", ...(options.requiredDiscoveryFields ?? [])];

  const cache = new Map<string, IssuerEntry>();
  const inFlight = new Map<string, Promise<IssuerEntry>>();

  const checkHeader = (token: string): JWTPayload => {
    if (typeof token !== "string" || token.length > MAX_TOKEN_LENGTH || !COMPACT_JWS.test(token)) {
      throw new OidcTokenError("token_malformed", "Token is not a compact JWS");
    }
    let header: Record<string, unknown>;
    let payload: JWTPayload;
    try {
      header = decodeProtectedHeader(token) as Record<string, unknown>;
      payload = decodeJwt(token);
    } catch (cause) {
      throw new OidcTokenError("token_malformed", "Token header or payload cannot be decoded", { cause });
    }
    const { alg, typ, kid } = header;
    if (typeof alg !== "string") throw new OidcTokenError("token_malformed", "Token header has no alg");
    if (alg.toLowerCase() === "none") throw new OidcTokenError("alg_none", "Unsigned tokens (alg none) are refused");
    if (/^HS/i.test(alg)) throw new OidcTokenError("alg_hmac", "HMAC-signed tokens are refused");
    if (!algorithms.includes(alg)) {
      throw new OidcTokenError("alg_not_allowed", `Token alg must be one of ${algorithms.join(", ")}`);
    }
    if (typ === undefined) {
      if (options.requireTyp) throw new OidcTokenError("typ_missing", 'Token header must have typ "JWT"');
    } else if (typeof typ !== "string" || normalizeMediaType(typ) !== "jwt") {
      throw new OidcTokenError("typ_invalid", 'Token header typ must be "JWT"');
    }
    if (kid === undefined || kid === "") throw new OidcTokenError("kid_missing", "Token header must have a kid");
    if (typeof kid !== "string" || kid.length > MAX_KID_LENGTH) {
      throw new OidcTokenError("token_malformed", "Token header kid must be a short string");
    }
    return payload;
  };

  const peekIssuer = (token: string): string => {
    const { iss } = checkHeader(token);
    if (typeof iss !== "string" || iss === "") throw new OidcTokenError("iss_missing", "Token must have an iss claim");
    return iss;
  };

  const loadIssuer = async (issuer: string): Promise<IssuerEntry> => {
    const cached = cache.get(issuer);
    if (cached && Date.now() - cached.fetchedAt < discoveryMaxAge) return cached;
    const pending = inFlight.get(issuer);
    if (pending) return pending;
    const promise = (async () => {
      const jwksUri = await fetchDiscovery(issuer);
      // Keep the key set (and its cache and cooldown) while the issuer keeps its jwks_uri.
      const keySet =
        cached?.jwksUri === jwksUri
          ? cached.keySet
          : createRemoteJWKSet(new URL(jwksUri), {
              cacheMaxAge: options.jwksCacheMaxAgeMs ?? DEFAULT_JWKS_CACHE_MAX_AGE_MS,
              cooldownDuration: options.jwksCooldownMs ?? DEFAULT_JWKS_COOLDOWN_MS,
              timeoutDuration: timeoutMs,
              [customFetch]: fetchImpl,
            });
      const entry: IssuerEntry = { jwksUri, keySet, fetchedAt: Date.now() };
      cache.delete(issuer);
      cache.set(issuer, entry);
      while (cache.size > maxIssuers) {
        const oldest = cache.keys().next().value;
        if (oldest === undefined) break;
        cache.delete(oldest);
      }
      return entry;
    })();
    inFlight.set(issuer, promise);
    try {
      return await promise;
    } finally {
      inFlight.delete(issuer);
    }
  };

  const fetchDiscovery = async (issuer: string): Promise<string> => {
    const url = `${issuer.replace(/\/+$/, "")}${DISCOVERY_PATH}`;
    let response: Response;
    try {
      response = await fetchImpl(url, {
        headers: { Accept: "application/json" },
        redirect: "error",
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (cause) {
      throw new OidcTokenError("discovery_unreachable", "The issuer's discovery document could not be fetched", { cause });
    }
    if (response.status !== 200) {
      await response.body?.cancel().catch(() => undefined);
      throw new OidcTokenError("discovery_unreachable", `The issuer's discovery document answered ${response.status}`);
    }
    let document: unknown;
    try {
      const text = await response.text();
      if (text.length > MAX_DISCOVERY_BYTES) throw new RangeError("discovery document too large");
      document = JSON.parse(text);
    } catch (cause) {
      throw new OidcTokenError("discovery_invalid", "The issuer's discovery document is not JSON", { cause });
    }
    if (typeof document !== "object" || document === null || Array.isArray(document)) {
      throw new OidcTokenError("discovery_invalid", "The issuer's discovery document is not a JSON object");
    }
    const fields = document as Record<string, unknown>;
    const missing = requiredFields.filter((name) => !isPresent(fields[name]));
    if (missing.length > 0) {
      throw new OidcTokenError("discovery_invalid", `The issuer's discovery document lacks ${missing.join(", ")}`);
    }
    if (fields.issuer !== issuer) {
      throw new OidcTokenError("discovery_invalid", "The discovery document names a different issuer");
    }
    const jwksUri = fields.jwks_uri;
    if (typeof jwksUri !== "string" || !isHttpUrl(jwksUri)) {
      throw new OidcTokenError("discovery_invalid", "The discovery document's jwks_uri is not an http(s) URL");
    }
    return jwksUri;
  };

  return {
    peekIssuer,
    async verify(token, verifyOptions) {
      const issuer = peekIssuer(token);
      if (!isHttpUrl(issuer) || !(await verifyOptions.issuerAllowed(issuer))) {
        throw new OidcTokenError("issuer_not_allowed", "Tokens from this issuer are not accepted here");
      }
      const { keySet } = await loadIssuer(issuer);

      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(
          token,
          (header, jws) => resolveJwksKey(keySet, [header, jws], (code, cause) => new OidcTokenError(code, JWKS_MESSAGES[code], { cause })),
          {
            algorithms: [...algorithms],
            issuer,
            ...(verifyOptions.audiences !== undefined ? { audience: [...verifyOptions.audiences] } : {}),
            requiredClaims: ["exp", "iat", "sub", "aud"],
            clockTolerance,
            currentDate: now(),
          },
        ));
      } catch (error) {
        throw mapJoseError(error);
      }

      // jose has checked that exp and iat are numbers and exp (with tolerance) is in the future.
      if ((payload.iat as number) > Math.floor(now().getTime() / 1000) + clockTolerance) {
        throw new OidcTokenError("iat_in_future", "Token iat is in the future");
      }
      if (typeof payload.sub !== "string" || payload.sub === "") {
        throw new OidcTokenError("sub_missing", "Token sub must be a non-empty string");
      }
      if (verifyOptions.nonce !== undefined) {
        if (payload.nonce === undefined || payload.nonce === "") {
          throw new OidcTokenError("nonce_missing", "Token must carry the nonce bound to the client key");
        }
        if (payload.nonce !== verifyOptions.nonce) {
          throw new OidcTokenError("nonce_mismatch", "Token nonce is not bound to this public key");
        }
      }
      const audiences = typeof payload.aud === "string" ? [payload.aud] : (payload.aud ?? []);
      const accepted = verifyOptions.audiences;
      return {
        issuer,
        subject: payload.sub,
        audiences,
        matchedAudiences: accepted === undefined ? audiences : audiences.filter((aud) => accepted.includes(aud)),
        ...(typeof payload.email === "string" ? { email: payload.email } : {}),
        emailVerified: payload.email_verified === true,
        claims: payload,
      };
    },
  };
}

/**
 * The nonce that binds an ID token to a client key (Turnkey and Alchemy): hex SHA-256 of the
 * UTF-8 text of the hex public key, without `0x`. The text is hashed, not the key bytes.
 */
export function nonceForPublicKey(publicKeyHex: string): string {
  return bytesToHex(sha256(utf8ToBytes(publicKeyHex.replace(/^0x/i, ""))));
}

function isPresent(value: unknown): boolean {
  if (typeof value === "string") return value !== "";
  if (Array.isArray(value)) return value.length > 0;
  return value !== undefined && value !== null;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "https:" || url.protocol === "http:") && url.username === "" && url.password === "" && url.hash === "";
  } catch {
    return false;
  }
}

const JWKS_MESSAGES = {
  kid_unknown: "No key with this kid (and alg) in the issuer's JWKS",
  jwks_invalid: "The issuer's JWKS is malformed, ambiguous or unusable",
  jwks_unreachable: "The issuer's JWKS could not be fetched",
} as const;

function mapJoseError(error: unknown): Error {
  if (error instanceof OidcTokenError) return error;
  if (error instanceof errors.JWTExpired) return new OidcTokenError("token_expired", "Token has expired", { cause: error });
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === "aud") return new OidcTokenError("aud_mismatch", "Token audience is not accepted here", { cause: error });
    if (error.reason === "missing" && error.claim === "exp")
      return new OidcTokenError("exp_missing", "Token must have exp", { cause: error });
    if (error.reason === "missing" && error.claim === "iat")
      return new OidcTokenError("iat_missing", "Token must have iat", { cause: error });
    if (error.reason === "missing" && error.claim === "sub")
      return new OidcTokenError("sub_missing", "Token must have sub", { cause: error });
    if (error.claim === "nbf") return new OidcTokenError("token_not_yet_valid", "Token is not valid yet (nbf)", { cause: error });
    return new OidcTokenError("token_malformed", "Token has an invalid claim", { cause: error });
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return new OidcTokenError("signature_invalid", "Token signature does not verify", { cause: error });
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return new OidcTokenError("alg_not_allowed", "Token alg is not allowed", { cause: error });
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) {
    return new OidcTokenError("token_malformed", "Token is malformed", { cause: error });
  }
  if (error instanceof errors.JOSEError) return new OidcTokenError("signature_invalid", "Token could not be verified", { cause: error });
  // Not a verdict on the token but a fault (a bug, or e.g. a too-short RSA key): keep it one.
  return error instanceof Error ? error : new Error("OIDC token verification failed", { cause: error });
}
