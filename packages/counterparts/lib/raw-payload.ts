/**
 * Turnkey's raw-payload rules, shared by the counterparts that sign Turnkey-shaped
 * `sign_raw_payload` requests (Turnkey itself, and Alchemy's signer API, which relays them):
 * https://docs.turnkey.com/api-reference/activities/sign-raw-payload and
 * https://docs.turnkey.com/api-reference/overview/raw-payload-signing.
 *
 * - PAYLOAD_ENCODING_HEXADECIMAL (with or without 0x: @turnkey/core sends "0x…") or
 *   PAYLOAD_ENCODING_TEXT_UTF8;
 * - for secp256k1: HASH_FUNCTION_KECCAK256 / HASH_FUNCTION_SHA256 hash the decoded bytes,
 *   HASH_FUNCTION_NO_OP takes them as the 32-byte digest, HASH_FUNCTION_NOT_APPLICABLE is for
 *   Ed25519 only.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { hexToBytes, utf8ToBytes } from "@noble/hashes/utils.js";

export type RawPayloadErrorCode = "payload_invalid" | "payload_encoding_unsupported" | "hash_function_invalid";

export class RawPayloadError extends Error {
  override readonly name = "RawPayloadError";
  constructor(
    readonly code: RawPayloadErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function decodePayload(payload: string, encoding: string): Uint8Array {
  if (encoding === "PAYLOAD_ENCODING_TEXT_UTF8") return utf8ToBytes(payload);
  if (encoding === "PAYLOAD_ENCODING_HEXADECIMAL") {
    const hex = payload.startsWith("0x") ? payload.slice(2) : payload;
    if (!/^(?:[0-9a-fA-F]{2})*$/.test(hex))
      throw new RawPayloadError(
        "payload_invalid",
        "payload must be hexadecimal (an even number of hex digits) for PAYLOAD_ENCODING_HEXADECIMAL",
      );
    return hexToBytes(hex.toLowerCase());
  }
  throw new RawPayloadError(
    "payload_encoding_unsupported",
    "This counterpart signs PAYLOAD_ENCODING_HEXADECIMAL and PAYLOAD_ENCODING_TEXT_UTF8 payloads",
  );
}

/** The 32-byte digest a secp256k1 key signs for these bytes. */
export function secp256k1Digest(bytes: Uint8Array, hashFunction: string): Uint8Array {
  switch (hashFunction) {
    case "HASH_FUNCTION_KECCAK256":
      return keccak_256(bytes);
    case "HASH_FUNCTION_SHA256":
      return sha256(bytes);
    case "HASH_FUNCTION_NO_OP":
      if (bytes.length !== 32)
        throw new RawPayloadError("payload_invalid", "With HASH_FUNCTION_NO_OP the payload must be the 32-byte digest to sign");
      return bytes;
    case "HASH_FUNCTION_NOT_APPLICABLE":
      throw new RawPayloadError(
        "hash_function_invalid",
        "HASH_FUNCTION_NOT_APPLICABLE is for Ed25519 keys; secp256k1 needs KECCAK256, SHA256 or NO_OP",
      );
    default:
      throw new RawPayloadError(
        "hash_function_invalid",
        "hashFunction must be HASH_FUNCTION_KECCAK256, HASH_FUNCTION_SHA256 or HASH_FUNCTION_NO_OP",
      );
  }
}
