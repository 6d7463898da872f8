import "server-only";
import { createLocalJWKSet, type JWTVerifyGetKey } from "jose";
import { KeyConfigError, type ParsedKey, parseCurrentKeys, parsePreviousKeys } from "./parse";
import type { PublicJwk, SigningAlg } from "./public-jwk";

export interface SigningKey {
  alg: SigningAlg;
  kid: string;
  privateKey: NonNullable<ParsedKey["privateKey"]>;
}

export interface KeySet {
  /** The current key for `alg`; throws a configuration error naming the variable if absent. */
  signingKey(alg: SigningAlg): SigningKey;
  /** Current and previous public keys, as published at /.well-known/jwks.json. */
  readonly jwks: { keys: PublicJwk[] };
  /** Algorithms the app can sign with right now. */
  readonly algorithms: SigningAlg[];
  /** A jose key resolver over the published keys (used to verify the app's own tokens). */
  readonly verifier: JWTVerifyGetKey;
}

export async function createKeySet(current: string, previous?: string): Promise<KeySet> {
  const currentKeys = await parseCurrentKeys(current).catch(rename("SIGNING_KEYS"));
  const previousKeys = await parsePreviousKeys(previous).catch(rename("SIGNING_KEYS_PREVIOUS"));
  if (currentKeys.length === 0) throw new KeyConfigError("SIGNING_KEYS has no key.");

  const byAlg = new Map<SigningAlg, SigningKey>();
  for (const key of currentKeys) byAlg.set(key.alg, { alg: key.alg, kid: key.kid, privateKey: key.privateKey! });

  const published = new Map<string, PublicJwk>();
  for (const key of [...currentKeys, ...previousKeys]) published.set(key.kid, key.publicJwk);
  const jwks = { keys: [...published.values()] };

  return {
    signingKey(alg) {
      const key = byAlg.get(alg);
      if (!key)
        throw new KeyConfigError(
          `SIGNING_KEYS has no ${alg} key, but a token needs one. Add a ${alg === "RS256" ? "RSA (2048+ bit)" : "P-256"} private key.`,
        );
      return key;
    },
    jwks,
    algorithms: [...byAlg.keys()],
    verifier: createLocalJWKSet(jwks),
  };
}

function rename(variable: string) {
  return (error: unknown): never => {
    if (error instanceof KeyConfigError) throw new KeyConfigError(`${variable} ${error.message}`);
    throw error;
  };
}
