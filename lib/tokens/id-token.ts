// A generic OpenID Connect ID token issued by the app, for providers that accept the app as
// an OIDC issuer (Turnkey `oauth_login`, Alchemy `auth-jwt`).
import { createHash } from "node:crypto";
import type { KeySet } from "@/lib/keys/keyset";
import type { SigningAlg } from "@/lib/keys/public-jwk";
import { type SignedToken, signToken } from "./sign";

export const ID_TOKEN_LIFETIME_SECONDS = 5 * 60;

export interface IdTokenOptions {
  issuer: string;
  audience: string;
  /** The app user id from the server-side session. */
  subject: string;
  email: string;
  emailVerified: boolean;
  nonce: string;
  alg: SigningAlg;
  now?: Date;
}

export function mintIdToken(keySet: KeySet, o: IdTokenOptions): Promise<SignedToken> {
  return signToken({
    keySet,
    alg: o.alg,
    lifetimeSeconds: ID_TOKEN_LIFETIME_SECONDS,
    now: o.now,
    claims: { iss: o.issuer, sub: o.subject, aud: o.audience, nonce: o.nonce, email: o.email, email_verified: o.emailVerified },
  });
}

/**
 * The nonce that binds an ID token to a client key (Turnkey and Alchemy): the hex SHA-256 of
 * the UTF-8 text of the hex public key, without any 0x prefix. The text is hashed, not the
 * key bytes; hashing the bytes is the classic "nonce bound to the wrong key" mistake.
 */
export function nonceForPublicKey(publicKeyHex: string): string {
  const text = publicKeyHex.replace(/^0x/i, "");
  if (!/^[0-9a-fA-F]+$/.test(text)) throw new TypeError("public key must be hex");
  return createHash("sha256").update(text, "utf8").digest("hex");
}
