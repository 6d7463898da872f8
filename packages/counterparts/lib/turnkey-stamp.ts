/**
 * Verification of Turnkey API-key stamps (`X-Stamp`), as `@turnkey/api-key-stamper` makes them:
 *
 *   X-Stamp: base64url( JSON { publicKey, scheme: "SIGNATURE_SCHEME_TK_API_P256", signature } )
 *
 * `publicKey` is the compressed P-256 key in hex; `signature` is the hex DER ECDSA P-256 /
 * SHA-256 signature over the exact request body bytes.
 *
 * Invariants:
 * - The signature is checked over the bytes as received, never over a re-serialization: any
 *   change to the body after stamping (whitespace, key order, escapes) fails verification.
 * - This proves possession of the key only. Whether that key is registered, unexpired and
 *   allowed to act on the body's organization is the caller's decision, made after this.
 * - High-S signatures are accepted: Node's and WebCrypto's signers produce them, and Turnkey
 *   accepts them. Malleability is harmless here because a stamp is not an identifier.
 * - Every failure is a `StampError` with a stable code; messages never echo the input.
 */
import { p256 } from "@noble/curves/nist.js";
import { hexToBytes } from "@noble/hashes/utils.js";
import { parseP256PublicKey } from "./p256-keys";

export const STAMP_HEADER_NAME = "X-Stamp";
export const STAMP_SCHEME_API_P256 = "SIGNATURE_SCHEME_TK_API_P256";
/** A real stamp is ~300 characters; this bounds the work spent on hostile headers. */
const MAX_STAMP_LENGTH = 2048;
/** DER ECDSA P-256 signatures are at most 72 bytes. */
const MAX_SIGNATURE_HEX_LENGTH = 144;
const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;
const HEX = /^(?:[0-9a-fA-F]{2})+$/;

export type StampErrorCode =
  | "stamp_missing"
  | "stamp_malformed"
  | "stamp_scheme_unsupported"
  | "stamp_public_key_invalid"
  | "stamp_signature_malformed"
  | "stamp_signature_invalid";

/** 401 for "who are you?" failures, 400 for requests that are not stamps at all. */
const STAMP_STATUS: Record<StampErrorCode, 400 | 401> = {
  stamp_missing: 401,
  stamp_malformed: 400,
  stamp_scheme_unsupported: 401,
  stamp_public_key_invalid: 400,
  stamp_signature_malformed: 400,
  stamp_signature_invalid: 401,
};

export class StampError extends Error {
  override readonly name = "StampError";
  readonly status: 400 | 401;
  constructor(
    readonly code: StampErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.status = STAMP_STATUS[code];
  }
}

export interface VerifiedStamp {
  /** Lowercase hex of the compressed public key that signed the body. */
  readonly publicKey: string;
}

/**
 * Verifies a stamp header over `signedBytes`. `header` is the raw header value as Node gives it
 * (a repeated header arrives joined with ", " and is refused as malformed).
 */
export function verifyStamp(header: string | readonly string[] | undefined, signedBytes: Uint8Array): VerifiedStamp {
  if (header === undefined || header === "") throw new StampError("stamp_missing", `${STAMP_HEADER_NAME} header is required`);
  if (typeof header !== "string" || header.length > MAX_STAMP_LENGTH || !BASE64URL.test(header)) {
    throw new StampError("stamp_malformed", `${STAMP_HEADER_NAME} must be one base64url-encoded JSON stamp`);
  }

  let stamp: unknown;
  try {
    stamp = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(Buffer.from(header, "base64url")));
  } catch (cause) {
    throw new StampError("stamp_malformed", "Stamp is not base64url-encoded JSON", { cause });
  }
  if (typeof stamp !== "object" || stamp === null || Array.isArray(stamp)) {
    throw new StampError("stamp_malformed", "Stamp must be a JSON object");
  }
  const { publicKey, scheme, signature } = stamp as Record<string, unknown>;
  if (typeof publicKey !== "string" || typeof scheme !== "string" || typeof signature !== "string") {
    throw new StampError("stamp_malformed", "Stamp must have string publicKey, scheme and signature");
  }
  if (scheme !== STAMP_SCHEME_API_P256) {
    throw new StampError("stamp_scheme_unsupported", `Only ${STAMP_SCHEME_API_P256} stamps are supported`);
  }

  let key: Uint8Array;
  let canonicalKey: string;
  try {
    const parsed = parseP256PublicKey(publicKey, "compressed");
    key = parsed.compressed;
    canonicalKey = parsed.compressedHex;
  } catch (cause) {
    throw new StampError("stamp_public_key_invalid", "Stamp publicKey must be a compressed P-256 key in hex", { cause });
  }

  if (signature.length > MAX_SIGNATURE_HEX_LENGTH || !HEX.test(signature)) {
    throw new StampError("stamp_signature_malformed", "Stamp signature must be hex DER");
  }
  let compact: Uint8Array;
  try {
    // Parsed explicitly (noble's verify would just return false): the strict DER parser refuses
    // trailing bytes and non-minimal encodings, which are malformed rather than wrong.
    compact = p256.Signature.fromBytes(hexToBytes(signature), "der").toBytes("compact");
  } catch (cause) {
    throw new StampError("stamp_signature_malformed", "Stamp signature must be hex DER", { cause });
  }
  // prehash: ECDSA over SHA-256(body).
  if (!p256.verify(compact, signedBytes, key, { prehash: true, lowS: false, format: "compact" })) {
    throw new StampError("stamp_signature_invalid", "Stamp signature does not match the request body");
  }
  return { publicKey: canonicalKey };
}
