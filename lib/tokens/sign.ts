import "server-only";
import { randomUUID } from "node:crypto";
import { SignJWT, type JWTPayload } from "jose";
import type { KeySet } from "@/lib/keys/keyset";
import type { SigningAlg } from "@/lib/keys/public-jwk";

export interface SignOptions {
  keySet: KeySet;
  alg: SigningAlg;
  claims: JWTPayload;
  lifetimeSeconds: number;
  /** Injected clock, for tests. */
  now?: Date;
}

export interface SignedToken {
  token: string;
  header: { alg: SigningAlg; typ: "JWT"; kid: string };
  claims: JWTPayload & { iat: number; exp: number; jti: string };
}

/**
 * Signs a JWT the way every token this app mints must look: explicit `typ`, the key's
 * `kid`, `iat`, `exp` and a unique `jti`. Callers pass only their own claims.
 */
export async function signToken({ keySet, alg, claims, lifetimeSeconds, now = new Date() }: SignOptions): Promise<SignedToken> {
  const key = keySet.signingKey(alg);
  const iat = Math.floor(now.getTime() / 1000);
  const header = { alg, typ: "JWT" as const, kid: key.kid };
  const full = { ...claims, iat, exp: iat + lifetimeSeconds, jti: randomUUID() };
  const token = await new SignJWT(full).setProtectedHeader(header).sign(key.privateKey);
  return { token, header, claims: full };
}
