import type { KeySet } from "@/lib/keys/keyset";

/**
 * The app as an OpenID Connect issuer, as far as token consumers need: where its keys are
 * and what it signs with. It issues ID tokens only server-to-server (to Turnkey, Alchemy), so
 * the authorization endpoint exists but refuses browser flows.
 */
export function discoveryDocument(issuer: string, keySet: KeySet) {
  return {
    issuer,
    jwks_uri: `${issuer}/.well-known/jwks.json`,
    authorization_endpoint: `${issuer}/oauth/authorize`,
    response_types_supported: ["id_token"],
    subject_types_supported: ["public"],
    id_token_signing_alg_values_supported: keySet.algorithms,
    scopes_supported: ["openid", "email"],
    claims_supported: ["iss", "sub", "aud", "exp", "iat", "nonce", "email", "email_verified", "jti"],
  };
}
