import type { JWK } from "jose";

export type SigningAlg = "ES256" | "RS256";

/** The members a published key may carry. Anything else (d, p, q, dp, dq, qi, oth, k) stays private. */
const PUBLIC_MEMBERS = ["kty", "crv", "x", "y", "n", "e"] as const;

export interface PublicJwk {
  kty: "EC" | "RSA";
  kid: string;
  alg: SigningAlg;
  use: "sig";
  crv?: string;
  x?: string;
  y?: string;
  n?: string;
  e?: string;
}

/**
 * Builds a public JWK from an explicit allowlist of members. Never spread a private JWK
 * into a published one: `exportJWK(privateKey)` includes `d`, and a JWKS that leaks it
 * hands out the signing key.
 */
export function toPublicJwk(jwk: JWK, kid: string, alg: SigningAlg): PublicJwk {
  const out: Record<string, string> = {};
  for (const member of PUBLIC_MEMBERS) {
    const value = jwk[member];
    if (typeof value === "string") out[member] = value;
  }
  return { ...(out as Pick<PublicJwk, "crv" | "x" | "y" | "n" | "e">), kty: jwk.kty as "EC" | "RSA", kid, alg, use: "sig" };
}
