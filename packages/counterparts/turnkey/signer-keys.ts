/**
 * The counterpart's own signing keys, standing in for Turnkey's enclave keys, and the three things
 * they sign. Clients verify these with `@turnkey/crypto`, passing the counterpart keys as the
 * `dangerouslyOverride…PublicKey` arguments (the production keys are the defaults):
 *
 * - Session JWTs (`otp_login`, `oauth_login`): signed by the *notarizer* key with Turnkey's
 *   scheme, ECDSA P-256 over SHA-256(SHA-256(header.payload)), i.e. an ES256 signature over
 *   the 32-byte digest of the signing input. `verifySessionJwtSignature(jwt, notarizerHex)`
 *   accepts them; a plain ES256 JWS verifier does not (neither does it for real Turnkey).
 * - OTP verification tokens (`verify_otp`): standard ES256 JWTs by the *OTP signer* key (Turnkey's
 *   "TLS fetcher" key), `exp` as a millisecond string. `verifyOtpVerificationToken`.
 * - OTP encryption target bundles (`init_otp`): `{ enclaveQuorumPublic, dataSignature, data }`,
 *   DER ECDSA over SHA-256(data bytes) by the OTP signer key. `encryptOtpCodeToBundle`.
 *
 * Separate keys per purpose, as in Turnkey, so one signature can never be replayed as another.
 * Private keys stay in WebCrypto `CryptoKey`s loaded by lib/keys.ts (0600 files on disk).
 */
import { p256 } from "@noble/curves/nist.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";
import { CompactSign, compactVerify, errors } from "jose";
import { loadOrCreateSigningKey, type ServiceSigningKey } from "../lib/keys";

const NOTARIZER_KEY_FILE = "turnkey-notarizer-key.private.jwk.json";
const OTP_SIGNER_KEY_FILE = "turnkey-otp-signer-key.private.jwk.json";
const MAX_TOKEN_LENGTH = 8 * 1024;

export interface SignerKeys {
  readonly notarizer: ServiceSigningKey;
  readonly otpSigner: ServiceSigningKey;
}

export async function loadSignerKeys(dataDir: string): Promise<SignerKeys> {
  const [notarizer, otpSigner] = await Promise.all([
    loadOrCreateSigningKey(dataDir, NOTARIZER_KEY_FILE),
    loadOrCreateSigningKey(dataDir, OTP_SIGNER_KEY_FILE),
  ]);
  return { notarizer, otpSigner };
}

/** Uncompressed SEC1 hex (`04‖x‖y`), the form `@turnkey/crypto` takes for key overrides. */
export function publicKeyHex(key: ServiceSigningKey): string {
  const { x, y } = key.publicJwk;
  if (x === undefined || y === undefined) throw new Error("signer key is not an EC key");
  return `04${Buffer.from(x, "base64url").toString("hex")}${Buffer.from(y, "base64url").toString("hex")}`;
}

async function signP256(key: ServiceSigningKey, message: Uint8Array): Promise<Uint8Array> {
  // WebCrypto ECDSA with SHA-256 hashes `message` once and returns raw r‖s.
  return new Uint8Array(await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, key.privateKey, Uint8Array.from(message)));
}

const b64url = (value: Uint8Array | string) => Buffer.from(value).toString("base64url");

export interface SessionClaims {
  readonly exp: number;
  readonly iat: number;
  readonly public_key: string;
  readonly session_type: "SESSION_TYPE_READ_WRITE";
  readonly user_id: string;
  readonly organization_id: string;
}

export async function signSessionJwt(notarizer: ServiceSigningKey, claims: SessionClaims): Promise<string> {
  const signingInput = `${b64url(JSON.stringify({ alg: "ES256", typ: "JWT", kid: notarizer.kid }))}.${b64url(JSON.stringify(claims))}`;
  // Turnkey's notarizer signs SHA-256(signing input) with ECDSA-SHA256: a double hash.
  return `${signingInput}.${b64url(await signP256(notarizer, sha256(utf8ToBytes(signingInput))))}`;
}

/** Claims of an OTP verification token, as `@turnkey/crypto` reads them. */
export interface VerificationTokenClaims {
  readonly id: string;
  readonly verification_type: string;
  readonly contact: string;
  readonly organization_id: string;
  readonly public_key: string;
  /** Milliseconds since the epoch, as a string (not a NumericDate). */
  readonly exp: string;
}

export async function signVerificationToken(otpSigner: ServiceSigningKey, claims: VerificationTokenClaims): Promise<string> {
  // CompactSign, not SignJWT: `exp` is deliberately not a NumericDate here.
  return new CompactSign(utf8ToBytes(JSON.stringify(claims)))
    .setProtectedHeader({ alg: "ES256", typ: "JWT", kid: otpSigner.kid })
    .sign(otpSigner.privateKey);
}

/** Verifies signature and shape (not expiry or use; the caller checks those against its store). */
export async function verifyVerificationToken(otpSigner: ServiceSigningKey, token: string): Promise<VerificationTokenClaims | undefined> {
  if (typeof token !== "string" || token.length > MAX_TOKEN_LENGTH) return undefined;
  try {
    const { payload, protectedHeader } = await compactVerify(token, otpSigner.publicKey, { algorithms: ["ES256"] });
    if (protectedHeader.typ !== "JWT") return undefined;
    const claims = JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>;
    const fields = ["id", "verification_type", "contact", "organization_id", "public_key", "exp"] as const;
    if (fields.some((field) => typeof claims[field] !== "string" || claims[field] === "")) return undefined;
    return claims as unknown as VerificationTokenClaims;
  } catch (error) {
    if (error instanceof errors.JOSEError || error instanceof SyntaxError) return undefined;
    throw error;
  }
}

/** A signed bundle as `@turnkey/crypto`'s verifyEnclaveSignature checks it. */
export async function signEnclaveBundle(signer: ServiceSigningKey, data: Readonly<Record<string, string>>): Promise<string> {
  const dataBytes = utf8ToBytes(JSON.stringify(data));
  const raw = await signP256(signer, dataBytes);
  return JSON.stringify({
    enclaveQuorumPublic: publicKeyHex(signer),
    dataSignature: bytesToHex(p256.Signature.fromBytes(raw, "compact").toBytes("der")),
    data: bytesToHex(dataBytes),
  });
}
