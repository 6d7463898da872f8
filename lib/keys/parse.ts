// Parses signing keys from configuration: a JWK, a JSON array of JWKs, or PEM blocks.
import "server-only";
import { createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";
import { calculateJwkThumbprint, type JWK } from "jose";
import { type PublicJwk, type SigningAlg, toPublicJwk } from "./public-jwk";

export class KeyConfigError extends Error {
  readonly code = "signing_key_invalid";
  constructor(message: string) {
    super(message);
    this.name = "KeyConfigError";
  }
}

export interface ParsedKey {
  alg: SigningAlg;
  /** RFC 7638 thumbprint of the public key; any `kid` in the input is ignored. */
  kid: string;
  publicJwk: PublicJwk;
  /** Present only for current keys. */
  privateKey?: KeyObject;
}

const PEM_BLOCK = /-----BEGIN ([A-Z ]+)-----[\s\S]+?-----END \1-----/g;

function splitInput(text: string): Array<JWK | string> {
  const trimmed = text.trim();
  if (trimmed.startsWith("[") || trimmed.startsWith("{")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      throw new KeyConfigError("is not valid JSON.");
    }
    const list = Array.isArray(parsed) ? parsed : [parsed];
    if (list.some((k) => typeof k !== "object" || k === null)) throw new KeyConfigError("must contain JWK objects.");
    return list as JWK[];
  }
  // Environment files often carry PEM with literal "\n".
  const pems = trimmed.replace(/\\n/g, "\n").match(PEM_BLOCK);
  if (!pems) throw new KeyConfigError("is neither JSON (JWK) nor PEM.");
  return pems;
}

function algFor(key: KeyObject): SigningAlg {
  const type = key.asymmetricKeyType;
  if (type === "ec") {
    if (key.asymmetricKeyDetails?.namedCurve !== "prime256v1") throw new KeyConfigError("EC keys must use P-256 (ES256).");
    return "ES256";
  }
  if (type === "rsa") {
    if ((key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) throw new KeyConfigError("RSA keys must be at least 2048 bits.");
    return "RS256";
  }
  throw new KeyConfigError(`key type ${type ?? "unknown"} is not supported (use EC P-256 or RSA).`);
}

async function toParsed(input: JWK | string, wantPrivate: boolean): Promise<ParsedKey> {
  let privateKey: KeyObject | undefined;
  let publicKey: KeyObject;
  try {
    if (typeof input === "string") {
      if (input.includes("PRIVATE KEY")) privateKey = createPrivateKey(input);
      publicKey = privateKey ? createPublicKey(privateKey) : createPublicKey(input);
    } else {
      if (input.kty === "oct") throw new KeyConfigError("symmetric keys cannot be published or used for partner tokens.");
      if (typeof input.d === "string") privateKey = createPrivateKey({ key: input as import("node:crypto").JsonWebKey, format: "jwk" });
      publicKey = privateKey
        ? createPublicKey(privateKey)
        : createPublicKey({ key: input as import("node:crypto").JsonWebKey, format: "jwk" });
    }
  } catch (error) {
    if (error instanceof KeyConfigError) throw error;
    throw new KeyConfigError("could not be read as a key.");
  }
  if (wantPrivate && !privateKey) throw new KeyConfigError("must be private keys (they sign tokens).");
  const alg = algFor(publicKey);
  const jwk = publicKey.export({ format: "jwk" }) as JWK;
  const kid = await calculateJwkThumbprint(jwk, "sha256");
  return { alg, kid, publicJwk: toPublicJwk(jwk, kid, alg), privateKey: wantPrivate ? privateKey : undefined };
}

/** Parses current keys (must be private; at most one per algorithm). */
export async function parseCurrentKeys(text: string): Promise<ParsedKey[]> {
  const keys = await Promise.all(splitInput(text).map((k) => toParsed(k, true)));
  const seen = new Set<SigningAlg>();
  for (const key of keys) {
    if (seen.has(key.alg)) {
      throw new KeyConfigError(`has two current ${key.alg} keys; move the older one to SIGNING_KEYS_PREVIOUS.`);
    }
    seen.add(key.alg);
  }
  return keys;
}

/** Parses retired keys. Private members, if given, are dropped immediately. */
export async function parsePreviousKeys(text: string | undefined): Promise<ParsedKey[]> {
  if (!text) return [];
  return Promise.all(splitInput(text).map((k) => toParsed(k, false)));
}
