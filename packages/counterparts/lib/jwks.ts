/**
 * Key lookup in a remote JWKS, shared by the counterparts that verify others' tokens (AIR
 * Kit's partner tokens, OIDC ID tokens). jose's key-set errors become three stable codes;
 * each verifier words them for its own callers.
 */
import { errors, type RemoteJWKSet } from "jose";

export type JwksFailure = "kid_unknown" | "jwks_invalid" | "jwks_unreachable";

/** On an unknown kid jose refetches the JWKS at most once per cooldown period. */
export async function resolveJwksKey(
  keySet: RemoteJWKSet,
  args: Parameters<RemoteJWKSet>,
  fail: (code: JwksFailure, cause: unknown) => Error,
): Promise<CryptoKey> {
  try {
    return await keySet(...args);
  } catch (error) {
    if (error instanceof errors.JWKSNoMatchingKey) throw fail("kid_unknown", error);
    if (
      error instanceof errors.JWKSMultipleMatchingKeys ||
      error instanceof errors.JWKSInvalid ||
      error instanceof errors.JOSENotSupported ||
      error instanceof errors.JWKInvalid
    ) {
      throw fail("jwks_invalid", error);
    }
    // Timeouts, network errors and non-200 answers (a generic JOSEError in jose).
    throw fail("jwks_unreachable", error);
  }
}

/** RFC 7515 §4.1.9: `typ` is case-insensitive and may omit the `application/` prefix. */
export function normalizeMediaType(value: string): string {
  const lower = value.toLowerCase();
  return lower.startsWith("application/") ? lower.slice("application/".length) : lower;
}
